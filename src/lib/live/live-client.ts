/**
 * The one client module for live updates. Screens say what they want to hear about; this module
 * decides how: Server-Sent Events from the app server (embedded back ends), or Supabase Realtime
 * broadcast on the private channels `event:<id>` and `event:<id>:staff` (Supabase).
 */
import { randomId } from '../random-id';
import type { EventState, LiveTally, LiveView } from '../types';

export type LiveStatus = 'connecting' | 'open' | 'offline';

/** What changed, for screens that fetch their own view (staff screens). */
export interface LiveChange {
  table: string;
  op: 'insert' | 'update' | 'delete';
  id: string;
  status?: string | null;
}

export interface LiveHandlers {
  /** The screen's own full state, on every (re)connect. */
  state?(state: EventState): void;
  /** Phones and the projector: the room's small public view after each change. */
  view?(view: LiveView): void;
  change?(change: LiveChange): void;
  tally?(tally: LiveTally): void;
  status?(status: LiveStatus): void;
}

export type LiveTransport =
  | { kind: 'sse' }
  | { kind: 'supabase'; url: string; anonKey: string; accessToken: string; staff: boolean };

export interface LiveOptions {
  eventId: string;
  transport: LiveTransport;
  /** The read-only projector link's token, instead of a signed-in user. */
  projectorToken?: string;
}

/** Connects and returns the disconnect. */
export function connectLive(options: LiveOptions, handlers: LiveHandlers): () => void {
  return options.transport.kind === 'supabase'
    ? connectSupabase(options.eventId, options.transport, handlers)
    : connectSse(options, handlers);
}

function connectSse({ eventId, projectorToken }: LiveOptions, handlers: LiveHandlers): () => void {
  // The page's reconnects replace its own earlier stream on the server instead of adding one.
  const query = new URLSearchParams({ client: randomId() });
  if (projectorToken) query.set('projector', projectorToken);
  const url = `/api/v1/events/${eventId}/stream?${query}`;
  // While the browser knows it has no network, the page says so, whatever a stream last did.
  const status = (next: LiveStatus) => handlers.status?.(navigator.onLine === false ? 'offline' : next);
  const offline = () => handlers.status?.('offline');
  const waiting = () => status('connecting');
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let retryMs = 2000;

  const connect = () => {
    clearTimeout(retry);
    source?.close();
    const current = (source = new EventSource(url, { withCredentials: true }));
    waiting();
    const on = <T>(name: string, handler: ((data: T) => void) | undefined) => {
      if (!handler) return;
      current.addEventListener(name, (message) => handler(JSON.parse((message as MessageEvent<string>).data) as T));
    };
    on('state', handlers.state);
    on('view', handlers.view);
    on('change', handlers.change);
    on('tally', handlers.tally);
    current.addEventListener('open', () => {
      retryMs = 2000;
      status('open');
    });
    // EventSource retries a dropped stream by itself, and each stream opens with a fresh state, so
    // nothing is missed; it gives up on an answer that is not a stream (a restarting server, too many
    // open pages), so then this page tries again itself, less often each time.
    current.addEventListener('error', () => {
      if (current.readyState !== EventSource.CLOSED) return waiting();
      offline();
      retry = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 60_000);
    });
  };
  // Back online: connect afresh at once rather than after EventSource's or this page's next retry.
  const online = () => connect();
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
  connect();
  return () => {
    clearTimeout(retry);
    window.removeEventListener('offline', offline);
    window.removeEventListener('online', online);
    source?.close();
  };
}

function connectSupabase(eventId: string, transport: Extract<LiveTransport, { kind: 'supabase' }>, handlers: LiveHandlers): () => void {
  let closed = false;
  let cleanup = () => {};
  handlers.status?.('connecting');
  const refreshState = throttle(async () => {
    const response = await fetch(`/api/v1/events/${eventId}/state`, { credentials: 'same-origin' });
    if (response.ok) handlers.state?.(await response.json());
  }, 300);
  const refreshTally = new Map<string, () => void>();

  void import('@supabase/supabase-js').then(({ createClient }) => {
    if (closed) return;
    const client = createClient(transport.url, transport.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
    void client.realtime.setAuth(transport.accessToken);
    const channels = [client.channel(`event:${eventId}`, { config: { private: true } })];
    if (transport.staff) channels.push(client.channel(`event:${eventId}:staff`, { config: { private: true } }));
    for (const channel of channels) {
      channel.on('broadcast', { event: 'change' }, ({ payload }) => {
        handlers.change?.(payload as LiveChange);
        refreshState();
      });
      channel.on('broadcast', { event: 'vote' }, ({ payload }) => {
        const pollId = String((payload as { pollId: string }).pollId);
        let refresh = refreshTally.get(pollId);
        if (!refresh) {
          refresh = throttle(async () => {
            const response = await fetch(`/api/v1/events/${eventId}/polls/${pollId}/results`, { credentials: 'same-origin' });
            if (response.ok) handlers.tally?.(await response.json());
          }, 100);
          refreshTally.set(pollId, refresh);
        }
        refresh();
      });
      channel.subscribe((status) => {
        if (status === 'SUBSCRIBED') {
          handlers.status?.('open');
          refreshState();
        } else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') handlers.status?.('offline');
      });
    }
    cleanup = () => {
      for (const channel of channels) void client.removeChannel(channel);
    };
  });
  return () => {
    closed = true;
    cleanup();
  };
}

/** Calls `fn` at most once per `ms`, always once more after the last call. */
export function throttle(fn: () => unknown, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      void fn();
    }, Math.max(0, last + ms - Date.now()));
  };
}
