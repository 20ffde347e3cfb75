import { error, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { refusalMessage } from '$lib/server/forms/action';
import { getEventState } from '$lib/server/events/events';
import { eventPageLocale } from '$lib/server/events/locale';
import type { LayoutServerLoad } from './$types';

/** The staff pages of one event: note-takers and up. Participants belong on the phone view. */
export const load: LayoutServerLoad = async (page) => {
  const { params, locals, url, depends } = page;
  depends('event:state');
  const actor = await locals.actor();
  if (actor.caller.kind !== 'user') redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  try {
    const state = await getEventState(actor, params.eventId);
    const role = state.me?.role ?? 'participant';
    if (role === 'participant') redirect(303, `/m/${params.eventId}`);
    return {
      state,
      role,
      locale: eventPageLocale(page, state.event.language)
    };
  } catch (e) {
    if (isAppError(e)) error(e.status, await refusalMessage(page, e));
    throw e;
  }
};
