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

/**
 * What the two embedded back ends share: calling a function through a role-switching transaction,
 * and handing the `realtime` notifications to the listeners.
 */
export abstract class RoleSwitchingDatabase implements SqlDatabase {
  abstract readonly backend: 'pglite' | 'postgres';
  private readonly listeners = new Set<(message: Broadcast) => void>();

  abstract withCaller<T>(caller: Caller, fn: (query: SqlQuery) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;

  async rpc<T>(fn: string, args: RpcArgs, caller: Caller): Promise<T> {
    const { text, params } = rpcStatement(fn, args);
    const rows = await this.withCaller(caller, (query) => query<{ result: T }>(text, params));
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
