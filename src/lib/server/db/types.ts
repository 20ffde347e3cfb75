/** The claims the server puts in `request.jwt.claims`, shaped like Supabase Auth's access tokens. */
export interface JwtClaims {
  sub: string;
  role: 'authenticated';
  aud: 'authenticated';
  is_anonymous: boolean;
  email?: string;
  /** The sign-in session a registered user's token belongs to; signing out ends it. */
  session_id?: string;
  exp?: number;
  iat?: number;
}

/** Who a database call runs as: PostgREST's `anon`, a signed-in user, or the server itself. */
export type Caller =
  | { kind: 'anon' }
  | { kind: 'user'; claims: JwtClaims; accessToken: string }
  | { kind: 'service' };

export const anonCaller: Caller = { kind: 'anon' };
export const serviceCaller: Caller = { kind: 'service' };

/** One message sent with `realtime.send(payload, event, topic, private)`. */
export interface Broadcast {
  topic: string;
  event: string;
  payload: Record<string, unknown>;
  private: boolean;
}

export type RpcArgs = Record<string, unknown>;

export interface Database {
  readonly backend: 'pglite' | 'postgres' | 'supabase';
  /** Calls a function of the public schema as `caller`, under row-level security. */
  rpc<T = unknown>(fn: string, args: RpcArgs, caller: Caller): Promise<T>;
  /** Receives every broadcast of every event; returns the unsubscribe. */
  onBroadcast(listener: (message: Broadcast) => void): () => void;
  close(): Promise<void>;
}

/** A query runner inside one transaction of the embedded back ends. */
export type SqlQuery = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/** The embedded back ends (PGlite, PostgreSQL) also give the server plain SQL, always under a role. */
export interface SqlDatabase extends Database {
  readonly backend: 'pglite' | 'postgres';
  withCaller<T>(caller: Caller, fn: (query: SqlQuery) => Promise<T>): Promise<T>;
}
