import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { getEventState } from '$lib/server/events/events';
import { eventPageLocale } from '$lib/server/events/locale';
import { formAction, guardActions, guardLoad, readFields, refusalMessage } from '$lib/server/forms/action';
import { castVote } from '$lib/server/polls/polls';
import { submitThesis, upvoteThesis } from '$lib/server/theses/theses';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = guardLoad(async (page) => {
  const { params, locals } = page;
  const actor = await locals.actor();
  if (actor.caller.kind !== 'user') redirect(303, '/');
  try {
    const state = await getEventState(actor, params.eventId);
    return {
      state,
      locale: eventPageLocale(page, state.event.language)
    };
  } catch (e) {
    // A phone that is not (or no longer) in the event joins again from the start page.
    if (isAppError(e) && (e.status === 403 || e.status === 401)) redirect(303, '/');
    throw e;
  }
});

/** The same votes and theses as the API, for phones without JavaScript. */
export const actions: Actions = guardActions({
  vote: async (event) => {
    const { locals, params } = event;
    const form = await readFields(event);
    try {
      await castVote(await locals.actor(), form, params.eventId);
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: await refusalMessage(event, e) });
      throw e;
    }
  },
  thesis: async (event) => {
    const { locals, params } = event;
    const form = await readFields(event);
    try {
      const actor = await locals.actor();
      if (actor.caller.kind === 'user') await locals.runtime.limits.submit(actor.caller.claims.sub);
      await submitThesis(actor, params.eventId, form);
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: await refusalMessage(event, e), text: String(form.text ?? '') });
      throw e;
    }
    return { submitted: true };
  },
  upvote: formAction((actor, input) => upvoteThesis(actor, input))
});
