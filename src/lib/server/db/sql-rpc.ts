import { toAppError } from './errors';
import type { Outcome } from './group-commit';
import type { Broadcast, Caller, RpcArgs, SqlDatabase, SqlQuery } from './types';

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * The statement PostgREST would run for `POST /rpc/fn`: named arguments, the result as JSON
 * (an object for a row type, the value for a scalar, null for void).
 */
export function rpcStatement(fn: string, args: RpcArgs): { text: string; params: unknown[] } {
  if (!identifier.test(fn)) throw new Error(`Not a function name: ${fn}`);
  const names = Object.keys(args).filter((name) => args[name] !== undefined);
  for (const name of names) if (!identifier.test(name)) throw new Error(`Not an argument name: ${name}`);
  const list = names.map((name, i) => `${name} => $${i + 1}`).join(', ');
  return {
    text: `select case when pg_typeof(x)::text = 'void' then null else to_jsonb(x) end as result from public.${fn}(${list}) x`,
    // Values go as they are: both drivers learn each parameter's type from the function's signature
    // and serialise booleans, arrays and JSON for it.
    params: names.map((name) => args[name] ?? null)
  };
}

/** The role and claims a transaction switches to, exactly as PostgREST sets them. */
export function roleSettings(caller: Caller): [string, string] {
  switch (caller.kind) {
    case 'anon':
      return ['anon', JSON.stringify({ role: 'anon' })];
    case 'service':
      return ['service_role', JSON.stringify({ role: 'service_role' })];
    case 'user':
      return ['authenticated', JSON.stringify(caller.claims)];
  }
}

export const switchRoleStatement =
  "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)";

/** The parameters of public.cast_vote, as private.cast_votes reads them from each vote. */
const voteParameters = ['p_poll_id', 'p_option_index', 'p_word', 'p_idempotency_key', 'p_event_id'];

/**
 * Writes a batch of votes in one transaction, each under its own caller's role and claims; its
 * parameter is a JSON array of VoteCalls, its result one VoteOutcome per vote, in order.
 */
export const castVotesStatement = 'select private.cast_votes($1::text::jsonb) as outcomes';

/** The most votes one transaction takes. */
export const maxVotesPerBatch = 256;

/** One vote as private.cast_votes reads it: cast_vote's arguments, and the role and claims to cast it as. */
export type VoteCall = RpcArgs & { role: string; claims: string };

export type VoteOutcome = { result: unknown } | { error: { code: string; message: string; constraint: string | null } };

export function voteCall(args: RpcArgs, caller: Caller): VoteCall {
  for (const name of Object.keys(args)) if (!voteParameters.includes(name)) throw new Error(`Not an argument of cast_vote: ${name}`);
  const [role, claims] = roleSettings(caller);
  return { ...args, role, claims };
}

/** A vote's result, or its refusal as the same AppError a single call would have raised. */
export function voteOutcome(outcome: VoteOutcome): Outcome<unknown> {
  if ('result' in outcome) return { ok: true, value: outcome.result };
  const { code, message, constraint } = outcome.error;
  return { ok: false, error: toAppError(Object.assign(new Error(message), { code, constraint: constraint ?? undefined })) };
}

/**
 * What the two embedded back ends share: calling a function through a role-switching transaction,
 * and handing the `realtime` notifications to the listeners. They also write the votes that arrive
 * together in one transaction (castVote), each in their own way.
 */
export abstract class RoleSwitchingDatabase implements SqlDatabase {
  abstract readonly backend: 'pglite' | 'postgres';
  private readonly listeners = new Set<(message: Broadcast) => void>();

  abstract withCaller<T>(caller: Caller, fn: (query: SqlQuery) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;

  /** Runs one statement in a transaction of its own as `caller`. */
  protected callAs<T>(caller: Caller, text: string, params: unknown[]): Promise<T[]> {
    return this.withCaller(caller, (query) => query<T>(text, params));
  }

  /** Casts one vote; by default in a transaction of its own, as any other call. */
  protected async castVote(args: RpcArgs, caller: Caller): Promise<unknown> {
    const { text, params } = rpcStatement('cast_vote', args);
    return (await this.callAs<{ result: unknown }>(caller, text, params))[0]?.result;
  }

  /** Calls a function of the public schema as `caller`. */
  async rpc<T>(fn: string, args: RpcArgs, caller: Caller): Promise<T> {
    if (fn === 'cast_vote') return (await this.castVote(args, caller)) as T;
    const { text, params } = rpcStatement(fn, args);
    const rows = await this.callAs<{ result: T }>(caller, text, params);
    return rows[0]?.result as T;
  }

  onBroadcast(listener: (message: Broadcast) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One pg_notify payload of the `realtime` channel, as realtime.send wrote it. */
  protected dispatch(payload: string) {
    let message: Broadcast;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(message);
  }
}
