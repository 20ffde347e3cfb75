/** The shapes the server sends to screens and API clients (camelCase JSON). */
import type { AgendaKind, EventStatus, Language, MemberRole, NoteKind, PollKind, PollPhase, PollStatus, ThesisStatus } from './domain';

export interface EventSummary {
  id: string;
  title: string;
  question: string | null;
  date: string | null;
  venue: string | null;
  language: Language;
  status: EventStatus;
  code: string;
  organisers: string[];
  chair: string | null;
  photosUrl: string | null;
  allowLlm: boolean;
  allowUpvotes: boolean;
  currentAgendaItemId: string | null;
  currentThesisId: string | null;
}

export interface AgendaItem {
  id: string;
  position: number;
  title: string;
  kind: AgendaKind;
  speaker: string | null;
  plannedMinutes: number | null;
  startedAt: string | null;
  endedAt: string | null;
}

export interface Thesis {
  id: string;
  text: string;
  status: ThesisStatus;
  position: number;
  authorName: string | null;
  mine: boolean;
  mergedIntoId: string | null;
  discussedOrder: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The thesis a merged one joined, where the screen may read it. */
  mergedIntoText?: string | null;
  /** How many upvotes it has: staff screens only. */
  upvotes?: number | null;
  /** Whether this screen's member upvoted it (not on the projector). */
  upvoted?: boolean | null;
}

export interface PollResults {
  counts: number[];
  total: number;
  words?: { word: string; count: number }[];
}

export interface Poll {
  id: string;
  thesisId: string | null;
  agendaItemId: string | null;
  question: string;
  kind: PollKind;
  options: string[];
  phase: PollPhase | null;
  status: PollStatus;
  hideResults: boolean;
  revealed: boolean;
  openedAt: string | null;
  closedAt: string | null;
  results: PollResults | null;
  myVote?: { optionIndex: number | null; word: string | null } | null;
}

export interface Membership {
  memberId: string;
  role: MemberRole;
  name: string;
  organisation: string;
  jobTitle: string;
  listed: boolean;
}

export interface EventState {
  event: EventSummary;
  agenda: AgendaItem[];
  theses: Thesis[];
  currentAgendaItem: (Pick<AgendaItem, 'id' | 'title' | 'kind' | 'speaker' | 'plannedMinutes' | 'startedAt'>) | null;
  currentThesis: (Pick<Thesis, 'id' | 'text' | 'discussedOrder' | 'startedAt'>) | null;
  openPoll: Poll | null;
  lastPoll: Poll | null;
  /** The before poll of the same thesis or item, once the after poll on screen has closed. */
  beforePoll?: Poll | null;
  /** What comes next: the next agenda item and the first thesis in the queue. */
  upNext?: UpNext;
  countdown?: Countdown | null;
  /** The published recap, once there is one. */
  recap?: { slug: string; publishedAt: string } | null;
  /** Polls prepared for the day, not yet opened: staff screens only. */
  preparedPolls?: PreparedPoll[] | null;
  /** The participants in the room, once each (not the staff). */
  presentCount: number;
  me?: Membership | null;
}

export interface UpNext {
  agendaItem: Pick<AgendaItem, 'id' | 'title' | 'kind' | 'speaker' | 'plannedMinutes'> | null;
  thesis: Pick<Thesis, 'id' | 'text'> | null;
}

/** A countdown the chair set for the open poll or for what is under way. */
export interface Countdown {
  endsAt: string;
  seconds: number;
  for: 'poll' | 'item';
}

export type PreparedPoll = Pick<Poll, 'id' | 'thesisId' | 'agendaItemId' | 'question' | 'kind' | 'options' | 'phase' | 'hideResults'>;

/**
 * What the live stream sends every phone and the projector after each change: the same for the whole
 * room (bar the results of an open poll, which only those who voted receive), so it is kept small.
 */
export type LiveView = Pick<
  EventState,
  'event' | 'currentAgendaItem' | 'currentThesis' | 'openPoll' | 'lastPoll' | 'beforePoll' | 'upNext' | 'countdown' | 'recap' | 'presentCount'
> & {
  /** The queue's texts come along while the room may upvote it. */
  theses: (Pick<Thesis, 'id' | 'status'> & Partial<Pick<Thesis, 'text' | 'position'>>)[];
};

export interface Note {
  id: string;
  thesisId: string | null;
  agendaItemId: string | null;
  kind: NoteKind;
  text: string;
  speaker: string | null;
  authorName: string | null;
  mine: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  id: string;
  role: MemberRole;
  name: string;
  organisation: string;
  jobTitle: string;
  listed: boolean;
  hasAccount: boolean;
  joinedAt: string;
  /** On the guest list, with a personal invitation (a walk-in is not). */
  invited?: boolean;
  /** Was there on the day (joined on the day, or marked by the organiser). */
  attended?: boolean;
}

/** A poll's tally as the live stream sends it. */
export interface LiveTally extends PollResults {
  pollId: string;
  status: PollStatus;
  /** Members present, sent with Supabase's tallies (the projector shows "12 of 40 voted"). */
  present?: number;
}

/** An invited guest whose name fits what a joining phone typed. */
export interface GuestMatch {
  id: string;
  name: string;
  organisation: string;
  /** Claimed on another phone already. */
  claimed: boolean;
  /** The very name typed (case, accents and punctuation aside). */
  exact: boolean;
}

/** Why the built-in draft was used when the language model's was asked for. */
export interface LlmFallback {
  reason: 'not_allowed' | 'not_configured' | 'failed';
  /** What the model's server said, when it failed. */
  detail?: string;
}
