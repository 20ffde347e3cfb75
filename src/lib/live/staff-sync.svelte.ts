import { invalidate } from '$app/navigation';
import type { DataPort } from '../client/data';
import type { EventState } from '../types';
import { EventLive } from './event-live.svelte';

/**
 * Staff screens read their own, fuller view: every change they hear about reloads it (at most a few
 * times a second), and live tallies update the poll in between.
 */
export function staffLive(initial: EventState, port: DataPort): EventLive {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new EventLive(initial, {
    port,
    audience: 'staff',
    onChange: () => {
      clearTimeout(timer);
      timer = setTimeout(() => void Promise.all([invalidate('event:state'), invalidate('event:notes')]), 150);
    }
  });
}
