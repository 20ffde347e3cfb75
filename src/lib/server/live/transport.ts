import type { LiveTransport } from '../../live/live-client';
import type { AuthSession } from '../auth/port';
import type { Runtime } from '../runtime';

/** How a page's browser should listen: the app server's stream, or Supabase Realtime with its token. */
export function liveTransport(runtime: Runtime, session: AuthSession | null, staff: boolean): LiveTransport {
  const backend = runtime.config.backend;
  if (backend.kind !== 'supabase' || !session) return { kind: 'sse' };
  return { kind: 'supabase', url: backend.url, anonKey: backend.anonKey, accessToken: session.accessToken, staff };
}
