import { api } from '$lib/server/api/http';
import { openEventStream } from '$lib/server/live/stream';
import type { RequestHandler } from './$types';

/** streamEvent: the live updates of one event as Server-Sent Events. */
export const GET: RequestHandler = api(async ({ locals, params, url }) =>
  openEventStream(locals.runtime.hub, locals.runtime.db, await locals.actor(), params.eventId, url.searchParams.get('projector'))
);
