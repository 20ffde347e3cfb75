import { invalidate } from '$app/navigation';
import type { DataPort } from '../client/data';
import type { EventState } from '../types';
import { EventLive } from './event-live.svelte';

/**
 * Staff screens read their own, fuller view: every change they hear about reloads the page's data (at
 * most a few times a second), which the screen then shows, and live tallies update the poll in between.
 */
export function staffLive(loaded: () => EventState, port: DataPort): EventLive {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new EventLive(loaded, {
    port,
    audience: 'staff',
    onChange: () => {
      clearTimeout(timer);
      timer = setTimeout(() => void Promise.all([invalidate('event:state'), invalidate('event:notes')]), 150);
    }
  });
}
