/**
 * One validation schema per input, shared by the form actions and the JSON API. Form posts arrive as
 * strings, so numbers and booleans accept their text forms too.
 */
import * as v from 'valibot';
import {
  agendaKindRefusal,
  agendaKinds,
  eventStatuses,
  eventStatusRefusal,
  languageRefusal,
  languages,
  memberRoles,
  moderatedStatuses,
  moderationRefusal,
  noteKindRefusal,
  noteKinds,
  plannedMinutes,
  pollKindRefusal,
  pollKinds,
  type PollKind,
  pollPhaseRefusal,
  pollPhases,
  roleRefusal
} from './domain';

const text = (max: number, label: string) =>
  v.pipe(v.string(`${label} must be text.`), v.trim(), v.nonEmpty(`${label} is empty.`), v.maxLength(max, `${label} is longer than ${max} characters.`));
const optionalText = (max: number, label: string) =>
  v.optional(v.pipe(v.string(`${label} must be text.`), v.trim(), v.maxLength(max, `${label} is longer than ${max} characters.`)), '');
const id = (label: string) => v.pipe(v.string(`${label} is missing.`), v.trim(), v.uuid(`${label} is not a valid id.`));
const booleanish = (label: string) =>
  v.union(
    [v.boolean(), v.pipe(v.picklist(['on', 'true', 'false', 'off', '1', '0', ''], `${label} must be true or false.`), v.transform((s) => s === 'on' || s === 'true' || s === '1'))],
    `${label} must be true or false.`
  );
const integerish = (label: string, min: number, max: number) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.trim(), v.regex(/^-?\d+$/), v.transform(Number))], `${label} must be a whole number.`),
    v.integer(`${label} must be a whole number.`),
    v.minValue(min, `${label} must be at least ${min}.`),
    v.maxValue(max, `${label} must be at most ${max}.`)
  );
const idempotencyKey = v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100, 'The idempotency key is too long.')));

export const language = v.picklist(languages, languageRefusal);
const isoDate = v.pipe(v.string('The date must be a date like 2026-11-25.'), v.trim(), v.isoDate('The date must be a date like 2026-11-25.'));

export const signInSchema = v.object({
  email: v.pipe(v.string('E-mail is missing.'), v.trim(), v.email('This is not an e-mail address.'), v.maxLength(254)),
  password: v.pipe(v.string('Password is missing.'), v.minLength(1, 'Password is missing.'), v.maxLength(200))
});

export const setupSchema = v.object({
  code: text(40, 'The setup code'),
  name: text(120, 'Name'),
  email: signInSchema.entries.email,
  password: v.pipe(v.string('Password is missing.'), v.minLength(8, 'The password needs at least 8 characters.'), v.maxLength(200))
});

export const refreshSessionSchema = v.object({
  refreshToken: v.pipe(v.string('The refresh token is missing.'), v.trim(), v.minLength(1, 'The refresh token is missing.'), v.maxLength(2000))
});

export const createEventSchema = v.object({
  title: text(200, 'Title'),
  date: v.optional(v.union([isoDate, v.pipe(v.literal(''), v.transform(() => undefined))])),
  language,
  question: optionalText(1000, 'The central question'),
  venue: optionalText(200, 'Venue')
});

export const updateEventSchema = v.object({
  ...createEventSchema.entries,
  photosUrl: v.optional(v.union([v.pipe(v.string(), v.trim(), v.url('The photos link must be a web address.'), v.regex(/^https?:\/\//, 'The photos link must start with http:// or https://.')), v.literal('')]), ''),
  allowLlm: v.optional(booleanish('May send notes to the language model'), false),
  allowUpvotes: v.optional(booleanish('Participants may upvote theses'), false)
});

export const eventStatusSchema = v.object({ status: v.picklist(eventStatuses, eventStatusRefusal) });

export const joinCodeSchema = v.object({
  code: v.pipe(v.string('The code is missing.'), v.trim(), v.toUpperCase(), v.regex(/^[A-Z0-9]{6}$/, 'The code has 6 letters and digits.'))
});

export const joinEventSchema = v.object({
  code: joinCodeSchema.entries.code,
  name: text(120, 'Name'),
  organisation: optionalText(160, 'Organisation'),
  role: optionalText(160, 'Job title'),
  listed: v.optional(booleanish('Listed in the recap'), false),
  /** The invited guest this phone is (from the candidates findGuests gave for the typed name). */
  guestId: v.optional(v.union([id('The guest'), v.pipe(v.literal(''), v.transform(() => undefined))]))
});


export const addMemberSchema = v.object({
  name: text(120, 'Name'),
  organisation: optionalText(160, 'Organisation'),
  jobTitle: optionalText(160, 'Job title'),
  role: v.optional(v.picklist(memberRoles, roleRefusal), 'participant'),
  // Consent is opt-in: without an explicit true the member is not named in the recap.
  listed: v.optional(booleanish('Listed in the recap'), false)
});

/** How many phones may join; empty (or null) for no limit. */
export const roomCapacitySchema = v.object({
  capacity: v.optional(v.union([integerish('The capacity', 1, 100000), v.pipe(v.union([v.literal(''), v.null()]), v.transform(() => null))]), null)
});

/** Removing a member; an organiser may also discard the member's votes. */
export const removeMemberSchema = v.object({
  memberId: id('The member'),
  discardVotes: v.optional(booleanish('Discard their votes'), false)
});

export const setMemberRoleSchema = v.object({
  memberId: id('The member'),
  role: v.picklist(memberRoles, roleRefusal)
});

/** An invited guest; consent is not the organiser's to give, so there is no "listed" here. */
const email = v.optional(
  v.union([v.pipe(v.string('E-mail must be text.'), v.trim(), v.email('This is not an e-mail address.'), v.maxLength(254)), v.pipe(v.literal(''), v.transform(() => undefined))])
);
export const guestSchema = v.object({
  name: text(120, 'Name'),
  organisation: optionalText(160, 'Organisation'),
  jobTitle: optionalText(160, 'Job title'),
  email
});
/** Guests to add: a list, or text as pasted from a spreadsheet (one guest a line). */
export const addGuestsSchema = v.object({
  guests: v.union(
    [
      v.pipe(v.string(), v.maxLength(500_000, 'The list of guests is too long.')),
      v.pipe(v.array(guestSchema, 'Give the guests as a list.'), v.maxLength(2000, 'Add at most 2000 guests at once.'))
    ],
    'Give the guests as text (one guest a line) or as a list of {name, organisation, jobTitle, email}.'
  )
});
export const updateGuestSchema = v.object({ memberId: id('The guest'), ...guestSchema.entries });
export const memberRefSchema = v.object({ memberId: id('The member') });
export const attendanceSchema = v.object({ memberId: id('The member'), attended: booleanish('Attended') });
export const mergeMembersSchema = v.object({ keepMemberId: id('The member to keep'), mergeMemberId: id('The member to merge') });
export const findGuestsSchema = v.object({ code: joinCodeSchema.entries.code, name: text(120, 'Name') });
export const invitationTokenSchema = v.object({
  token: v.pipe(v.string('The invitation is missing.'), v.trim(), v.regex(/^[A-Za-z0-9_-]{22}$/, 'This invitation link is not valid.'))
});
export const acceptInvitationSchema = v.object({ ...invitationTokenSchema.entries, listed: v.optional(booleanish('Listed in the recap'), false) });

export const agendaItemSchema = v.object({
  title: text(300, 'Title'),
  kind: v.optional(v.picklist(agendaKinds, agendaKindRefusal), 'other'),
  speaker: optionalText(200, 'Speaker'),
  plannedMinutes: v.optional(v.union([integerish('Planned minutes', plannedMinutes.min, plannedMinutes.max), v.pipe(v.literal(''), v.transform(() => undefined))]))
});
export const updateAgendaItemSchema = v.object({ agendaItemId: id('The agenda item'), ...agendaItemSchema.entries });
export const agendaItemRefSchema = v.object({ agendaItemId: id('The agenda item') });
export const reorderSchema = v.object({ ids: v.pipe(v.array(id('An id'), 'Give the ids as a list.'), v.maxLength(1000)) });

export const submitThesisSchema = v.object({ text: text(1000, 'The thesis'), idempotencyKey });
export const editThesisSchema = v.object({ thesisId: id('The thesis'), text: text(1000, 'The thesis') });
export const moderateThesisSchema = v.object({
  thesisId: id('The thesis'),
  status: v.picklist(moderatedStatuses, moderationRefusal),
  position: v.optional(integerish('Position', 0, 100000)),
  mergedInto: v.optional(v.union([id('The thesis to merge into'), v.pipe(v.literal(''), v.transform(() => undefined))]))
});
export const moveThesisSchema = v.object({ thesisId: id('The thesis'), position: integerish('Position', 0, 100000) });
export const thesisRefSchema = v.object({ thesisId: id('The thesis') });

const pollFields = {
  thesisId: v.optional(id('The thesis')),
  agendaItemId: v.optional(id('The agenda item')),
  kind: v.optional(v.picklist(pollKinds, pollKindRefusal), 'agree5'),
  options: v.optional(
    v.union([
      v.pipe(v.array(text(200, 'An option'), 'Options must be a list.'), v.maxLength(20, 'At most 20 options.')),
      // A form's textarea: one option a line.
      v.pipe(v.string(), v.transform((s) => s.split('\n').map((o) => o.trim()).filter(Boolean)), v.maxLength(20, 'At most 20 options.'))
    ])
  ),
  phase: v.optional(v.union([v.picklist(pollPhases, pollPhaseRefusal), v.pipe(v.literal(''), v.transform(() => undefined))])),
  question: optionalText(1000, 'Question'),
  hideResults: v.optional(booleanish('Hide results'), false)
};
/** A poll that is still open is closed (its votes kept) before this one opens; without it, a 409. */
const closeOpen = v.optional(booleanish('Close the open poll first'), false);
const onOneSubject = (p: { thesisId?: string; agendaItemId?: string }) => Boolean(p.thesisId) !== Boolean(p.agendaItemId);
const oneSubject = 'A poll is on a thesis or on an agenda item: give thesisId or agendaItemId.';
const enoughOptions = (p: { kind: PollKind; options?: string[] }) => p.kind !== 'choice' || (p.options?.length ?? 0) >= 2;
const twoOptions = 'A multiple-choice poll needs at least 2 options.';
export const openPollSchema = v.pipe(
  v.object({ ...pollFields, closeOpen }),
  v.check((p) => onOneSubject(p), oneSubject),
  v.check((p) => enoughOptions(p), twoOptions)
);
/** A poll prepared before the day: a draft the chair opens later. */
export const preparePollSchema = v.pipe(
  v.object(pollFields),
  v.check((p) => onOneSubject(p), oneSubject),
  v.check((p) => enoughOptions(p), twoOptions)
);
export const openPreparedPollSchema = v.object({ pollId: id('The poll'), closeOpen });
export const pollRefSchema = v.object({ pollId: id('The poll') });
export const castVoteSchema = v.object({
  pollId: id('The poll'),
  value: v.union(
    [
      v.pipe(v.number(), v.integer('The answer must be a whole number.'), v.minValue(0, 'The answer must be 0 or more.')),
      v.pipe(v.string(), v.trim(), v.nonEmpty('The answer is empty.'), v.maxLength(40, 'The answer is longer than 40 characters.'))
    ],
    'The answer must be an option number or a word.'
  ),
  idempotencyKey
});

const noteKind = v.optional(v.picklist(noteKinds, noteKindRefusal), 'note');
export const addNoteSchema = v.pipe(
  v.object({
    thesisId: v.optional(id('The thesis')),
    agendaItemId: v.optional(id('The agenda item')),
    kind: noteKind,
    text: text(4000, 'The note'),
    speaker: optionalText(200, 'Speaker')
  }),
  v.check((n) => Boolean(n.thesisId) !== Boolean(n.agendaItemId), 'A note is on a thesis or on an agenda item: give thesisId or agendaItemId.')
);
export const updateNoteSchema = v.object({ noteId: id('The note'), kind: noteKind, text: text(4000, 'The note'), speaker: optionalText(200, 'Speaker') });
export const noteRefSchema = v.object({ noteId: id('The note') });

export const recapEngines = ['builtin', 'llm'] as const;
export const draftRecapSchema = v.object({
  engine: v.optional(v.picklist(recapEngines, 'Engine must be builtin or llm.'), 'builtin'),
  /** Regenerate one section of this version and keep every other part of it as edited. */
  recapId: v.optional(id('The recap')),
  section: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[a-z-]+(:[0-9a-f-]{36})?$/, 'Not a section of the recap.')))
});
export const recapRefSchema = v.object({ recapId: id('The recap') });
/** An event's abbreviations: the organiser's text ("SM = sociale media", one a line) or a list of terms. */
export const glossarySchema = v.object({
  terms: v.union(
    [
      v.pipe(v.string(), v.maxLength(50_000, 'The list of abbreviations is too long.')),
      v.pipe(
        v.array(v.object({ term: v.string('A term must be text.'), expansion: v.string('What a term stands for must be text.') }, 'Each term needs a term and an expansion.'), 'Give the terms as a list.'),
        v.maxLength(1000, 'The list of abbreviations is too long.')
      )
    ],
    'Give the abbreviations as text (one “term = meaning” a line) or as a list of {term, expansion}.'
  )
});
export const updateRecapSchema = v.object({
  recapId: id('The recap'),
  markdown: v.pipe(
    v.string('The recap must be text.'),
    // A browser sends a textarea's line breaks as CRLF; the recap keeps plain newlines.
    v.transform((s) => s.replace(/\r\n?/g, '\n')),
    v.maxLength(500_000, 'The recap is longer than 500,000 characters.')
  )
});
export const recapFormats = ['md', 'html', 'pdf', 'docx'] as const;
export type RecapFormat = (typeof recapFormats)[number];
export const exportRecapSchema = v.object({
  recapId: id('The recap'),
  format: v.picklist(recapFormats, 'Format must be md, html, pdf or docx.')
});

/** A thesis the organiser or chair prepares, straight into the queue, with the name of who brings it. */
export const addThesisSchema = v.object({ text: text(1000, 'The thesis'), authorName: optionalText(200, 'Author') });
export const updateThesisSchema = v.object({ thesisId: id('The thesis'), ...addThesisSchema.entries });
/** A participant's upvote on a thesis in the queue: set (true, the default) or taken back (false). */
export const upvoteSchema = v.object({ thesisId: id('The thesis'), upvoted: v.optional(booleanish('Upvoted'), true) });

/** A countdown's length: a number of seconds, or text as minutes ("5") or minutes and seconds ("2:30"); 0 or empty stops it. */
const countdownMessage = 'Give the countdown in minutes, or as minutes and seconds like 2:30.';
const countdownLength = v.union(
  [
    v.pipe(v.number(), v.integer(countdownMessage), v.minValue(0, countdownMessage), v.maxValue(86400, 'A countdown runs at most 24 hours.')),
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^(\d{1,4}(:[0-5]\d)?|)$/, countdownMessage),
      v.transform((s) => {
        const [minutes, seconds] = s.split(':');
        return Number(minutes || 0) * 60 + Number(seconds ?? 0);
      }),
      v.maxValue(86400, 'A countdown runs at most 24 hours.')
    )
  ],
  countdownMessage
);
export const countdownSchema = v.object({
  seconds: countdownLength,
  for: v.optional(v.union([v.picklist(['poll', 'item'], 'A countdown is for the poll or for the item.'), v.pipe(v.literal(''), v.transform(() => undefined))]))
});

/** The organiser's own name, as others see it. */
export const accountNameSchema = v.object({ name: text(120, 'Name') });
