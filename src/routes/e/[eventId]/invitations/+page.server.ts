import { redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { publicOrigin } from '$lib/server/announce';
import { getEventState } from '$lib/server/events/events';
import { invitationPath, listGuests } from '$lib/server/events/guests';
import { eventLocale } from '$lib/server/events/locale';
import { guardLoad } from '$lib/server/forms/action';
import { longDate } from '$lib/server/recap/sentences';
import type { PageServerLoad } from './$types';

/** Every guest's invitation as a card to print: name, event, date, venue, QR code and the short link. */
export const load: PageServerLoad = guardLoad(async ({ params, locals, url, cookies, request }) => {
  const actor = await locals.actor();
  if (actor.caller.kind !== 'user') redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  const [state, guests] = await Promise.all([getEventState(actor, params.eventId), listGuests(actor, params.eventId)]);
  const origin = publicOrigin(locals.runtime, url);
  const cards = await Promise.all(
    guests.map(async (guest) => {
      const link = origin + invitationPath(guest.token);
      return { id: guest.id, name: guest.name, organisation: guest.organisation, jobTitle: guest.jobTitle, link, qr: await QRCode.toString(link, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' }) };
    })
  );
  const date = state.event.date ? longDate(state.event.date, state.event.language) : null;
  return { event: state.event, date, cards, locale: eventLocale(cookies, request, state.event.language, url) };
});
