import { accountNameSchema } from '../../schemas';
import { parseInput } from '../../validation';
import type { Actor } from '../actor';

/** The signed-in organiser's own account: the name others see, and the e-mail address. */
export interface Account {
  userId: string;
  email: string | null;
  name: string;
}

export function getMyAccount(actor: Actor): Promise<Account> {
  return actor.db.rpc<Account>('get_my_account', {}, actor.caller);
}

/** Sets the organiser's name, in the events they run too. */
export async function setMyName(actor: Actor, input: unknown): Promise<Account> {
  const { name } = parseInput(accountNameSchema, input);
  return actor.db.rpc<Account>('set_my_name', { p_name: name }, actor.caller);
}
