/**
 * The one client-side data port: everything a phone, the projector or a staff screen asks of the
 * back end from the browser. Two adapters implement it: `http` (the app server's JSON API and its
 * Server-Sent Events, on the embedded back ends) and `supabase` (supabase-js straight to Supabase:
 * Auth, PostgREST and Realtime, with the app server in no live path). Pages and the offline outbox
 * see only this port.
 */
import type { EventState, GuestMatch, LiveTally } from '../../types';
import type { LiveHandlers } from '../../live/live-client';
import type { Delivery, OutboxItem } from '../../offline/outbox';

/** Who listens: a participant's phone, a staff screen (note-taker and up), or the projector link. */
export type Audience = 'member' | 'staff' | 'projector';

/** How the browser reaches the back end; the server tells each page. */
export type BackendConfig = { kind: 'http' } | { kind: 'supabase'; url: string; anonKey: string };

export interface JoinInput {
  name: string;
  organisation: string;
  role: string;
  listed: boolean;
  /** The invited guest this phone says it is; none for a walk-in. */
  guestId?: string | null;
}

export interface PortOptions {
  /** The read-only projector link's secret, for the projector screen. */
  projectorToken?: string;
}

export interface DataPort {
  readonly kind: BackendConfig['kind'];
  /**
   * Joins an event from the browser, where the phone signs in by itself (Supabase: each phone's own
   * address counts against Auth's limits). Null where the app server joins (the form posts).
   */
  readonly join: ((code: string, input: JoinInput) => Promise<{ eventId: string }>) | null;
  /** The invited guests whose names fit what a joining phone typed (at most a few); null where the form posts. */
  readonly findGuests: ((code: string, name: string) => Promise<GuestMatch[]>) | null;
  /** The caller's own view of the event (the projector's view for the projector link). */
  state(eventId: string): Promise<EventState>;
  /** The room's tally of a poll, or null while the caller may not see it. */
  results(eventId: string, pollId: string): Promise<LiveTally | null>;
  /** Upvotes a thesis in the queue, or takes the upvote back; false when the back end refused. */
  upvote(eventId: string, thesisId: string, upvoted: boolean): Promise<boolean>;
  /** Sends one queued vote or thesis (the outbox's delivery). */
  deliver(item: OutboxItem): Promise<Delivery>;
  /** Keeps `handlers` current until the returned function is called; catches up after every reconnect. */
  listen(eventId: string, audience: Audience, handlers: LiveHandlers): () => void;
}

/** A refusal the user can read, with the HTTP status it stands for. */
export class DataError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
    this.name = 'DataError';
  }
}
