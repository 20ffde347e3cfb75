import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { getEventState, lookupEvent } from '$lib/server/events/events';
import { checkIn, findGuests } from '$lib/server/events/guests';
import type { GuestMatch } from '$lib/types';
import { joinEvent } from '$lib/server/events/join';
import { eventPageLocale } from '$lib/server/events/locale';
import { guardActions, guardLoad, readFields, refusalMessage } from '$lib/server/forms/action';
import { clientOf } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = guardLoad(async (page) => {
  const { params, locals } = page;
  await locals.runtime.limits.lookup(clientOf(page));
  const event = await lookupEvent(locals.runtime.db, { code: params.code });
  // A phone that joined before goes straight back in; on the day, that is attending.
  const actor = await locals.actor();
  if (actor.caller.kind === 'user') {
    const state = await getEventState(actor, event.id).catch(() => null);
    if (state?.me) {
      await checkIn(actor, event.id);
      redirect(303, `/m/${event.id}`);
    }
  }
  return { event, code: params.code.toUpperCase(), locale: eventPageLocale(page, event.language) };
});

export const actions: Actions = guardActions({
  /**
   * Joining: when the name typed fits invited guests, the phone is asked first which of them it is
   * (or whether it walks in); the very name of one unclaimed guest joins as that guest at once.
   */
  default: async (event) => {
    const { params, locals } = event;
    const form = await readFields(event);
    const values = { name: String(form.name ?? ''), organisation: String(form.organisation ?? ''), role: String(form.role ?? ''), listed: form.listed === 'true' };
    let eventId: string;
    try {
      // One press of the button is one join, whether it asks which guest this is or joins at once.
      await locals.runtime.limits.join(clientOf(event));
      if (form.chosen !== 'true') {
        const candidates: GuestMatch[] = await findGuests(locals.runtime.db, (await locals.actor()).caller, { code: params.code, name: form.name });
        const obvious = candidates.length === 1 && candidates[0].exact && !candidates[0].claimed;
        if (candidates.length && !obvious) return { candidates, values };
      }
      const joined = await joinEvent(locals.runtime.db, locals.auth, await locals.safeGetSession(), { ...form, code: params.code, listed: form.listed ?? 'false' });
      locals.startSession(joined.session);
      eventId = joined.eventId;
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: await refusalMessage(event, e), values });
      throw e;
    }
    redirect(303, `/m/${eventId}`);
  }
});
