import { userError } from '../../errors';
import { setupSchema, signInSchema } from '../../schemas';
import { parseInput } from '../../validation';
import type { Client, RateLimits } from '../rate-limit';
import type { AuthPort, AuthSession } from './port';

/** An organiser signs in with e-mail and password; failures are limited per e-mail and address. */
export async function signIn(auth: AuthPort, limits: RateLimits, client: Client, input: unknown): Promise<AuthSession> {
  const { email, password } = parseInput(signInSchema, input);
  const session = await limits.signIn(client, email, () => auth.signInWithPassword(email, password));
  if (!session) throw userError(401, 'invalid_credentials', 'signin.failed');
  return session;
}

/** The first organiser, created on the setup page with the one-time code from the console. */
export async function setUpFirstOrganiser(auth: AuthPort, limits: RateLimits, client: Client, setupCode: string | null, input: unknown): Promise<AuthSession> {
  const i = parseInput(setupSchema, input);
  if (!setupCode) throw userError(409, 'conflict', 'setup.done');
  const right = await limits.signIn(client, 'setup', async () => (i.code.trim().toUpperCase() === setupCode ? true : null));
  if (!right) throw userError(403, 'forbidden', 'setup.badCode');
  await auth.createOrganiser(i.email, i.password, i.name);
  return (await auth.signInWithPassword(i.email, i.password))!;
}
