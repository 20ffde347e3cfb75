import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { isAppError } from '$lib/errors';
import { publicOrigin } from '$lib/server/announce';
import { getEventState, getProjectorState } from '$lib/server/events/events';
import { eventLocale } from '$lib/server/events/locale';
import type { PageServerLoad } from './$types';

/** The wall screen: by its read-only link (?token=), or opened by a signed-in chair or organiser. */
export const load: PageServerLoad = async ({ params, url, locals, cookies, request }) => {
  const token = url.searchParams.get('token');
  try {
    const actor = await locals.actor();
    const state = token ? await getProjectorState(locals.runtime.db, params.eventId, token) : await getEventState(actor, params.eventId);
    if (!token && !['chair', 'organiser'].includes(state.me?.role ?? '')) error(403, 'Only the chair opens the projector without its link.');
    const joinUrl = `${publicOrigin(locals.runtime, url)}/join/${state.event.code}`;
    return {
      state,
      token,
      joinUrl,
      // Our own SVG from the join address: no user text in it.
      qr: await QRCode.toString(joinUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
      theme: url.searchParams.get('theme') === 'light' ? 'light' : 'dark',
      locale: eventLocale(cookies, request, state.event.language, url)
    };
  } catch (e) {
    if (isAppError(e)) error(e.status === 401 ? 403 : e.status, e.message);
    throw e;
  }
};
