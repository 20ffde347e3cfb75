/**
 * The JSON API, one entry per operation: the router and the OpenAPI document are both made from this
 * table, so they cannot drift apart. Each handler calls the same domain function the pages' form
 * actions call; nothing is implemented twice.
 */
import type { RequestEvent } from '@sveltejs/kit';
import * as v from 'valibot';
import { userError } from '../../errors';
import { refused } from '../../refusals';
import * as schemas from '../../schemas';
import type { Actor } from '../actor';
import { publicOrigin } from '../announce';
import type { AuthPort, AuthSession } from '../auth/port';
import { signIn } from '../auth/sign-in';
import type { Database } from '../db/types';
import * as agenda from '../agenda/agenda';
import * as events from '../events/events';
import { joinEvent } from '../events/join';
import { openEventStream } from '../live/stream';
import * as notes from '../notes/notes';
import * as polls from '../polls/polls';
import { clientOf } from '../rate-limit';
import * as theses from '../theses/theses';
import { parseInput } from '../../validation';
import { guestOperations } from './guest-operations';
import { preparationOperations } from './preparation-operations';
import { recapOperations } from './recap-operations';
import { readJsonBody } from '../edge/body';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OperationContext {
  event: RequestEvent;
  params: Record<string, string>;
  /** The JSON body (or, for GET and DELETE, the query string) with the path parameters added. */
  input: Record<string, unknown>;
  actor: Actor;
}

export interface Operation {
  id: string;
  method: Method;
  /** OpenAPI path below /api/v1, with `{name}` parameters. */
  path: string;
  summary: string;
  /** The request's validation schema (the same one the form actions use), for the document. */
  body?: v.GenericSchema;
  /** Query parameters of a GET, for the document. */
  query?: Record<string, { description: string; enum?: readonly string[] }>;
  /** Who may call: anyone, or a signed-in user (bearer token or session cookie). */
  auth: 'public' | 'user';
  status?: number;
  /** What the response is, when not JSON. */
  produces?: 'text/event-stream' | 'file';
  handle(context: OperationContext): Promise<unknown>;
}

/** A session as API clients hold it: the token, when it expires, and (Supabase) how to renew it. */
export const tokenOf = (session: AuthSession) => ({
  token: session.accessToken,
  expiresAt: session.expiresAt,
  ...(session.refreshToken ? { refreshToken: session.refreshToken } : {})
});

/**
 * A phone takes its place in an event, by code or by its invitation: within the limit of joins per
 * address, with the session it gets (a new anonymous one, or its own) started for its cookie.
 */
export async function joining<T extends { session: AuthSession }>(
  { event, input }: OperationContext,
  join: (db: Database, auth: AuthPort, session: AuthSession | null, input: unknown) => Promise<T>
): Promise<T> {
  await event.locals.runtime.limits.join(clientOf(event));
  const joined = await join(event.locals.runtime.db, event.locals.auth, await event.locals.safeGetSession(), input);
  event.locals.startSession(joined.session);
  return joined;
}

/** The things an address below an event names: the path parameter of each, and its name in a refusal. */
const items = {
  thesis: { param: 'thesisId', label: 'thesis' },
  poll: { param: 'pollId', label: 'poll' },
  note: { param: 'noteId', label: 'note' },
  agendaItem: { param: 'agendaItemId', label: 'agenda item' },
  member: { param: 'memberId', label: 'member' }
} as const;

export type ItemKind = keyof typeof items;

/** The path's item must belong to the path's event; otherwise it does not exist at this address. */
export async function inEvent(actor: Actor, eventId: string, kind: ItemKind, id: string) {
  const ok = await actor.db.rpc<boolean>('item_in_event', { p_event_id: eventId, p_kind: kind, p_id: id }, actor.caller);
  if (!ok) throw refused(404, 'not_found', `This ${items[kind].label} is not part of the event.`);
}

/** The handler of an operation on one item of the path's event: `act` runs once the item is found in it. */
export function onItem(kind: ItemKind, act: (actor: Actor, input: unknown) => Promise<unknown>): Operation['handle'] {
  return async ({ actor, params, input }) => {
    await inEvent(actor, params.eventId, kind, params[items[kind].param]);
    return act(actor, input);
  };
}

export const operations: Operation[] = [
  {
    id: 'signIn',
    method: 'POST',
    path: '/auth/sign-in',
    summary: 'Sign in as an organiser; the token goes in `Authorization: Bearer <token>`.',
    body: schemas.signInSchema,
    auth: 'public',
    async handle({ event, input }) {
      const session = await signIn(event.locals.auth, event.locals.runtime.limits, clientOf(event), input);
      return tokenOf(session);
    }
  },
  {
    id: 'refreshSession',
    method: 'POST',
    path: '/auth/refresh',
    summary:
      'A new token for a refresh token, before `expiresAt`. On Supabase tokens last an hour and come with a `refreshToken`; elsewhere they last 30 days (participants) or 7 (organisers) and have none.',
    body: schemas.refreshSessionSchema,
    auth: 'public',
    async handle({ event, input }) {
      const { refreshToken } = parseInput(schemas.refreshSessionSchema, input);
      const auth = event.locals.auth;
      if (!auth.refresh) throw userError(400, 'invalid_input', 'refusal.refreshNotNeeded');
      const session = await auth.refresh(refreshToken);
      if (!session) throw userError(401, 'unauthenticated', 'refusal.refreshInvalid');
      return tokenOf(session);
    }
  },
  {
    id: 'signOut',
    method: 'POST',
    path: '/auth/sign-out',
    summary: 'End the session of this token (or cookie): it stops working on every server.',
    auth: 'user',
    async handle({ event }) {
      await event.locals.endSession();
    }
  },
  {
    id: 'listEvents',
    method: 'GET',
    path: '/events',
    summary: 'The events the caller is a member of, with the caller’s role.',
    auth: 'user',
    handle: ({ actor }) => events.listMyEvents(actor)
  },
  {
    id: 'createEvent',
    method: 'POST',
    path: '/events',
    summary: 'Create an event; the caller becomes its organiser.',
    body: schemas.createEventSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, input }) => events.createEvent(actor, input)
  },
  {
    id: 'importEvent',
    method: 'POST',
    path: '/events/import',
    summary: 'Create a new event from an event archive (kennisdag/event-archive@1), whole or not at all.',
    auth: 'user',
    status: 201,
    handle: async ({ actor, event }) => events.importEvent(actor, await readBody(event))
  },
  {
    id: 'exportEvent',
    method: 'GET',
    path: '/events/{eventId}/export',
    summary: 'The whole event as an event archive.',
    auth: 'user',
    handle: ({ actor, params }) => events.exportEvent(actor, params.eventId)
  },
  {
    id: 'getEventState',
    method: 'GET',
    path: '/events/{eventId}/state',
    summary: 'Event, agenda, theses (id, text, status, position), current item and thesis, open poll with its counts.',
    auth: 'user',
    handle: ({ actor, params }) => events.getEventState(actor, params.eventId)
  },
  {
    id: 'updateEvent',
    method: 'PUT',
    path: '/events/{eventId}',
    summary: 'Change the event’s details.',
    body: schemas.updateEventSchema,
    auth: 'user',
    handle: ({ actor, params, input }) => events.updateEvent(actor, params.eventId, input)
  },
  {
    id: 'setEventStatus',
    method: 'POST',
    path: '/events/{eventId}/status',
    summary: 'Set the event to draft, live or closed.',
    body: schemas.eventStatusSchema,
    auth: 'user',
    handle: ({ actor, params, input }) => events.setEventStatus(actor, params.eventId, input)
  },
  {
    id: 'lookupEvent',
    method: 'GET',
    path: '/join/{code}',
    summary: 'The title and language of the event with this join code.',
    auth: 'public',
    async handle({ event, params }) {
      await event.locals.runtime.limits.lookup(clientOf(event));
      return events.lookupEvent(event.locals.runtime.db, { code: params.code });
    }
  },
  {
    id: 'joinEvent',
    method: 'POST',
    path: '/join',
    summary:
      'Join an event with its code; returns a participant token. With guestId (from findGuests; the name must fit it) the phone joins as that invited guest, once: a guest claimed on another phone is refused (409). A name that is exactly an unclaimed guest’s joins as that guest.',
    body: schemas.joinEventSchema,
    auth: 'public',
    async handle(context) {
      const joined = await joining(context, joinEvent);
      return { ...tokenOf(joined.session), participantId: joined.participantId, eventId: joined.eventId };
    }
  },
  {
    id: 'listMembers',
    method: 'GET',
    path: '/events/{eventId}/members',
    summary: 'Everyone in the event (note-takers and up).',
    auth: 'user',
    handle: ({ actor, params }) => events.listMembers(actor, params.eventId)
  },
  {
    id: 'addMember',
    method: 'POST',
    path: '/events/{eventId}/members',
    summary: 'Add a participant (or chair, note-taker) by name. The recap names them only with listed: true (consent is opt-in).',
    body: schemas.addMemberSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, params, input }) => events.addMember(actor, params.eventId, input)
  },
  {
    id: 'setMemberRole',
    method: 'POST',
    path: '/events/{eventId}/members/{memberId}/role',
    summary: 'Make a member organiser, chair, note-taker or participant.',
    body: schemas.setMemberRoleSchema,
    auth: 'user',
    handle: onItem('member', events.setMemberRole)
  },
  {
    id: 'removeMember',
    method: 'DELETE',
    path: '/events/{eventId}/members/{memberId}',
    summary:
      'Remove a member (chair: participants and note-takers; organiser: anyone but the last organiser). The account cannot join again and its live streams close; its votes stay unless `discardVotes=true` (organisers only).',
    query: { discardVotes: { description: 'true to discard the member’s votes as well (organisers only).', enum: ['true', 'false'] } },
    auth: 'user',
    handle: onItem('member', events.removeMember)
  },
  {
    id: 'getRoom',
    method: 'GET',
    path: '/events/{eventId}/room',
    summary: 'The room: how many phones joined, and the capacity (null: no limit). Chair and organiser.',
    auth: 'user',
    handle: ({ actor, params }) => events.getRoom(actor, params.eventId)
  },
  {
    id: 'setRoomCapacity',
    method: 'PUT',
    path: '/events/{eventId}/room',
    summary: 'Set how many phones may join (null for no limit); joins beyond it are refused, nobody already in is sent away.',
    body: schemas.roomCapacitySchema,
    auth: 'user',
    handle: ({ actor, params, input }) => events.setRoomCapacity(actor, params.eventId, input)
  },
  {
    id: 'getProjectorLink',
    method: 'GET',
    path: '/events/{eventId}/projector',
    summary: 'The read-only projector link (chair and organiser).',
    auth: 'user',
    async handle({ actor, params, event }) {
      const token = await events.getProjectorToken(actor, params.eventId);
      return { url: publicOrigin(event.locals.runtime, event.url) + events.projectorPath(params.eventId, token) };
    }
  },
  {
    id: 'addAgendaItem',
    method: 'POST',
    path: '/events/{eventId}/agenda',
    summary: 'Add an agenda item at the end.',
    body: schemas.agendaItemSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, params, input }) => agenda.addAgendaItem(actor, params.eventId, input)
  },
  {
    id: 'reorderAgenda',
    method: 'POST',
    path: '/events/{eventId}/agenda/order',
    summary: 'Put the agenda in this order (every item once).',
    body: schemas.reorderSchema,
    auth: 'user',
    handle: ({ actor, params, input }) => agenda.reorderAgenda(actor, params.eventId, input)
  },
  {
    id: 'updateAgendaItem',
    method: 'PUT',
    path: '/events/{eventId}/agenda/{agendaItemId}',
    summary: 'Change an agenda item.',
    body: schemas.updateAgendaItemSchema,
    auth: 'user',
    handle: onItem('agendaItem', agenda.updateAgendaItem)
  },
  {
    id: 'deleteAgendaItem',
    method: 'DELETE',
    path: '/events/{eventId}/agenda/{agendaItemId}',
    summary: 'Remove an agenda item.',
    auth: 'user',
    handle: onItem('agendaItem', agenda.deleteAgendaItem)
  },
  {
    id: 'startAgendaItem',
    method: 'POST',
    path: '/events/{eventId}/agenda/{agendaItemId}/start',
    summary: 'Make this the current agenda item (ends the previous one).',
    body: schemas.agendaItemRefSchema,
    auth: 'user',
    handle: onItem('agendaItem', agenda.startAgendaItem)
  },
  {
    id: 'submitThesis',
    method: 'POST',
    path: '/events/{eventId}/theses',
    summary: 'Submit a thesis; with the same idempotency key twice it is stored once.',
    body: schemas.submitThesisSchema,
    auth: 'user',
    status: 201,
    async handle({ actor, params, input, event }) {
      if (actor.caller.kind === 'user') await event.locals.runtime.limits.submit(actor.caller.claims.sub);
      return theses.submitThesis(actor, params.eventId, input);
    }
  },
  {
    id: 'reorderTheses',
    method: 'POST',
    path: '/events/{eventId}/theses/order',
    summary: 'Put these theses first, in this order.',
    body: schemas.reorderSchema,
    auth: 'user',
    handle: ({ actor, params, input }) => theses.reorderTheses(actor, params.eventId, input)
  },
  {
    id: 'editThesis',
    method: 'PATCH',
    path: '/events/{eventId}/theses/{thesisId}',
    summary: 'Correct a thesis (its author until moderated, or the chair).',
    body: schemas.editThesisSchema,
    auth: 'user',
    handle: onItem('thesis', theses.editThesis)
  },
  {
    id: 'moderateThesis',
    method: 'POST',
    path: '/events/{eventId}/theses/{thesisId}/moderate',
    summary: 'Approve, reject or merge a thesis, optionally moving it in the queue.',
    body: schemas.moderateThesisSchema,
    auth: 'user',
    handle: onItem('thesis', theses.moderateThesis)
  },
  {
    id: 'moveThesis',
    method: 'POST',
    path: '/events/{eventId}/theses/{thesisId}/move',
    summary: 'Move a thesis to a place in the queue (0 is first).',
    body: schemas.moveThesisSchema,
    auth: 'user',
    handle: onItem('thesis', theses.moveThesis)
  },
  {
    id: 'startThesis',
    method: 'POST',
    path: '/events/{eventId}/theses/{thesisId}/start',
    summary: 'Put a thesis on the projector for discussion (finishes the one before).',
    body: schemas.thesisRefSchema,
    auth: 'user',
    handle: onItem('thesis', theses.startThesis)
  },
  {
    id: 'finishThesis',
    method: 'POST',
    path: '/events/{eventId}/theses/{thesisId}/finish',
    summary: 'The thesis under discussion is discussed; its open poll closes.',
    body: schemas.thesisRefSchema,
    auth: 'user',
    handle: onItem('thesis', theses.finishThesis)
  },
  {
    id: 'endDiscussion',
    method: 'POST',
    path: '/events/{eventId}/end-discussion',
    summary: 'Time is up: every remaining approved thesis becomes not discussed.',
    auth: 'user',
    handle: ({ actor, params }) => theses.endDiscussion(actor, params.eventId)
  },
  {
    id: 'openPoll',
    method: 'POST',
    path: '/events/{eventId}/polls',
    summary:
      'Open a poll on a thesis or agenda item. While another poll is open the answer is 409, unless closeOpen is true: then that poll closes first, keeping its votes.',
    body: schemas.openPollSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, params, input }) => polls.openPoll(actor, params.eventId, input)
  },
  {
    id: 'closePoll',
    method: 'POST',
    path: '/events/{eventId}/polls/{pollId}/close',
    summary: 'Close a poll.',
    body: schemas.pollRefSchema,
    auth: 'user',
    handle: onItem('poll', polls.closePoll)
  },
  {
    id: 'reopenPoll',
    method: 'POST',
    path: '/events/{eventId}/polls/{pollId}/reopen',
    summary: 'Open a closed poll again (409 while another poll is open).',
    body: schemas.pollRefSchema,
    auth: 'user',
    handle: onItem('poll', polls.reopenPoll)
  },
  {
    id: 'revealPollResults',
    method: 'POST',
    path: '/events/{eventId}/polls/{pollId}/reveal',
    summary: 'Show hidden results on the projector and the phones.',
    body: schemas.pollRefSchema,
    auth: 'user',
    handle: onItem('poll', polls.revealPollResults)
  },
  {
    id: 'castVote',
    method: 'POST',
    path: '/events/{eventId}/polls/{pollId}/votes',
    summary: 'Vote, or change the vote while the poll is open: an option index, or a word for a word cloud.',
    body: schemas.castVoteSchema,
    auth: 'user',
    handle: ({ actor, params, input }) => polls.castVote(actor, input, params.eventId)
  },
  {
    id: 'getPollResults',
    method: 'GET',
    path: '/events/{eventId}/polls/{pollId}/results',
    summary: 'Counts per option and the total (participants see them after voting).',
    auth: 'user',
    handle: onItem('poll', polls.getPollResults)
  },
  {
    id: 'listNotes',
    method: 'GET',
    path: '/events/{eventId}/notes',
    summary: 'All notes of the event (note-takers and up).',
    auth: 'user',
    handle: ({ actor, params }) => notes.listNotes(actor, params.eventId)
  },
  {
    id: 'addNote',
    method: 'POST',
    path: '/events/{eventId}/notes',
    summary: 'A note, quote (with its speaker), conclusion or question on a thesis or agenda item.',
    body: schemas.addNoteSchema,
    auth: 'user',
    status: 201,
    handle: ({ actor, params, input }) => notes.addNote(actor, params.eventId, input)
  },
  {
    id: 'updateNote',
    method: 'PUT',
    path: '/events/{eventId}/notes/{noteId}',
    summary: 'Change a note (its author, or an organiser).',
    body: schemas.updateNoteSchema,
    auth: 'user',
    handle: onItem('note', notes.updateNote)
  },
  {
    id: 'deleteNote',
    method: 'DELETE',
    path: '/events/{eventId}/notes/{noteId}',
    summary: 'Delete a note (its author, or an organiser).',
    auth: 'user',
    handle: onItem('note', notes.deleteNote)
  },
  {
    id: 'streamEvent',
    method: 'GET',
    path: '/events/{eventId}/stream',
    summary:
      'Server-Sent Events: first `state` (the caller’s own event state), then `view` (phones and the projector: the room’s small public view after every change; an open poll’s results only after voting), `change` (staff: what changed) and `tally` (live counts of a poll). A screen that reads slowly gets the latest `view` and `tally`, not every one. Reconnects start with a fresh `state`. A member may hold five streams, a projector link ten (429 beyond).',
    query: {
      projector: { description: 'The read-only projector token, instead of a signed-in user.' },
      client: { description: 'An id of the open page: its reconnects replace its earlier stream instead of adding one.' }
    },
    auth: 'public',
    produces: 'text/event-stream',
    handle: ({ event, actor, params }) =>
      openEventStream(
        event.locals.runtime.hub,
        event.locals.runtime.db,
        actor,
        params.eventId,
        event.url.searchParams.get('projector'),
        event.url.searchParams.get('client')
      )
  },
  ...guestOperations,
  ...preparationOperations,
  ...recapOperations
];

/** The raw JSON body, for operations whose body is a document of its own (an event archive). */
function readBody(event: RequestEvent): Promise<unknown> {
  return readJsonBody(event.request);
}
