import type { SupabaseClient } from '@supabase/supabase-js';
import { HttpDataPort } from './http';
import type { BackendConfig, DataPort, PortOptions } from './port';
import { SupabaseDataPort } from './supabase';

export type { Audience, BackendConfig, DataPort, JoinInput, PortOptions } from './port';
export { DataError } from './port';

let browserClient: Promise<SupabaseClient> | undefined;

/**
 * The page's one Supabase client (supabase-js is loaded only on Supabase). @supabase/ssr keeps the
 * session in cookies, so the server renders pages for the same session, and refreshes it itself.
 */
function supabaseInBrowser(url: string, anonKey: string): Promise<SupabaseClient> {
  return (browserClient ??= import('@supabase/ssr').then(({ createBrowserClient }) =>
    createBrowserClient(url, anonKey, { cookieOptions: { secure: location.protocol === 'https:' } })
  ));
}

/** The data port for the back end the server named. */
export function dataPort(backend: BackendConfig, options: PortOptions = {}): DataPort {
  return backend.kind === 'supabase'
    ? new SupabaseDataPort(() => supabaseInBrowser(backend.url, backend.anonKey), options)
    : new HttpDataPort(options);
}
