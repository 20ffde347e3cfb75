import type { AgendaKind, NoteKind, PollKind, PollPhase, PublicThesisStatus } from '../../domain';
import type { Actor } from '../actor';
import { applyConsent } from './consent';
import { loadGlossary } from './glossary';
import type { GlossaryEntry } from './shorthand';

export type RecapLanguage = 'nl' | 'en';

export interface SourceNote {
  id: string;
  kind: NoteKind;
  text: string;
  speaker: string | null;
}

export interface SourcePoll {
  id: string;
  question: string;
  kind: PollKind;
  options: string[];
  phase: PollPhase | null;
  status: 'open' | 'closed';
  counts: number[];
  total: number;
  words?: { word: string; count: number }[];
}

export interface SourceAgendaItem {
  id: string;
  title: string;
  kind: AgendaKind;
  speaker: string | null;
  notes: SourceNote[];
  polls: SourcePoll[];
}

export interface SourceThesis {
  id: string;
  text: string;
  /** Submitted and rejected theses never enter a recap (public.get_recap_source leaves them out). */
  status: PublicThesisStatus;
  discussedOrder: number | null;
  position: number;
  notes: SourceNote[];
  polls: SourcePoll[];
}

export interface SourceMember {
  name: string;
  organisation: string;
  jobTitle: string;
  listed: boolean;
  role: 'organiser' | 'chair' | 'note_taker' | 'participant';
  hasAccount: boolean;
  /** False for an invited guest who did not come: no participant of the day (absent: attended). */
  attended?: boolean;
}

/** Everything a recap is written from (public.get_recap_source). */
export interface RecapSource {
  event: {
    id: string;
    title: string;
    /** The title as a file name (private.title_slug). */
    titleSlug: string;
    question: string | null;
    date: string | null;
    venue: string | null;
    language: RecapLanguage;
    organisers: string[];
    chair: string | null;
    author: string | null;
    photosUrl: string | null;
    allowLlm: boolean;
  };
  members: SourceMember[];
  agenda: SourceAgendaItem[];
  theses: SourceThesis[];
  /** The event's own abbreviations, which the drafters write out (read apart from public.get_recap_source). */
  glossary?: GlossaryEntry[];
}

/** The source of an event's recap, with consent applied: no drafter ever sees a withheld name. */
export async function loadRecapSource(actor: Actor, eventId: string): Promise<RecapSource> {
  const [source, glossary] = await Promise.all([actor.db.rpc<RecapSource>('get_recap_source', { p_event_id: eventId }, actor.caller), loadGlossary(actor, eventId)]);
  return applyConsent({ ...source, glossary: glossary.terms });
}
