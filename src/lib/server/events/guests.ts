/**
 * The guest list of an invited day: the organiser lists guests (by hand, pasted from a spreadsheet, or
 * from a CSV file or an event archive), each with a personal invitation link; a phone becomes a guest
 * through that link or by claiming the guest's name when it joins by code. The rules (who may claim
 * what, merging, attendance) live in the database; this module reads the organiser's lists and calls it.
 */
import Papa from 'papaparse';
import { AppError, userError } from '../../errors';
import { translator, type MessageKey } from '../../i18n';
import {
  acceptInvitationSchema,
  addGuestsSchema,
  attendanceSchema,
  findGuestsSchema,
  invitationTokenSchema,
  memberRefSchema,
  mergeMembersSchema,
  updateGuestSchema
} from '../../schemas';
import type { Language } from '../../domain';
import { parseInput } from '../../validation';
import type { Actor } from '../actor';
import type { GuestMatch } from '../../types';
import type { AuthPort, AuthSession } from '../auth/port';
import { anonCaller, type Caller, type Database } from '../db/types';
import { parseJson } from '../edge/body';
import { validateArchive } from './archive';

export interface GuestInput {
  name: string;
  organisation: string;
  jobTitle: string;
  email?: string;
}

/** A guest as the organiser's list shows it, with their personal invitation. */
export interface Guest extends Omit<GuestInput, 'email'> {
  id: string;
  role: string;
  token: string;
  email: string | null;
  listed: boolean;
  consentAnswered: boolean;
  /** A phone is bound to the guest (their invitation, or their name claimed when joining by code). */
  claimed: boolean;
  attended: boolean;
  attendedAt: string | null;
  openedAt: string | null;
}

/** A guest whose name fits what someone joining by code typed. */

export interface Invitation {
  event: { id: string; title: string; date: string | null; venue: string | null; language: Language; status: string; code: string };
  guest: { name: string; organisation: string; jobTitle: string; listed: boolean; consentAnswered: boolean };
  /** This phone is the guest's. */
  mine: boolean;
  /** Another phone is the guest's; accepting here moves the guest to this one. */
  elsewhere: boolean;
}

/** The limits the database holds a guest to as well. */
export const guestLimits = { guests: 2000, name: 120, organisation: 160, jobTitle: 160, email: 254 } as const;

/** Where a guest's invitation opens. */
export const invitationPath = (token: string) => `/i/${token}`;

const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const emailInText = /<?([^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,]+)>?/;

/** The words a spreadsheet's header row uses for each column, folded to lower case without accents. */
const headers: Record<keyof GuestInput, string[]> = {
  name: ['name', 'naam', 'full name', 'volledige naam', 'guest', 'gast', 'deelnemer', 'participant'],
  organisation: ['organisation', 'organization', 'organisatie', 'company', 'bedrijf', 'employer', 'werkgever', 'org'],
  jobTitle: ['job title', 'title', 'functie', 'function', 'role', 'rol', 'position', 'positie', 'functietitel'],
  email: ['email', 'e-mail', 'e mail', 'mail', 'emailadres', 'e-mailadres', 'email address', 'e-mail address']
};
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/** The column of each field when the first row is a header row, or null when it is a guest. */
function headerColumns(row: string[]): Partial<Record<keyof GuestInput, number>> | null {
  if (row.some((cell) => cell.includes('@'))) return null;
  const columns: Partial<Record<keyof GuestInput, number>> = {};
  row.forEach((cell, i) => {
    const field = (Object.keys(headers) as (keyof GuestInput)[]).find((f) => headers[f].includes(fold(cell)));
    if (field && columns[field] === undefined) columns[field] = i;
  });
  return columns.name === undefined ? null : columns;
}

/**
 * A guest list as pasted or exported from a spreadsheet, one guest a line: "Name; Organisation; Job
 * title; e-mail", tab-, comma- or semicolon-separated, with or without a header row, the e-mail
 * address in any column ("Jan de Vries <jan@example.nl>" too). Mistakes are refused in the event's
 * language, naming the line.
 */
export function parseGuestList(text: string, language: Language): GuestInput[] {
  const t = translator(language);
  const refuse = (key: MessageKey, params: Record<string, string | number>) => {
    throw new AppError(400, 'invalid_input', t(key, params));
  };
  const { data } = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimitersToGuess: ['\t', ';', ',', '|'], skipEmptyLines: false });
  const rows = data.map((row, i) => ({ cells: row.map((cell) => (cell ?? '').replace(/\s+/g, ' ').trim()), line: i + 1 })).filter((r) => r.cells.some(Boolean));
  const columns = rows.length ? headerColumns(rows[0].cells) : null;
  const guests: GuestInput[] = [];
  for (const { cells, line } of columns ? rows.slice(1) : rows) {
    const at = t('guests.line', { n: line });
    let email: string | undefined;
    let rest: string[];
    if (columns) {
      const cell = (field: keyof GuestInput) => (columns[field] === undefined ? '' : (cells[columns[field]!] ?? ''));
      email = cell('email') || undefined;
      rest = [cell('name'), cell('organisation'), cell('jobTitle')];
    } else {
      const index = cells.findIndex((cell) => cell.includes('@'));
      rest = cells.filter((_, i) => i !== index);
      if (index >= 0) {
        const found = emailInText.exec(cells[index]);
        email = found?.[1] ?? cells[index];
        // "Jan de Vries <jan@example.nl>": the name stands before the address.
        const before = found ? cells[index].slice(0, found.index).trim() : '';
        if (before && !rest[0]) rest[0] = before;
        else if (before) rest.unshift(before);
      }
    }
    const [name = '', organisation = '', jobTitle = ''] = rest;
    if (!name) refuse('guests.noName', { at });
    if (name.length > guestLimits.name) refuse('guests.tooLong', { at, field: t('guests.name'), max: guestLimits.name });
    if (organisation.length > guestLimits.organisation) refuse('guests.tooLong', { at, field: t('join.organisation'), max: guestLimits.organisation });
    if (jobTitle.length > guestLimits.jobTitle) refuse('guests.tooLong', { at, field: t('join.jobTitle'), max: guestLimits.jobTitle });
    if (email !== undefined && (email.length > guestLimits.email || !emailPattern.test(email))) refuse('guests.badEmail', { at, email });
    guests.push({ name, organisation, jobTitle, ...(email ? { email: email.toLowerCase() } : {}) });
  }
  if (!guests.length) refuse('guests.none', {});
  if (guests.length > guestLimits.guests) refuse('guests.tooMany', { max: guestLimits.guests });
  return guests;
}

/** The guests of an uploaded file: an event archive (.json) gives its participants, anything else is read as CSV. */
export function guestsFromFile(name: string, text: string, language: Language): GuestInput[] {
  if (/\.json$/i.test(name) || /^\s*\{/.test(text)) {
    const archive = validateArchive(parseJson(text));
    const people = archive.participants ?? [];
    if (!people.length) throw new AppError(400, 'invalid_input', translator(language)('guests.none'));
    return people.map((p) => ({ name: p.name, organisation: p.organisation ?? '', jobTitle: p.role ?? '', ...(p.email ? { email: p.email } : {}) }));
  }
  return parseGuestList(text, language);
}

export function eventLanguage(db: Database, eventId: string): Promise<Language> {
  return db.rpc<Language | null>('event_language', { p_event_id: eventId }, anonCaller).then((language) => language ?? 'en');
}

export function listGuests(actor: Actor, eventId: string): Promise<Guest[]> {
  return actor.db.rpc<Guest[]>('list_guests', { p_event_id: eventId }, actor.caller);
}

/** Adds guests from a list or pasted text; a guest the list names already is completed, not added twice. */
export async function addGuests(actor: Actor, eventId: string, input: unknown): Promise<{ added: number; updated: number; guests: Guest[] }> {
  const { guests } = parseInput(addGuestsSchema, input);
  const list = typeof guests === 'string' ? parseGuestList(guests, await eventLanguage(actor.db, eventId)) : guests;
  return actor.db.rpc('add_guests', { p_event_id: eventId, p_guests: list }, actor.caller);
}

export function updateGuest(actor: Actor, input: unknown): Promise<Guest> {
  const i = parseInput(updateGuestSchema, input);
  return actor.db.rpc('update_guest', { p_member_id: i.memberId, p_name: i.name, p_organisation: i.organisation, p_job_title: i.jobTitle, p_email: i.email ?? null }, actor.caller);
}

/** Frees a claimed name: the phone that claimed it leaves the event, and the guest can be claimed again. */
export function releaseGuest(actor: Actor, input: unknown): Promise<Guest> {
  const { memberId } = parseInput(memberRefSchema, input);
  return actor.db.rpc('release_guest', { p_member_id: memberId }, actor.caller);
}

export function setAttendance(actor: Actor, input: unknown): Promise<{ memberId: string; attended: boolean; attendedAt: string | null }> {
  const i = parseInput(attendanceSchema, input);
  return actor.db.rpc('set_attendance', { p_member_id: i.memberId, p_attended: i.attended }, actor.caller);
}

/** Two members who are one person become one; votes (the newer per poll), theses and notes follow. */
export function mergeMembers(actor: Actor, input: unknown): Promise<{ memberId: string; name: string; theses: number; votes: number; attended: boolean; listed: boolean }> {
  const i = parseInput(mergeMembersSchema, input);
  return actor.db.rpc('merge_members', { p_keep_member_id: i.keepMemberId, p_merge_member_id: i.mergeMemberId }, actor.caller);
}

/** The invited guests whose name fits what was typed (at most five), for someone joining by code. */
export function findGuests(db: Database, caller: Caller, input: unknown): Promise<GuestMatch[]> {
  const i = parseInput(findGuestsSchema, input);
  return db.rpc<GuestMatch[]>('find_guests', { p_code: i.code, p_name: i.name }, caller);
}

/** What an invitation link shows; a 404 for a token that is no invitation. */
export async function getInvitation(db: Database, caller: Caller, input: unknown): Promise<Invitation> {
  const { token } = parseInput(invitationTokenSchema, input);
  const invitation = await db.rpc<Invitation | null>('get_invitation', { p_token: token }, caller);
  if (!invitation) throw userError(404, 'not_found', 'invite.notValid');
  return invitation;
}

/**
 * The guest accepts their invitation on this phone, answering the consent question: a phone without a
 * session signs in anonymously first, as when joining by code, and is the guest's from now on.
 */
export async function acceptInvitation(
  db: Database,
  auth: AuthPort,
  session: AuthSession | null,
  input: unknown
): Promise<{ session: AuthSession; eventId: string; memberId: string; attended: boolean }> {
  const i = parseInput(acceptInvitationSchema, input);
  const current = session ?? (await auth.signInAnonymously());
  const accepted = await db.rpc<{ eventId: string; memberId: string; attended: boolean }>(
    'accept_invitation',
    { p_token: i.token, p_listed: i.listed },
    { kind: 'user', claims: current.claims, accessToken: current.accessToken }
  );
  return { session: current, ...accepted };
}

/** A phone that joined before comes back: on the day, it attends. */
export function checkIn(actor: Actor, eventId: string): Promise<boolean> {
  return actor.db.rpc<boolean>('check_in', { p_event_id: eventId }, actor.caller);
}
