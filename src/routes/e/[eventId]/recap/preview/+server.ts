import { error, json } from '@sveltejs/kit';
import { recapHtml } from '$lib/server/recap/render-html';
import { getEventState } from '$lib/server/events/events';
import { refusalTranslator } from '$lib/server/edge/locale';
import type { RequestHandler } from './$types';

/** The editor's live preview: the same sanitised rendering as the public page. */
export const POST: RequestHandler = async (event) => {
  const { request, locals, params } = event;
  const refuse = async (status: number, key: 'refusal.signIn' | 'refusal.onlyOrganisers' | 'refusal.previewLength') =>
    error(status, (await refusalTranslator(event, { eventId: params.eventId }))(key));
  const actor = await locals.actor();
  if (actor.caller.kind !== 'user') return refuse(401, 'refusal.signIn');
  const state = await getEventState(actor, params.eventId).catch(() => null);
  if (state?.me?.role !== 'organiser') return refuse(403, 'refusal.onlyOrganisers');
  const markdown = await request.text();
  if (markdown.length > 500_000) return refuse(413, 'refusal.previewLength');
  return json({ html: recapHtml(markdown, state.event.language) });
};
