import { redirect } from '@sveltejs/kit';
import { guardLoad } from '$lib/server/forms/action';
import { getEventState } from '$lib/server/events/events';
import { eventPageLocale } from '$lib/server/events/locale';
import type { LayoutServerLoad } from './$types';

/** The staff pages of one event: note-takers and up. Participants belong on the phone view. */
export const load: LayoutServerLoad = guardLoad(async (page) => {
  const { params, locals, url, depends } = page;
  depends('event:state');
  const actor = await locals.actor();
  if (actor.caller.kind !== 'user') redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  const state = await getEventState(actor, params.eventId);
  const role = state.me?.role ?? 'participant';
  if (role === 'participant') redirect(303, `/m/${params.eventId}`);
  return {
    state,
    role,
    locale: eventPageLocale(page, state.event.language)
  };
});
