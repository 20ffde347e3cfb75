import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { getEventState } from '$lib/server/events/events';
import { acceptInvitation, checkIn, getInvitation } from '$lib/server/events/guests';
import { eventLocale } from '$lib/server/events/locale';
import { guardActions, guardLoad, readFields, refusalMessage } from '$lib/server/forms/action';
import { clientOf } from '$lib/server/rate-limit';
import { longDate } from '$lib/server/recap/sentences';
import { submitThesis } from '$lib/server/theses/theses';
import type { Actions, PageServerLoad } from './$types';

/**
 * A guest's personal invitation: they say whether they may be listed, submit their thesis before the
 * day, and join on the day as themselves, with no account (the phone signs in anonymously, as when
 * joining by code, and is bound to the guest).
 */
export const load: PageServerLoad = guardLoad(async (page) => {
  const { params, locals, cookies, request, url } = page;
  await locals.runtime.limits.lookup(clientOf(page));
  const actor = await locals.actor();
  const invitation = await getInvitation(locals.runtime.db, actor.caller, params);
  const { event } = invitation;
  let theses: { id: string; text: string; status: string }[] = [];
  let attended = false;
  if (invitation.mine) {
    attended = await checkIn(actor, event.id);
    theses = (await getEventState(actor, event.id)).theses.filter((thesis) => thesis.mine);
  }
  return {
    invitation,
    theses,
    attended,
    date: event.date ? longDate(event.date, event.language) : null,
    locale: eventLocale(cookies, request, event.language, url)
  };
});

export const actions: Actions = guardActions({
  accept: async (event) => {
    const { params, locals } = event;
    const form = await readFields(event);
    await locals.runtime.limits.join(clientOf(event));
    const accepted = await acceptInvitation(locals.runtime.db, locals.auth, await locals.safeGetSession(), { token: params.token, listed: form.listed ?? 'false' });
    locals.startSession(accepted.session);
    // On the day the guest goes straight into the event; before it, back to the invitation to send a thesis.
    redirect(303, accepted.attended ? `/m/${accepted.eventId}` : `/i/${params.token}`);
  },
  thesis: async (event) => {
    const { params, locals } = event;
    const form = await readFields(event);
    try {
      const actor = await locals.actor();
      const invitation = await getInvitation(locals.runtime.db, actor.caller, params);
      if (actor.caller.kind === 'user') await locals.runtime.limits.submit(actor.caller.claims.sub);
      await submitThesis(actor, invitation.event.id, form);
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { error: await refusalMessage(event, e), text: String(form.text ?? '') });
      throw e;
    }
    return { submitted: true };
  }
});
