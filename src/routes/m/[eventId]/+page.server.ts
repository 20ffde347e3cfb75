import { error, fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { getEventState } from '$lib/server/events/events';
import { eventLocale } from '$lib/server/events/locale';
import { castVote } from '$lib/server/polls/polls';
import { limits } from '$lib/server/rate-limit';
import { submitThesis } from '$lib/server/theses/theses';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, cookies, request, url }) => {
  const actor = await locals.actor();
  if (actor.caller.kind !== 'user') redirect(303, '/');
  try {
    const state = await getEventState(actor, params.eventId);
    return {
      state,
      locale: eventLocale(cookies, request, state.event.language, url)
    };
  } catch (e) {
    if (isAppError(e) && (e.status === 403 || e.status === 401)) redirect(303, '/');
    if (isAppError(e)) error(e.status, e.message);
    throw e;
  }
};

/** The same votes and theses as the API, for phones without JavaScript. */
export const actions: Actions = {
  vote: async ({ request, locals, params }) => {
    const form = Object.fromEntries(await request.formData());
    try {
      await castVote(await locals.actor(), form, params.eventId);
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: e.message });
      throw e;
    }
  },
  thesis: async ({ request, locals, params }) => {
    const form = Object.fromEntries(await request.formData());
    try {
      limits.submitPerDevice.hit(locals.deviceId);
      await submitThesis(await locals.actor(), params.eventId, form);
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: e.message, text: String(form.text ?? '') });
      throw e;
    }
    return { submitted: true };
  }
};
