/** The shapes the server sends to screens and API clients (camelCase JSON). */
import type { Language, MemberRole, NoteKind, PollKind, ThesisStatus } from './schemas';

export interface EventSummary {
  id: string;
  title: string;
  question: string | null;
  date: string | null;
  venue: string | null;
  language: Language;
  status: 'draft' | 'live' | 'closed';
  code: string;
  organisers: string[];
  chair: string | null;
  photosUrl: string | null;
  allowLlm: boolean;
  currentAgendaItemId: string | null;
  currentThesisId: string | null;
}

export interface AgendaItem {
  id: string;
  position: number;
  title: string;
  kind: 'talk' | 'discussion' | 'break' | 'other';
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
  phase: 'before' | 'after' | null;
  status: 'draft' | 'open' | 'closed';
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
  presentCount: number;
  me?: Membership | null;
}

/**
 * What the live stream sends every phone and the projector after each change: the same for the whole
 * room (bar the results of an open poll, which only those who voted receive), so it is kept small.
 */
export type LiveView = Pick<EventState, 'event' | 'currentAgendaItem' | 'currentThesis' | 'openPoll' | 'lastPoll' | 'presentCount'> & {
  theses: Pick<Thesis, 'id' | 'status'>[];
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
  status: 'draft' | 'open' | 'closed';
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
