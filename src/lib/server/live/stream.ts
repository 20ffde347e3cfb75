import { AppError } from '../../errors';
import type { EventState } from '../../types';
import type { Actor } from '../actor';
import type { Database } from '../db/types';
import { getProjectorState } from '../events/events';
import type { LiveAccess, LiveHub } from './hub';

const heartbeatMs = 20_000;
const encoder = new TextEncoder();

/**
 * An event's Server-Sent Event stream. It opens with the caller's own full state, so a reconnect
 * (EventSource retries by itself) catches up on everything it missed, then relays the hub's updates.
 */
export async function openEventStream(
  hub: LiveHub | null,
  db: Database,
  actor: Actor,
  eventId: string,
  projectorToken: string | null
): Promise<Response> {
  if (!hub) throw new AppError(404, 'not_found', 'Live updates come from Supabase Realtime on this server.');
  let access: LiveAccess;
  let initial: EventState;
  if (projectorToken) {
    initial = await getProjectorState(db, eventId, projectorToken);
    access = 'projector';
  } else {
    if (actor.caller.kind !== 'user') throw new AppError(401, 'unauthenticated', 'Sign in or join the event first.');
    access = (await db.rpc<'staff' | 'member'>('live_stream_access', { p_event_id: eventId }, actor.caller)) as LiveAccess;
    initial = await db.rpc<EventState>('get_event_state', { p_event_id: eventId }, actor.caller);
  }

  let stop = () => {};
  const userId = actor.caller.kind === 'user' && !projectorToken ? actor.caller.claims.sub : undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let sequence = 0;
      const write = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          stop();
        }
      };
      const send = (event: string, json: string) => write(`id: ${++sequence}\nevent: ${event}\ndata: ${json}\n\n`);
      write('retry: 2000\n\n');
      send('state', JSON.stringify(initial));
      const close = () => {
        stop();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      const unsubscribe = hub.add({ eventId, access, send, userId, close });
      const heartbeat = setInterval(() => write(': keep-alive\n\n'), heartbeatMs);
      stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
    },
    cancel() {
      stop();
    }
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no'
    }
  });
}
