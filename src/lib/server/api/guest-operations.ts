import * as schemas from '../../schemas';
import { publicOrigin } from '../announce';
import * as guests from '../events/guests';
import { clientOf } from '../rate-limit';
import { parseInput } from '../../validation';
import { inEvent, joining, onItem, tokenOf, type Operation, type OperationContext } from './operations';

/** The guest list with each guest's invitation address. */
async function guestList({ actor, params, event }: OperationContext) {
  const origin = publicOrigin(event.locals.runtime, event.url);
  return (await guests.listGuests(actor, params.eventId)).map((guest) => ({ ...guest, invitationUrl: origin + guests.invitationPath(guest.token) }));
}

/** The invited day's operations: the guest list, invitations, claiming a name, merging and attendance. */
export const guestOperations: Operation[] = [
  {
    id: 'listGuests',
    method: 'GET',
    path: '/events/{eventId}/guests',
    summary: 'The guest list (organisers): each guest with e-mail, personal invitation link, whether a phone claimed them, attendance and consent.',
    auth: 'user',
    handle: guestList
  },
  {
    id: 'addGuests',
    method: 'POST',
    path: '/events/{eventId}/guests',
    summary:
      'Add invited guests: `guests` as a list of {name, organisation, jobTitle, email}, or as text pasted from a spreadsheet (one guest a line, “Name; Organisation; Job title; e-mail”, tabs or commas). A guest of the same name already on the list is completed, not added twice. Consent is asked from the guests themselves.',
    body: schemas.addGuestsSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, params, input }) => guests.addGuests(actor, params.eventId, input)
  },
  {
    id: 'updateGuest',
    method: 'PUT',
    path: '/events/{eventId}/guests/{memberId}',
    summary: 'Correct a guest’s name, organisation, job title or e-mail address.',
    body: schemas.updateGuestSchema,
    auth: 'user',
    handle: onItem('member', guests.updateGuest)
  },
  {
    id: 'releaseGuest',
    method: 'POST',
    path: '/events/{eventId}/guests/{memberId}/release',
    summary: 'Free a claimed name: the phone that claimed it leaves the event (its votes stay), and the guest can be claimed again.',
    body: schemas.memberRefSchema,
    auth: 'user',
    handle: onItem('member', guests.releaseGuest)
  },
  {
    id: 'setAttendance',
    method: 'PUT',
    path: '/events/{eventId}/members/{memberId}/attendance',
    summary: 'Record by hand whether a member attended (joining on the day records it by itself). A guest who did not attend is no participant of the day.',
    body: schemas.attendanceSchema,
    auth: 'user',
    handle: onItem('member', guests.setAttendance)
  },
  {
    id: 'mergeMembers',
    method: 'POST',
    path: '/events/{eventId}/members/merge',
    summary:
      'Two members who are one person become one: mergeMemberId’s theses, notes and votes go to keepMemberId (where both voted on a poll, the newer vote stays), with its attendance and latest consent answer.',
    body: schemas.mergeMembersSchema,
    auth: 'user',
    async handle({ actor, params, input }) {
      const ids = parseInput(schemas.mergeMembersSchema, input);
      for (const id of [ids.keepMemberId, ids.mergeMemberId]) await inEvent(actor, params.eventId, 'member', id);
      return guests.mergeMembers(actor, ids);
    }
  },
  {
    id: 'findGuests',
    method: 'GET',
    path: '/join/{code}/guests',
    summary:
      'The invited guests whose name fits the typed name (case, accents and initials forgiven: “j. de vries” finds Jan de Vries), at most five; join as one with joinEvent’s guestId. A surname or a first name alone finds no one.',
    query: { name: { description: 'The name as the person typed it.' } },
    auth: 'public',
    async handle({ event, params, input, actor }) {
      await event.locals.runtime.limits.lookup(clientOf(event));
      return guests.findGuests(event.locals.runtime.db, actor.caller, { code: params.code, name: input.name });
    }
  },
  {
    id: 'getInvitation',
    method: 'GET',
    path: '/invitations/{token}',
    summary: 'What a personal invitation link shows: the event, the guest, and whether the calling phone is theirs.',
    auth: 'public',
    async handle({ event, params, actor }) {
      await event.locals.runtime.limits.lookup(clientOf(event));
      return guests.getInvitation(event.locals.runtime.db, actor.caller, params);
    }
  },
  {
    id: 'acceptInvitation',
    method: 'POST',
    path: '/invitations/{token}/accept',
    summary:
      'The guest takes their invitation on this phone and answers whether they may be listed in the recap; returns a participant token, as joining by code does. A phone the guest used before lets go. On the day, this is attending.',
    body: schemas.acceptInvitationSchema,
    auth: 'public',
    async handle(context) {
      const accepted = await joining(context, guests.acceptInvitation);
      return { ...tokenOf(accepted.session), eventId: accepted.eventId, participantId: accepted.memberId, attended: accepted.attended };
    }
  },
  {
    id: 'checkIn',
    method: 'POST',
    path: '/events/{eventId}/check-in',
    summary: 'A phone that joined before the day is back: on the day, it attends.',
    auth: 'user',
    handle: async ({ actor, params }) => ({ attended: await guests.checkIn(actor, params.eventId) })
  }
];
