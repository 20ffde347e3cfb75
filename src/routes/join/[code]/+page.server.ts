import { error, fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { getEventState, lookupEvent } from '$lib/server/events/events';
import { joinEvent } from '$lib/server/events/join';
import { eventPageLocale } from '$lib/server/events/locale';
import { guardActions, readFields, refusalMessage } from '$lib/server/forms/action';
import { clientOf } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (page) => {
  const { params, locals } = page;
  let event;
  try {
    await locals.runtime.limits.lookup(clientOf(page));
    event = await lookupEvent(locals.runtime.db, { code: params.code });
  } catch (e) {
    if (isAppError(e)) error(e.status, await refusalMessage(page, e));
    throw e;
  }
  // A phone that joined before goes straight back in.
  const actor = await locals.actor();
  if (actor.caller.kind === 'user') {
    const state = await getEventState(actor, event.id).catch(() => null);
    if (state?.me) redirect(303, `/m/${event.id}`);
  }
  return { event, code: params.code.toUpperCase(), locale: eventPageLocale(page, event.language) };
};

export const actions: Actions = guardActions({
  default: async (event) => {
    const { params, locals } = event;
    const form = await readFields(event);
    let eventId: string;
    try {
      await locals.runtime.limits.join(clientOf(event));
      const joined = await joinEvent(locals.runtime.db, locals.auth, await locals.safeGetSession(), { ...form, code: params.code, listed: form.listed ?? 'false' });
      locals.startSession(joined.session);
      eventId = joined.eventId;
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: await refusalMessage(event, e), values: { name: String(form.name ?? ''), organisation: String(form.organisation ?? ''), role: String(form.role ?? '') } });
      throw e;
    }
    redirect(303, `/m/${eventId}`);
  }
});
