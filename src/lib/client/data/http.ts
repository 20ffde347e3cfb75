import type { EventState, LiveTally } from '../../types';
import type { LiveHandlers, LiveStatus } from '../../live/live-client';
import { randomId } from '../../random-id';
import { deliver, type Delivery, type OutboxItem } from '../../offline/outbox';
import type { Audience, DataPort, PortOptions } from './port';

/**
 * The embedded back ends: the app server's JSON API with the session cookie, and its Server-Sent
 * Event stream, which the server opens with the caller's own state (so a reconnect, which EventSource
 * makes by itself, catches up) and then relays snapshots, changes and coalesced tallies.
 */
export class HttpDataPort implements DataPort {
  readonly kind = 'http' as const;
  /** The join form posts to the app server, which signs the phone in. */
  readonly join = null;
  readonly findGuests = null;

  constructor(
    private readonly options: PortOptions = {},
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init)
  ) {}

  async state(eventId: string): Promise<EventState> {
    const response = await this.fetcher(`/api/v1/events/${eventId}/state`, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async results(eventId: string, pollId: string): Promise<LiveTally | null> {
    const response = await this.fetcher(`/api/v1/events/${eventId}/polls/${pollId}/results`, { credentials: 'same-origin' });
    return response.ok ? response.json() : null;
  }

  async upvote(eventId: string, thesisId: string, upvoted: boolean): Promise<boolean> {
    const response = await this.fetcher(`/api/v1/events/${eventId}/theses/${thesisId}/upvote`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ upvoted })
    }).catch(() => null);
    return Boolean(response?.ok);
  }

  deliver(item: OutboxItem): Promise<Delivery> {
    return deliver(item, this.fetcher);
  }

  listen(eventId: string, _audience: Audience, handlers: LiveHandlers): () => void {
    // The page's reconnects replace its own earlier stream on the server instead of adding one.
    const query = new URLSearchParams({ client: randomId() });
    if (this.options.projectorToken) query.set('projector', this.options.projectorToken);
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
}
