import type { EventState, LiveTally } from '../../types';
import type { LiveHandlers } from '../../live/live-client';
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

  deliver(item: OutboxItem): Promise<Delivery> {
    return deliver(item, this.fetcher);
  }

  listen(eventId: string, _audience: Audience, handlers: LiveHandlers): () => void {
    const token = this.options.projectorToken;
    const query = token ? `?projector=${encodeURIComponent(token)}` : '';
    const source = new EventSource(`/api/v1/events/${eventId}/stream${query}`, { withCredentials: true });
    handlers.status?.('connecting');
    const on = <T>(name: string, handler: ((data: T) => void) | undefined) => {
      if (!handler) return;
      source.addEventListener(name, (message) => handler(JSON.parse((message as MessageEvent<string>).data) as T));
    };
    on('state', handlers.state);
    on('change', handlers.change);
    on('tally', handlers.tally);
    source.addEventListener('open', () => handlers.status?.('open'));
    source.addEventListener('error', () => handlers.status?.(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting'));
    const offline = () => handlers.status?.('offline');
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('offline', offline);
      source.close();
    };
  }
}
