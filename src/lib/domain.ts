/**
 * The domain's lists and limits, once for the TypeScript side: the schemas, the types, the pages and
 * the refusal catalogue take them from here. The migrations say the same in their check constraints
 * and functions; supabase/tests/domain-rules.test.ts reads the migrated database and fails when the
 * two differ. Lists the database holds come from its generated types (`npm run gen:types`).
 */
import {
  agendaItemsKindValues,
  eventMembersRoleValues,
  eventsLanguageValues,
  eventsStatusValues,
  notesKindValues,
  pollsKindValues,
  pollsPhaseValues,
  pollsStatusValues,
  thesesStatusValues
} from './database.types';

/** The languages an event (and the whole interface) is in. */
export const languages = eventsLanguageValues;
export type Language = (typeof languages)[number];

/** An event before, during and after its day. */
export const eventStatuses = eventsStatusValues;
export type EventStatus = (typeof eventStatuses)[number];

export const agendaKinds = agendaItemsKindValues;
export type AgendaKind = (typeof agendaKinds)[number];

export const pollKinds = pollsKindValues;
export type PollKind = (typeof pollKinds)[number];

/** A poll asked before the discussion and again after it, to show what moved. */
export const pollPhases = pollsPhaseValues;
export type PollPhase = (typeof pollPhases)[number];

export const pollStatuses = pollsStatusValues;
export type PollStatus = (typeof pollStatuses)[number];

export const noteKinds = notesKindValues;
export type NoteKind = (typeof noteKinds)[number];

/** A thesis from its submission to the end of the day (the database's check on public.theses). */
export const thesisStatuses = thesesStatusValues;
export type ThesisStatus = (typeof thesisStatuses)[number];

/** What the chair gives a thesis by hand; starting and finishing its discussion give it the others. */
export const moderatedStatuses = ['submitted', 'approved', 'rejected', 'merged', 'not_discussed'] as const satisfies readonly ThesisStatus[];

/** A thesis the chair set aside, rejected or merged into another: kept folded away, with Undo, out of the lists to work on. */
export const isSetAside = (status: ThesisStatus): boolean => status === 'rejected' || status === 'merged';

/** The theses the room has seen: all but those waiting for the chair and those set aside. */
export type PublicThesisStatus = Exclude<ThesisStatus, 'submitted' | 'rejected'>;

/** The roles in an event, highest first: each may do what the roles after it may (private.role_rank). */
export const memberRoles = eventMembersRoleValues;
export type MemberRole = (typeof memberRoles)[number];

/** Whether a member with `role` may do what `least` may. */
export const atLeast = (role: MemberRole, least: MemberRole): boolean => memberRoles.indexOf(role) <= memberRoles.indexOf(least);

/** An agenda item's planned length in minutes: at most a whole day. */
export const plannedMinutes = { min: 0, max: 1440 } as const;

/** A list as a refusal names its choices: "a, b or c". */
export const oneOf = (choices: readonly string[]): string => `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;

/** The English refusals of a choice outside these lists, as the schemas and the SQL functions say them. */
export const roleRefusal = `Role must be ${oneOf(memberRoles)}.`;
export const languageRefusal = `Language must be ${oneOf(languages)}.`;
export const eventStatusRefusal = `Status must be ${oneOf(eventStatuses)}.`;
export const agendaKindRefusal = `Kind must be ${oneOf(agendaKinds)}.`;
export const pollKindRefusal = `Kind must be ${oneOf(pollKinds)}.`;
export const pollPhaseRefusal = `Phase must be ${oneOf(pollPhases)}.`;
export const noteKindRefusal = `Kind must be ${oneOf(noteKinds)}.`;
export const moderationRefusal = `Status must be ${oneOf(moderatedStatuses)}.`;
