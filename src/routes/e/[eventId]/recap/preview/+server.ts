import { error, json } from '@sveltejs/kit';
import { recapHtml } from '$lib/server/recap/render-html';
import { getEventState } from '$lib/server/events/events';
import type { RequestHandler } from './$types';

/** The editor's live preview: the same sanitised rendering as the public page. */
export const POST: RequestHandler = async ({ request, locals, params }) => {
  const actor = await locals.actor();
  if (actor.caller.kind !== 'user') error(401, 'Sign in first.');
  const state = await getEventState(actor, params.eventId).catch(() => null);
  if (state?.me?.role !== 'organiser') error(403, 'Only organisers edit the recap.');
  const markdown = await request.text();
  if (markdown.length > 500_000) error(413, 'The recap is longer than 500,000 characters.');
  return json({ html: recapHtml(markdown) });
};
