import { AppError } from '../../errors';
import { setupSchema, signInSchema } from '../../schemas';
import { parseInput } from '../../validation';
import { limits } from '../rate-limit';
import type { AuthPort, AuthSession } from './port';

/** An organiser signs in with e-mail and password; attempts are limited per address. */
export async function signIn(auth: AuthPort, input: unknown): Promise<AuthSession> {
  const { email, password } = parseInput(signInSchema, input);
  limits.signIn.hit(email.toLowerCase());
  const session = await auth.signInWithPassword(email, password);
  if (!session) throw new AppError(401, 'invalid_credentials', 'The e-mail address or password is not right.');
  return session;
}

/** The first organiser, created on the setup page with the one-time code from the console. */
export async function setUpFirstOrganiser(auth: AuthPort, setupCode: string | null, input: unknown): Promise<AuthSession> {
  const i = parseInput(setupSchema, input);
  if (!setupCode) throw new AppError(409, 'conflict', 'The organiser account exists already; sign in.');
  limits.signIn.hit('setup');
  if (i.code.trim().toUpperCase() !== setupCode) throw new AppError(403, 'forbidden', 'The one-time code is not right.');
  await auth.createOrganiser(i.email, i.password, i.name);
  return (await auth.signInWithPassword(i.email, i.password))!;
}
