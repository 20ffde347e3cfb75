import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { isAppError } from '$lib/errors';
import { publicOrigin } from '$lib/server/announce';
import { getEventState, getProjectorState, joinPath } from '$lib/server/events/events';
import { eventPageLocale } from '$lib/server/events/locale';
import { refusalMessage } from '$lib/server/forms/action';
import { userError } from '$lib/errors';
import type { PageServerLoad } from './$types';

/** The wall screen: by its read-only link (?token=), or opened by a signed-in chair or organiser. */
export const load: PageServerLoad = async (page) => {
  const { params, url, locals } = page;
  const token = url.searchParams.get('token');
  try {
    const actor = await locals.actor();
    const state = token ? await getProjectorState(locals.runtime.db, params.eventId, token) : await getEventState(actor, params.eventId);
    if (!token && !['chair', 'organiser'].includes(state.me?.role ?? '')) throw userError(403, 'forbidden', 'refusal.projectorNoLink');
    const joinUrl = publicOrigin(locals.runtime, url) + joinPath(state.event.code);
    return {
      state,
      token,
      joinUrl,
      // Our own SVG from the join address: no user text in it.
      qr: await QRCode.toString(joinUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
      theme: url.searchParams.get('theme') === 'light' ? 'light' : 'dark',
      locale: eventPageLocale(page, state.event.language)
    };
  } catch (e) {
    if (isAppError(e)) error(e.status === 401 ? 403 : e.status, await refusalMessage(page, e));
    throw e;
  }
};
