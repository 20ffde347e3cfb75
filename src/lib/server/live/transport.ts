import type { BackendConfig } from '../../client/data/port';
import type { Runtime } from '../runtime';

/**
 * How browsers reach the back end: the app server's API and stream (embedded back ends), or Supabase
 * itself with the project URL and the public anon key.
 */
export function browserBackend(runtime: Runtime): BackendConfig {
  const backend = runtime.config.backend;
  return backend.kind === 'supabase' ? { kind: 'supabase', url: backend.url, anonKey: backend.anonKey } : { kind: 'http' };
}
