import { randomUUID } from 'node:crypto';
import { userError } from '../../errors';
import type { EventState } from '../../types';
import type { Actor } from '../actor';
import type { Database } from '../db/types';
import { getProjectorState } from '../events/events';
import type { LiveAccess, LiveClient, LiveHub, LiveMessage } from './hub';

const heartbeatMs = 20_000;
/** The staff's change notices a screen that does not read may owe; beyond, it has fallen behind. */
const maxPendingChanges = 500;
const encoder = new TextEncoder();
const clientIdPattern = /^[\w-]{1,64}$/;

/**
 * One screen's stream. It writes only as fast as the screen reads: until then it keeps the latest
 * view and the latest tally of each poll (a newer one replaces the older), so a phone that stops
 * reading holds the server to a few references, whatever happens in the room meanwhile. When it
 * reads again it gets the room as it is now. Staff change notices are kept in order; a screen that
 * owes too many of them is closed, and its reconnect starts with a fresh state.
 */
export class LiveStream implements LiveClient {
  memberId: string | null = null;
  private readonly pending = new Map<string, { event: string; json: string }>();
  private changes = 0;
  private sequence = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private wake: (() => void) | undefined;
  private closed = false;
  private unsubscribe = () => {};

  constructor(
    readonly eventId: string,
    readonly access: LiveAccess,
    readonly userId: string | null,
    readonly clientId: string,
    readonly recheck: () => Promise<LiveAccess | null>
  ) {}

  /** Takes its place in the hub (or is refused with a 429); messages wait here until the response reads them. */
  join(hub: LiveHub) {
    this.unsubscribe = hub.add(this);
  }

  offer(message: LiveMessage) {
    if (this.closed) return;
    if (message.event === 'change') {
      if (this.changes >= maxPendingChanges) return this.fail(new Error('The screen fell behind the live updates.'));
      this.pending.set(`change:${++this.changes}`, message);
    } else {
      // The newest of a kind replaces the one not yet sent, and is sent after what came before it.
      const key = message.event === 'tally' ? `tally:${message.pollId}` : 'view';
      this.pending.delete(key);
      this.pending.set(key, message);
    }
    this.wake?.();
  }

  /** The Server-Sent Event response: first the caller's own full state, then what the hub offers. */
  response(initial: EventState): Response {
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
          controller.enqueue(encoder.encode(`retry: 2000\n\n${this.frame('state', JSON.stringify(initial))}`));
          this.heartbeat = setInterval(() => {
            this.pending.set('heartbeat', { event: '', json: '' });
            this.wake?.();
          }, heartbeatMs);
        },
        pull: (controller) => this.next(controller),
        cancel: () => this.stop()
      },
      // Nothing is produced ahead of the reader: what it has not asked for stays replaceable.
      { highWaterMark: 0 }
    );
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no'
      }
    });
  }

  close() {
    if (this.closed) return;
    this.stop();
    try {
      this.controller?.close();
    } catch {
      /* already closed by the reader */
    }
  }

  private async next(controller: ReadableStreamDefaultController<Uint8Array>) {
    while (!this.closed && this.pending.size === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    if (this.closed) {
      try {
        controller.close();
      } catch {
        /* closed or failed already */
      }
      return;
    }
    let chunk = '';
    for (const { event, json } of this.pending.values()) chunk += event ? this.frame(event, json) : ': keep-alive\n\n';
    this.pending.clear();
    this.changes = 0;
    controller.enqueue(encoder.encode(chunk));
  }

  private frame(event: string, json: string) {
    return `id: ${++this.sequence}\nevent: ${event}\ndata: ${json}\n\n`;
  }

  /** Ends the connection itself (not just the stream), so nothing stays buffered for a screen that stopped reading. */
  private fail(error: Error) {
    if (this.closed) return;
    this.stop();
    this.controller?.error(error);
  }

  private stop() {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.pending.clear();
    this.unsubscribe();
    this.wake?.();
  }
}

/**
 * Opens an event's stream. It takes its place in the hub before it reads the caller's state, so
 * no change between the two is missed; EventSource reconnects by itself and catches up the same way.
 */
export async function openEventStream(
  hub: LiveHub | null,
  db: Database,
  actor: Actor,
  eventId: string,
  projectorToken: string | null,
  clientId: string | null
): Promise<Response> {
  if (!hub) throw userError(404, 'not_found', 'refusal.liveElsewhere');
  const page = clientId && clientIdPattern.test(clientId) ? clientId : randomUUID();
  let stream: LiveStream;
  let readState: () => Promise<EventState>;
  if (projectorToken) {
    readState = () => getProjectorState(db, eventId, projectorToken);
    // Only a valid link takes one of the projector's places.
    await readState();
    stream = new LiveStream(eventId, 'projector', null, page, async () => 'projector');
  } else {
    const caller = actor.caller;
    if (caller.kind !== 'user') throw userError(401, 'unauthenticated', 'refusal.signInOrJoin');
    const accessOf = () => db.rpc<LiveAccess>('live_stream_access', { p_event_id: eventId }, caller);
    readState = () => db.rpc<EventState>('get_event_state', { p_event_id: eventId }, caller);
    stream = new LiveStream(eventId, await accessOf(), caller.claims.sub, page, accessOf);
  }
  stream.join(hub);
  let initial: EventState;
  try {
    initial = await readState();
  } catch (error) {
    stream.close();
    throw error;
  }
  stream.memberId = initial.me?.memberId ?? null;
  return stream.response(initial);
}
