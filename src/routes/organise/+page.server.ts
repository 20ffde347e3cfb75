import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { translator } from '$lib/i18n';
import { parseJson, decodeUtf8 } from '$lib/server/edge/body';
import { guardActions, readFields, readForm, refusalMessage } from '$lib/server/forms/action';
import { getMyAccount, setMyName } from '$lib/server/account/account';
import { createEvent, importEvent, listMyEvents } from '$lib/server/events/events';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const session = await locals.safeGetSession();
  if (!session || session.claims.is_anonymous) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  const actor = await locals.actor();
  // Only an account with an organiser grant has a name to set here; a chair's account has none.
  const [events, account] = await Promise.all([listMyEvents(actor), getMyAccount(actor).catch((e) => (isAppError(e) && e.status === 403 ? null : Promise.reject(e)))]);
  return { events, account, email: session.claims.email ?? '' };
};

export const actions: Actions = guardActions({
  account: async (event) => {
    try {
      await setMyName(await event.locals.actor(), await readFields(event));
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { accountError: await refusalMessage(event, e) });
      throw e;
    }
    return { accountSaved: true };
  },
  create: async (event) => {
    const { locals } = event;
    const form = await readFields(event);
    let id: string;
    try {
      id = (await createEvent(await locals.actor(), form)).id;
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { createError: await refusalMessage(event, e) });
      throw e;
    }
    redirect(303, `/e/${id}`);
  },
  import: async (event) => {
    const { locals } = event;
    const file = (await readForm(event)).get('archive');
    let id: string;
    try {
      if (!(file instanceof File) || file.size === 0) return fail(400, { importError: translator(locals.locale)('organise.chooseArchive') });
      const archive = parseJson(decodeUtf8(new Uint8Array(await file.arrayBuffer())));
      id = (await importEvent(await locals.actor(), archive)).id;
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { importError: await refusalMessage(event, e) });
      throw e;
    }
    redirect(303, `/e/${id}`);
  }
});
