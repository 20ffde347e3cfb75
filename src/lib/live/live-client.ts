/**
 * What a screen hears from the live connection, whichever back end carries it: the data port's
 * adapters (src/lib/client/data/) deliver Server-Sent Events from the app server or Supabase Realtime
 * broadcasts as these.
 */
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
