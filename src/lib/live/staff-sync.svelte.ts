import { invalidate } from '$app/navigation';
import type { EventState } from '../types';
import { EventLive } from './event-live.svelte';
import type { LiveTransport } from './live-client';

/**
 * Staff screens read their own, fuller view: every change they hear about reloads it (at most a few
 * times a second), and live tallies update the poll in between.
 */
export function staffLive(initial: EventState, transport: LiveTransport): EventLive {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new EventLive(initial, {
    eventId: initial.event.id,
    transport,
    onChange: () => {
      clearTimeout(timer);
      timer = setTimeout(() => void Promise.all([invalidate('event:state'), invalidate('event:notes')]), 150);
    }
  });
}
