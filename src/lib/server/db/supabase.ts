import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { userError } from '../../errors';
import { toAppError } from './errors';
import type { Broadcast, Caller, Database, RpcArgs } from './types';

/**
 * supabase-js builds a Realtime client with every client and, on Node 20, refuses to without a
 * WebSocket. The server never subscribes (browsers do), so it gets a socket that cannot be opened.
 */
class NoServerWebSocket {
  constructor() {
    throw new Error('The Kennisdag server does not open Realtime connections.');
  }
}
export const serverRealtimeOptions = {
  transport: (globalThis.WebSocket ?? NoServerWebSocket) as unknown as typeof WebSocket
};

export interface SupabaseSettings {
  url: string;
  anonKey: string;
  serviceRoleKey?: string;
  /** Injected in tests to see the requests supabase-js makes. */
  fetch?: typeof fetch;
}

/**
 * Supabase: PostgREST runs the same functions under the same policies, with the caller's access
 * token. Live updates go from the database to the browsers through Supabase Realtime directly, so
 * the app server receives no broadcasts here.
 */
export class SupabaseDatabase implements Database {
  readonly backend = 'supabase' as const;

  constructor(private readonly settings: SupabaseSettings) {}

  /** A client that acts as `caller`: each request carries that caller's bearer token. */
  clientFor(caller: Caller): SupabaseClient {
    const { url, anonKey, serviceRoleKey } = this.settings;
    let key = anonKey;
    let bearer = anonKey;
    if (caller.kind === 'user') bearer = caller.accessToken;
    if (caller.kind === 'service') {
      if (!serviceRoleKey) throw userError(503, 'unavailable', 'refusal.serviceKey');
      key = bearer = serviceRoleKey;
    }
    return createClient(url, key, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: serverRealtimeOptions,
      global: { headers: { Authorization: `Bearer ${bearer}` }, ...(this.settings.fetch ? { fetch: this.settings.fetch } : {}) }
    });
  }

  async rpc<T>(fn: string, args: RpcArgs, caller: Caller): Promise<T> {
    const body = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    const { data, error } = await this.clientFor(caller).rpc(fn, body);
    if (error) throw toAppError(error);
    return data as T;
  }

  onBroadcast(_listener: (message: Broadcast) => void): () => void {
    return () => {};
  }

  async close(): Promise<void> {}
}
