import {
  addMemberSchema,
  createEventSchema,
  eventStatusSchema,
  joinCodeSchema,
  removeMemberSchema,
  roomCapacitySchema,
  setMemberRoleSchema,
  updateEventSchema
} from '../../schemas';
import type { EventState, Member } from '../../types';
import type { EventStatus } from '../../domain';
import { parseInput } from '../../validation';
import { userError } from '../../errors';
import { camelKeys, type Actor } from '../actor';
import type { Database } from '../db/types';
import { anonCaller } from '../db/types';
import { validateArchive, type EventArchive } from './archive';

/** Where a phone joins the event with this code: the address of the QR code on the projector and the poster. */
export const joinPath = (code: string) => `/join/${code}`;

/** The projector's read-only view of the event, opened with its token. */
export const projectorPath = (eventId: string, token: string) => `/p/${eventId}?token=${token}`;

export interface EventRow {
  id: string;
  title: string;
  question: string | null;
  startsOn: string | null;
  venue: string | null;
  language: 'nl' | 'en';
  joinCode: string;
  status: EventStatus;
}

const toEvent = (row: Record<string, unknown>) => {
  const e = camelKeys<EventRow & Record<string, unknown>>(row);
  return { id: e.id, title: e.title, question: e.question, date: e.startsOn, venue: e.venue, language: e.language, code: e.joinCode, status: e.status };
};
export type EventRecord = ReturnType<typeof toEvent>;

export async function createEvent(actor: Actor, input: unknown): Promise<EventRecord> {
  const i = parseInput(createEventSchema, input);
  const row = await actor.db.rpc<Record<string, unknown>>(
    'create_event',
    { p_title: i.title, p_starts_on: i.date, p_language: i.language, p_question: i.question, p_venue: i.venue },
    actor.caller
  );
  return toEvent(row);
}

export async function updateEvent(actor: Actor, eventId: string, input: unknown): Promise<EventRecord> {
  const i = parseInput(updateEventSchema, input);
  const row = await actor.db.rpc<Record<string, unknown>>(
    'update_event',
    {
      p_event_id: eventId, p_title: i.title, p_starts_on: i.date ?? null, p_language: i.language, p_question: i.question,
      p_venue: i.venue, p_photos_url: i.photosUrl, p_allow_llm: i.allowLlm,
      p_allow_upvotes: i.allowUpvotes
    },
    actor.caller
  );
  return toEvent(row);
}

export async function setEventStatus(actor: Actor, eventId: string, input: unknown): Promise<EventRecord> {
  const { status } = parseInput(eventStatusSchema, input);
  return toEvent(await actor.db.rpc('set_event_status', { p_event_id: eventId, p_status: status }, actor.caller));
}

export function getEventState(actor: Actor, eventId: string): Promise<EventState> {
  return actor.db.rpc<EventState>('get_event_state', { p_event_id: eventId }, actor.caller);
}

export function listMyEvents(actor: Actor): Promise<{ id: string; title: string; date: string | null; status: string; code: string; language: string; role: string }[]> {
  return actor.db.rpc('list_my_events', {}, actor.caller);
}

/** What the join screen shows for a code before anyone signs in. */
export async function lookupEvent(db: Database, input: unknown): Promise<{ id: string; title: string; language: 'nl' | 'en'; status: string }> {
  const { code } = parseInput(joinCodeSchema, input);
  const event = await db.rpc<{ id: string; title: string; language: 'nl' | 'en'; status: string } | null>('lookup_event', { p_code: code }, anonCaller);
  if (!event) throw userError(404, 'not_found', 'refusal.noEvent');
  return event;
}

export async function listMembers(actor: Actor, eventId: string): Promise<Member[]> {
  return actor.db.rpc<Member[]>('list_members', { p_event_id: eventId }, actor.caller);
}

export async function addMember(actor: Actor, eventId: string, input: unknown) {
  const i = parseInput(addMemberSchema, input);
  return camelKeys(
    await actor.db.rpc('add_member', { p_event_id: eventId, p_name: i.name, p_organisation: i.organisation, p_job_title: i.jobTitle, p_role: i.role, p_listed: i.listed }, actor.caller)
  );
}

export async function setMemberRole(actor: Actor, input: unknown) {
  const i = parseInput(setMemberRoleSchema, input);
  return camelKeys(await actor.db.rpc('set_member_role', { p_member_id: i.memberId, p_role: i.role }, actor.caller));
}

/** How many phones are in the room, and how many may be (null: no limit). */
export interface Room {
  capacity: number | null;
  participants: number;
}

export function getRoom(actor: Actor, eventId: string): Promise<Room> {
  return actor.db.rpc<Room>('get_room', { p_event_id: eventId }, actor.caller);
}

export async function setRoomCapacity(actor: Actor, eventId: string, input: unknown): Promise<Room> {
  const { capacity } = parseInput(roomCapacitySchema, input);
  return actor.db.rpc<Room>('set_room_capacity', { p_event_id: eventId, p_capacity: capacity }, actor.caller);
}

/** The chair removes a member: it cannot join again and its streams close; an organiser may discard its votes. */
export async function removeMember(actor: Actor, input: unknown): Promise<{ memberId: string; discardedVotes: number }> {
  const i = parseInput(removeMemberSchema, input);
  return actor.db.rpc('remove_member', { p_member_id: i.memberId, p_discard_votes: i.discardVotes }, actor.caller);
}

export function getProjectorToken(actor: Actor, eventId: string): Promise<string> {
  return actor.db.rpc<string>('get_projector_token', { p_event_id: eventId }, actor.caller);
}

export function getProjectorState(db: Database, eventId: string, token: string): Promise<EventState> {
  return db.rpc<EventState>('get_projector_state', { p_event_id: eventId, p_token: token }, anonCaller);
}

/** Creates a new event from an archive, whole or not at all; the caller becomes its organiser. */
export async function importEvent(actor: Actor, input: unknown): Promise<EventRecord> {
  const archive = validateArchive(input);
  return toEvent(await actor.db.rpc('import_event', { p_archive: archive }, actor.caller));
}

export function exportEvent(actor: Actor, eventId: string): Promise<EventArchive> {
  return actor.db.rpc<EventArchive>('export_event', { p_event_id: eventId }, actor.caller);
}
