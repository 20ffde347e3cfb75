import { toAppError } from './errors';
import { GroupCommit, type GroupCommitOptions, type Outcome } from './group-commit';
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

/** The parameters of public.cast_vote, as private.cast_votes reads them from each call. */
const voteParameters = ['p_poll_id', 'p_option_index', 'p_word', 'p_idempotency_key', 'p_event_id'];

/** Writes a batch of votes in one transaction, each under its own caller's role and claims. */
const castVotesStatement = 'select private.cast_votes($1::text::jsonb) as outcomes';

type VoteOutcome = { result: unknown } | { error: { code: string; message: string; constraint: string | null } };

/** The voter a vote's locks belong to: batches take them in one order, so two batches never deadlock. */
const voterOf = (caller: Caller) => (caller.kind === 'user' ? caller.claims.sub : '');

/**
 * What the two embedded back ends share: calling a function through a role-switching transaction,
 * writing votes that arrive together in one transaction (group commit, when the back end can run a
 * statement as its login role), and handing the `realtime` notifications to the listeners.
 */
export abstract class RoleSwitchingDatabase implements SqlDatabase {
  abstract readonly backend: 'pglite' | 'postgres';
  private readonly listeners = new Set<(message: Broadcast) => void>();
  private readonly votes: GroupCommit<{ args: RpcArgs; caller: Caller }, unknown> | undefined;

  /** With `voteBatches`, votes go through group commit, and the subclass implements runBatch. */
  constructor(voteBatches?: GroupCommitOptions) {
    this.votes = voteBatches && new GroupCommit((calls) => this.castVotes(calls), voteBatches);
  }

  abstract withCaller<T>(caller: Caller, fn: (query: SqlQuery) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;

  /** Runs one statement in a transaction of its own as `caller`. */
  protected callAs<T>(caller: Caller, text: string, params: unknown[]): Promise<T[]> {
    return this.withCaller(caller, (query) => query<T>(text, params));
  }

  /** Runs one statement in a transaction of its own as the server's login role, under no caller's role. */
  protected runBatch<T>(_text: string, _params: unknown[]): Promise<T[]> {
    return Promise.reject(new Error(`${this.backend}: this connection cannot write batches as its login role.`));
  }

  /** Calls a function as `caller`; votes that arrive together share one transaction. */
  async rpc<T>(fn: string, args: RpcArgs, caller: Caller): Promise<T> {
    if (fn === 'cast_vote' && this.votes) {
      for (const name of Object.keys(args)) if (!voteParameters.includes(name)) throw new Error(`Not an argument of cast_vote: ${name}`);
      return (await this.votes.submit({ args, caller })) as T;
    }
    const { text, params } = rpcStatement(fn, args);
    const rows = await this.callAs<{ result: T }>(caller, text, params);
    return rows[0]?.result as T;
  }

  /**
   * One transaction for the whole batch; inside it private.cast_votes calls public.cast_vote for each
   * vote as its own caller, in a block of its own, so a refused vote fails alone.
   */
  private async castVotes(calls: { args: RpcArgs; caller: Caller }[]): Promise<Outcome<unknown>[]> {
    const voters = calls.map(({ caller }) => voterOf(caller));
    const order = calls.map((_, i) => i).sort((a, b) => (voters[a] < voters[b] ? -1 : voters[a] > voters[b] ? 1 : 0));
    const payload = order.map((i) => {
      const { args, caller } = calls[i];
      const [role, claims] = roleSettings(caller);
      return { ...args, role, claims };
    });
    const [row] = await this.runBatch<{ outcomes: VoteOutcome[] }>(castVotesStatement, [JSON.stringify(payload)]).catch((error) => {
      throw toAppError(error);
    });
    const outcomes = new Array<Outcome<unknown>>(calls.length);
    order.forEach((i, k) => {
      const outcome = row.outcomes[k];
      outcomes[i] =
        'error' in outcome
          ? { ok: false, error: toAppError(Object.assign(new Error(outcome.error.message), { code: outcome.error.code, constraint: outcome.error.constraint ?? undefined })) }
          : { ok: true, value: outcome.result };
    });
    return outcomes;
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
