/**
 * The refusals of the SQL functions (KDxxx SQLSTATEs, with English messages) and of the input
 * schemas (valibot, English messages) as catalogue keys, so a Dutch event hears them in Dutch. Each
 * English sentence the code can say has a row here; `tests` check that every message in the
 * migrations and in the schemas finds one. A sentence without a row falls back to a general
 * refusal for its status, in the reader's language, never to the English text.
 */
import type { MessageKey } from './i18n';
import { AppError, type MessageParams } from './errors';
import { moderationRefusal, roleRefusal } from './domain';

/** The English names of fields and things in the messages, as catalogue keys. */
const fields: Record<string, MessageKey> = {
  title: 'field.title',
  name: 'field.name',
  'the thesis': 'field.thesis',
  thesis: 'field.thesis',
  'the note': 'field.note',
  note: 'field.note',
  'the word': 'field.word',
  'an option': 'field.option',
  options: 'field.options',
  'the term': 'field.term',
  'the expansion': 'field.expansion',
  'the setup code': 'field.setupCode',
  'the central question': 'field.question',
  question: 'field.question',
  venue: 'field.venue',
  organisation: 'field.organisation',
  'job title': 'field.jobTitle',
  speaker: 'field.speaker',
  'the member': 'field.member',
  member: 'field.member',
  'the agenda item': 'field.agendaItem',
  'agenda item': 'field.agendaItem',
  'the poll': 'field.poll',
  poll: 'field.poll',
  'the recap': 'field.recap',
  recap: 'field.recap',
  event: 'field.event',
  'the thesis to merge into': 'field.mergeInto',
  'an id': 'field.id',
  position: 'field.position',
  'planned minutes': 'field.plannedMinutes',
  'the capacity': 'field.capacity',
  'may send notes to the language model': 'field.allowLlm',
  'listed in the recap': 'field.listed',
  'discard their votes': 'field.discardVotes',
  'hide results': 'field.hideResults',
  'close the open poll first': 'field.closeOpen',
  'the answer': 'field.answer',
  'the guest': 'field.guest',
  guest: 'field.guest',
  'the member to keep': 'field.keepMember',
  'the member to merge': 'field.mergeMember',
  'the invitation': 'field.invitation',
  attended: 'field.attended',
  // Input fields by their names in the schemas and the API.
  'event id': 'field.event',
  'thesis id': 'field.thesis',
  'poll id': 'field.poll',
  'note id': 'field.note',
  'agenda item id': 'field.agendaItem',
  'member id': 'field.member',
  'recap id': 'field.recap',
  'merged into': 'field.mergeInto',
  'allow llm': 'field.allowLlm',
  listed: 'field.listed',
  'discard votes': 'field.discardVotes',
  'close open': 'field.closeOpen',
  date: 'field.date',
  email: 'field.email',
  password: 'field.password',
  value: 'field.answer',
  markdown: 'field.recap',
  capacity: 'field.capacity',
  ids: 'field.agendaItem',
  code: 'field.setupCode',
  text: 'field.thesis',
  terms: 'field.term',
  'photos url': 'field.value',
  'idempotency key': 'field.value',
  'participants may upvote theses': 'field.allowUpvotes',
  author: 'field.author',
  'author name': 'field.author',
  upvoted: 'field.upvoted'
};

const roles: Record<string, MessageKey> = {
  organiser: 'organise.role.organiser',
  chair: 'organise.role.chair',
  note_taker: 'organise.role.note_taker',
  'note-taker': 'organise.role.note_taker',
  participant: 'organise.role.participant'
};

const statuses: Record<string, MessageKey> = {
  submitted: 'status.submitted',
  approved: 'status.approved',
  rejected: 'status.rejected',
  merged: 'status.merged',
  'in discussion': 'status.in_discussion',
  discussed: 'status.discussed',
  'not discussed': 'status.not_discussed'
};

export interface Refusal {
  key: MessageKey;
  params?: MessageParams;
}

type Rule = [RegExp, MessageKey, ((m: RegExpExecArray) => MessageParams | null)?];

const field = (name: string) => {
  const key = fields[name.trim().toLowerCase()];
  return key ? { field: { key } } : null;
};
const count = (text: string) => Number(text.replace(/[,.]/g, ''));
/** A pattern of exactly this sentence. */
const exactly = (sentence: string) => new RegExp(`^${sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** First match wins: the specific sentences before the general patterns. */
const rules: Rule[] = [
  // Whole sentences.
  [/^Language must be nl or en\.$/, 'refusal.language'],
  [/^The date must be a date like/, 'refusal.date'],
  [/^(E-mail is missing|This is not an e-mail address)\.$/, 'refusal.email'],
  [/^Password is missing\.$/, 'refusal.password'],
  [/^The password needs at least 8 characters\.$/, 'refusal.passwordShort'],
  [/^The photos link must (be a web address|start with http:\/\/ or https:\/\/)\.$/, 'refusal.photosLink'],
  [/^Status must be draft, live or closed\.$/, 'refusal.eventStatus'],
  [/^(The code is missing|The code has 6 letters and digits)\.$/, 'refusal.code'],
  [exactly(roleRefusal), 'refusal.role'],
  [/^Kind must be talk, discussion, break or other\.$/, 'refusal.agendaKind'],
  [/^(Give the ids as a list|Name every agenda item of the event exactly once)\.$/, 'refusal.agendaOrder'],
  [/^Planned minutes must be between (\d+) and (\d+)\.$/, 'refusal.plannedMinutes', (m) => ({ min: m[1], max: m[2] })],
  [exactly(moderationRefusal), 'refusal.thesisStatus'],
  [/^Name theses of this event, each once\.$/, 'refusal.thesisOrder'],
  [/^The position must be 0 or more\.$/, 'refusal.position'],
  [/^Kind must be agree5, yes_no, choice, scale10 or word_cloud\.$/, 'refusal.pollKind'],
  [/^(Options must be a list|At most 20 options|A multiple-choice poll needs (at least 2 options|between 2 and 20 options))\.$/, 'refusal.pollOptions'],
  [/^Phase must be before or after\.$/, 'refusal.phase'],
  [/^A poll is on a thesis or on an agenda item:/, 'refusal.pollTarget'],
  [/^A note is on a thesis or on an agenda item:/, 'refusal.noteTarget'],
  [/^Kind must be note, quote, conclusion or question\.$/, 'refusal.noteKind'],
  [/^The answer is longer than 40 characters\.$/, 'refusal.answerLength'],
  [/^(The answer (must be|is empty)|Answer a word cloud with a word|Answer with the number of an option)/, 'refusal.answer'],
  [/^Choose an option from 0 to (\d+)\.$/, 'refusal.option', (m) => ({ max: Number(m[1]) })],
  [/^Engine must be /, 'refusal.engine'],
  [/^Not a section of the recap\.$/, 'refusal.section'],
  [/^The glossary holds at most (\d+) terms\.$/, 'refusal.glossaryTooMany', (m) => ({ max: Number(m[1]) })],
  [/^(.+) is in the glossary twice\.$/, 'refusal.glossaryTwice', (m) => ({ term: m[1] })],
  [/^(The list of abbreviations is too long|Give the abbreviations as text|Each term needs|A term must be text|What a term stands for must be text|Give the terms as a list|The glossary must be a list of terms|Each glossary entry needs)/, 'refusal.glossaryList'],
  [/^The recap (must be text|is longer than 500,000 characters)/, 'refusal.recapLength'],
  [/^Format must be md, html, pdf or docx\.$/, 'refusal.format'],
  [/^The idempotency key is too long\.$/, 'refusal.idempotencyKey'],
  [/^The capacity must be between 1 and 100000/, 'refusal.capacity'],
  [/^(Merging needs another thesis|Only a merge names a thesis)/, 'refusal.merge'],
  [/^Name the new organiser by account or by e-mail address\.$/, 'refusal.grantTarget'],
  [/^Sign in first\.$/, 'refusal.signIn'],
  [/^Sign in first: send Authorization/, 'refusal.signInApi'],
  [/^Only organisers can do this\.$/, 'refusal.onlyRole', () => ({ role: { key: 'organise.role.organiser' } })],
  [/^Only the (organiser|chair|note-taker|participant) can do this\.$/, 'refusal.onlyRole', (m) => ({ role: { key: roles[m[1]] } })],
  [/^Only an organiser can discard votes\.$/, 'refusal.discardVotes'],
  [/^Only an organiser can remove a chair or an organiser\.$/, 'refusal.removeStaff'],
  [/^Only organisers with an account can (create|import) events\.$/, 'refusal.organiserOnly'],
  [/^Only the author of a note or an organiser can (change|delete) it\.$/, 'refusal.noteAuthor'],
  [/^Only the author or the chair can edit this thesis\.$/, 'refusal.thesisAuthor'],
  [/^This projector link is not valid\.$/, 'refusal.projectorLink'],
  [/^You are not a member of this event\.$/, 'refusal.notMember'],
  [/^The chair has not revealed the results yet\.$/, 'refusal.notRevealed'],
  [/^Vote first to see the results\.$/, 'refusal.voteFirst'],
  [/^No account has this e-mail address yet/, 'refusal.noAccount'],
  [/^No event has this code\.$/, 'refusal.noEvent'],
  [/^The thesis or agenda item is not part of the event\.$/, 'refusal.notInEvent', () => ({ field: { key: 'field.thesis' } })],
  [/^The version these edits started from is not part of this event\.$/, 'refusal.baseVersion'],
  [/^A newer version \(v(\d+)\) of this recap was saved after v(\d+),/, 'refusal.newerVersion', (m) => ({ newer: m[1], base: m[2] })],
  [/^This (thesis|poll|note|agenda item|member|recap) is not part of the event\.$/, 'refusal.notInEvent', (m) => field(m[1])],
  [/^This (event|member|guest|note|poll|recap|thesis|agenda item) does not exist\.$/, 'refusal.doesNotExist', (m) => field(m[1])],
  [/^A (submitted|approved|rejected|merged|in discussion|discussed|not discussed) thesis cannot be started\.$/, 'refusal.cannotStart', (m) => ({ status: { key: statuses[m[1]] } })],
  [/^A thesis can only be merged into a thesis that is still on the list\.$/, 'refusal.mergeTarget'],
  [/^A thesis that is or was under discussion cannot be moderated again\.$/, 'refusal.moderated'],
  [/^(An event|Kennisdag) keeps at least one organiser\.$/, 'refusal.lastOrganiser'],
  [/^Only the thesis under discussion can be finished\.$/, 'refusal.finish'],
  [/^(This event is closed|Dit evenement is afgesloten)\.$/, 'refusal.eventClosed'],
  [/^This poll has not been opened\.$/, 'refusal.pollNotOpen'],
  [/^This poll is closed\.$/, 'refusal.pollClosed'],
  // The guest list.
  [/^(.+) is not an e-mail address\.$/, 'refusal.notEmail', (m) => ({ value: m[1] })],
  [/^(The guests must be a list|Give the guests as text|The list of guests is too long|Add at most [\d,]+ guests at once)/, 'refusal.guestList'],
  [/^Each guest needs at least a name\.$/, 'refusal.guestName'],
  [/^You cannot release yourself\.$/, 'refusal.releaseSelf'],
  [/^(.+) takes part as (organiser|chair|note_taker|participant): make them a participant first, then release the name\.$/, 'refusal.releaseStaff', (m) => ({ name: m[1], role: { key: roles[m[2]] } })],
  [/^Say whether the member attended: true or false\.$/, 'refusal.notBoolean', () => ({ field: { key: 'field.attended' } })],
  [/^Both members must be part of the same event\.$/, 'refusal.mergeSameEvent'],
  [/^Choose two different members to merge\.$/, 'refusal.mergeTwo'],
  [/^You cannot merge yourself into someone else; merge the other member into you\.$/, 'refusal.mergeSelf'],
  [/^(.+) takes part as (organiser|chair|note_taker|participant) on a phone of their own; merge the other member into (.+) instead\.$/, 'refusal.mergeOwnPhone', (m) => ({ name: m[1], role: { key: roles[m[2]] }, other: m[3] })],
  [/^This invitation link is not valid\.$/, 'invite.notValid'],
  // Refusals the SQL says in the event's own language already (a phone joining by code).
  [/^(.+) (?:doet al mee op een andere telefoon|has already joined on another phone)\./, 'refusal.nameClaimed', (m) => ({ name: m[1] })],
  [/^(?:Deze telefoon doet al mee als|This phone has already joined as) (.+)\.$/, 'refusal.phoneJoined', (m) => ({ name: m[1] })],
  [/^(?:Deze naam staat niet op de gastenlijst|This name is not on the guest list)\.$/, 'refusal.notOnGuestList'],
  [/^Only the staff and the projector follow the live tally\.$/, 'refusal.liveTallyStaffOnly'],
  [/^The refresh token is missing\.$/, 'refusal.refreshTokenMissing'],
  [/^This thesis has been moderated; ask the chair to change it\.$/, 'refusal.thesisModerated'],
  [/^You cannot remove yourself\.$/, 'refusal.removeSelf'],
  // Upvotes, prepared theses and polls, countdowns.
  [/^Upvotes are off for this event\.$/, 'refusal.upvotesOff'],
  [/^Only theses waiting in the queue can be upvoted\.$/, 'refusal.upvoteQueued'],
  [/^This thesis is part of the day's record \(discussed, with notes or votes\): it cannot be deleted\./, 'refusal.thesisOnRecord'],
  [/^Other theses were merged into this one: undo those merges first\.$/, 'refusal.thesisHasMerges'],
  [/^A thesis or agenda item holds at most (\d+) prepared polls\.$/, 'refusal.preparedPollsMax', (m) => ({ max: Number(m[1]) })],
  [/^This poll has been opened: its votes are part of the day's record\.$/, 'refusal.pollOnRecord'],
  [/^This poll was opened before; reopen it instead\.$/, 'refusal.pollOpenedBefore'],
  [/^A countdown is for the poll or for the item\.$/, 'refusal.countdownFor'],
  [/^(A countdown runs between 1 second and 24 hours|A countdown runs at most 24 hours|Give the countdown in minutes, or as minutes and seconds like 2:30)\.$/, 'refusal.countdownLength'],
  [/^No poll is open\.$/, 'refusal.noPollOpen'],
  [/^Nothing is under way: start a thesis or an agenda item first\.$/, 'refusal.nothingUnderWay'],
  [/^A poll is already open \(“([\s\S]*)”, ([\d,]+) votes?\)\./, 'refusal.pollOpen', (m) => ({ question: m[1], n: count(m[2]) })],
  // The two refusals the SQL says in the event's own language already.
  [/^(You were removed from this event|Je bent uit dit evenement verwijderd)\.$/, 'refusal.removed'],
  [/^(?:The room is full: it has room for|De zaal is vol: er kunnen) ([\d.,]+) /, 'refusal.roomFull', (m) => ({ n: count(m[1]) })],
  // Patterns with the name of a field.
  [/^(.+) is empty\.$/, 'refusal.empty', (m) => field(m[1])],
  [/^(.+) is longer than ([\d,]+) characters\.$/, 'refusal.tooLong', (m) => { const f = field(m[1]); return f && { ...f, max: count(m[2]) }; }],
  [/^(.+) must be text\.$/, 'refusal.notText', (m) => field(m[1])],
  [/^(.+) is missing\.$/, 'refusal.missing', (m) => field(m[1])],
  [/^(.+) is not a valid id\.$/, 'refusal.badId', (m) => field(m[1])],
  [/^(.+) must be true or false\.$/, 'refusal.notBoolean', (m) => field(m[1])],
  [/^(.+) must be a whole number\.$/, 'refusal.notInteger', (m) => field(m[1])],
  [/^(.+) must be at least (\d+)\.$/, 'refusal.atLeast', (m) => { const f = field(m[1]); return f && { ...f, min: Number(m[2]) }; }],
  [/^(.+) must be at most (\d+)\.$/, 'refusal.atMost', (m) => { const f = field(m[1]); return f && { ...f, max: Number(m[2]) }; }]
];

/** The catalogue key of an English refusal, with its parameters; null when no rule knows it. */
export function refusalOf(message: string): Refusal | null {
  for (const [pattern, key, params] of rules) {
    const match = pattern.exec(message);
    if (!match) continue;
    if (!params) return { key };
    const found = params(match);
    if (found) return { key, params: found };
  }
  return null;
}

/** The key said when a refusal has no rule of its own: by the HTTP status it has. */
export function generalRefusal(status: number): MessageKey {
  if (status === 401) return 'refusal.signIn';
  if (status === 403) return 'refusal.forbidden';
  if (status === 404) return 'refusal.notFound';
  if (status === 409) return 'refusal.conflict';
  if (status >= 500) return 'refusal.unavailable';
  return 'refusal.invalid';
}

/** A field's catalogue key by the name a constraint or a schema path gives it. */
export function fieldKey(name: string): MessageKey | undefined {
  return fields[name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').trim().toLowerCase()];
}

/**
 * An AppError for an English refusal from the SQL functions or the schemas, keyed for translation.
 * One without a rule keeps its English sentence for English readers and says the general refusal
 * for its status to everyone else.
 */
export function refused(status: number, code: string, message: string): AppError {
  const found = refusalOf(message);
  if (found) return new AppError(status, code, message, found.key, found.params);
  return new AppError(status, code, message, generalRefusal(status), undefined, true);
}
