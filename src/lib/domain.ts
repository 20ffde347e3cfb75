/**
 * The domain's lists and limits, once for the TypeScript side: the schemas, the types, the pages and
 * the refusal catalogue take them from here. The migrations say the same in their check constraints
 * and functions; supabase/tests/domain-rules.test.ts reads the migrated database and fails when the
 * two differ. Lists the database holds come from its generated types (`npm run gen:types`).
 */
import { eventMembersRoleValues, thesesStatusValues } from './database.types';

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
export const moderationRefusal = `Status must be ${oneOf(moderatedStatuses)}.`;

/**
 * A title as a file name or the start of a public address: lower case, every run of other characters
 * one hyphen, none at the ends, at most `titleSlugLength` characters. Accents are dropped first; the
 * database's publish_recap builds the address the same way (without that step), then adds a random tail.
 */
export const titleSlugSeparators = '[^a-z0-9]+';
export const titleSlugLength = 60;
export const titleSlug = (title: string): string =>
  title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(new RegExp(titleSlugSeparators, 'g'), '-')
    .replace(/^-|-$/g, '')
    .slice(0, titleSlugLength);
