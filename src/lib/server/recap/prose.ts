/**
 * From terse notes to paragraphs an editor would sign, without a model and without inventing:
 * shorthand written out, what two note-takers both wrote kept once (in the fuller wording), fragments
 * joined into sentences, and sentences grouped into paragraphs by topic. The only words added are the
 * recap's own joining words (words.ts); everything else comes from the notes and the glossary.
 */
import { contentStems, isStopword, mergeNearDuplicates, sameWord, shared, wordsOf } from './likeness';
import { asSentence, capitalise, endSentence, paragraphs, splitSentences } from './sentences';
import { expandShorthand, type GlossaryEntry } from './shorthand';
import type { RecapLanguage, RecapSource, SourceNote } from './source';
import type { RecapWords } from './words';

export interface ProseContext {
  language: RecapLanguage;
  glossary: GlossaryEntry[];
  /** How the day's texts spell words that are not written in lower case mid-sentence ("NOS", "LinkedIn"). */
  spelling: Map<string, string>;
  /** Words the day's texts also write in lower case somewhere: no names, so they may continue a sentence. */
  lowerCase: Set<string>;
}

/** A word as the texts spell it, with its apostrophe ("risico's"). */
const wordPattern = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;

/**
 * What the drafter needs to know about the whole day: its language, its glossary, and how its texts
 * spell words mid-sentence (so "nos" in one note becomes "NOS" because another note wrote it so).
 */
export function proseContext(source: RecapSource): ProseContext {
  const language = source.event.language;
  const glossary = source.glossary ?? [];
  const items = [...source.agenda, ...source.theses];
  const texts = [
    ...items.flatMap((x) => x.notes.flatMap((n) => [n.text, n.speaker ?? ''])),
    ...source.theses.map((t) => t.text),
    ...source.agenda.map((a) => a.speaker ?? ''),
    ...glossary.map((g) => g.expansion)
  ].map((t) => expandShorthand(t, language, glossary));
  // A capital counts only mid-sentence (a sentence's first word has one anyway). Lower case counts only
  // in texts typed with capitals somewhere: a note typed all in lower case says nothing about spelling.
  const seen = new Map<string, Map<string, number>>();
  const lowerCase = new Set<string>();
  for (const text of texts) {
    const careful = /\p{Lu}/u.test(text);
    for (const sentence of splitSentences(text)) {
      (sentence.match(wordPattern) ?? []).forEach((word, i) => {
        const lower = word.toLowerCase();
        if (word === lower) lowerCase.add(lower);
        if (i === 0 || (word === lower && !careful)) return;
        const variants = seen.get(lower) ?? new Map<string, number>();
        variants.set(word, (variants.get(word) ?? 0) + 1);
        seen.set(lower, variants);
      });
    }
  }
  const spelling = new Map<string, string>();
  for (const [lower, variants] of seen) {
    const plain = variants.get(lower) ?? 0;
    const [best, times] = [...variants].filter(([v]) => v !== lower).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [];
    if (best && times! > plain) spelling.set(lower, best);
  }
  return { language, glossary, spelling, lowerCase };
}

/** A lower-case word as the day's texts spell it elsewhere ("nos" → "NOS"); little words stay as they are. */
function respell(text: string, context: ProseContext): string {
  return text.replace(wordPattern, (word) => (word === word.toLowerCase() && !isStopword(word, context.language) ? (context.spelling.get(word) ?? word) : word));
}

/**
 * A note's text with its shorthand written out; a note typed all in lower case also gets its names
 * spelled as the day's other texts spell them. A note typed with capitals keeps its own spelling.
 */
export function expandNote(text: string, context: ProseContext): string {
  const expanded = expandShorthand(text, context.language, context.glossary);
  return /\p{Lu}/u.test(text) ? expanded : respell(expanded, context);
}

/** The clause with a lower-case first letter, when it continues a sentence and its first word is no name. */
function continuing(text: string, context: ProseContext): string {
  return text.replace(/^(["“„‘'(\[]*)(\p{Lu})([\p{Ll}'’-]*)(?=[^\p{L}\p{N}]|$)/u, (whole, open: string, first: string, rest: string) => {
    const word = (first + rest).toLowerCase();
    const common = (context.lowerCase.has(word) && !context.spelling.has(word)) || isStopword(word, context.language);
    return common ? `${open}${word}` : whole;
  });
}

const countWords = (text: string) => (text.match(/[\p{L}\p{N}]+(?:[.'’-][\p{L}\p{N}]+)*/gu) ?? []).length;

/** Sentences shorter than this are fragments: they join a neighbour or a list. */
export const fragmentWords = 6;

interface Clause {
  text: string;
  /** The note it comes from: the sentences of one note stay on one topic. */
  note: number;
  question: boolean;
  stems: string[];
  words: number;
}

/** A sentence in the making: fragments that lead into it ("Privacy:"), its main clauses, fragments after it. */
interface Sentence {
  lead: Clause[];
  body: Clause[];
}

const closed = (text: string) => /[.!?…]["”’»)\]]*$/u.test(text);
const wordsIn = (s: Sentence) => [...s.lead, ...s.body].reduce((n, c) => n + c.words, 0);
const mayGrow = (s: Sentence) => s.body.length > 0 && !s.body[0].question && !closed(s.body.at(-1)!.text) && wordsIn(s) < 35;

function listOf(parts: string[], w: RecapWords): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} ${w.and} ${parts.at(-1)}`;
}

function render(sentence: Sentence, w: RecapWords, context: ProseContext): string {
  const [first, ...more] = sentence.body;
  if (first?.question) {
    const asked = continuing(first.text, context).replace(/[.!…]*$/u, '');
    return w.askedFromTheRoom(/\?["”’»)\]]*$/u.test(asked) ? asked : `${asked}?`);
  }
  const lead = sentence.lead.map((c, i) => (i ? continuing(c.text, context) : c.text));
  let body = '';
  if (first) {
    const rest = more.map((c) => continuing(c.text, context));
    body = rest.length === 1 ? `${first.text}${w.joinClauses}${rest[0]}` : listOf([first.text, ...rest], w);
  }
  const text = lead.length && body ? `${listOf(lead, w)}: ${continuing(body, context)}` : lead.length ? listOf(lead, w) : body;
  return endSentence(capitalise(text));
}

/**
 * The sentences of one topic: a long clause stands on its own; a fragment joins the sentence before it
 * (", en …"), or leads into the next one ("Privacy: …"); fragments with nothing to join form a list.
 * Fragments that cannot join anything in their topic are handed back.
 */
function topicSentences(clauses: Clause[]): { sentences: Sentence[]; alone: Clause[] } {
  const sentences: Sentence[] = [];
  let waiting: Clause[] = [];
  for (const clause of clauses) {
    // A question from the room, or a note that asks or exclaims itself ("Privacy?"), stands as it is.
    if (clause.question || closed(clause.text)) {
      sentences.push({ lead: [], body: [clause] });
      continue;
    }
    // Waiting fragments lead into a long clause ("Privacy: …"), or follow it when it has a colon of its own.
    if (clause.words >= fragmentWords) {
      sentences.push(clause.text.includes(':') ? { lead: [], body: [clause, ...waiting] } : { lead: waiting, body: [clause] });
      waiting = [];
      continue;
    }
    const last = sentences.at(-1);
    if (last && mayGrow(last) && !waiting.length) last.body.push(clause);
    else waiting.push(clause);
  }
  if (!waiting.length) return { sentences, alone: [] };
  const host = sentences.findLast(mayGrow);
  if (waiting.length > 1 && waiting.reduce((n, c) => n + c.words, 0) >= fragmentWords) sentences.push({ lead: waiting, body: [] });
  else if (host) host.body.push(...waiting);
  else return { sentences, alone: waiting };
  return { sentences, alone: [] };
}

/** The discussion of one thesis or item as paragraphs, from its notes and questions. */
export function discussionParagraphs(notes: SourceNote[], topic: string, w: RecapWords, context: ProseContext): string[] {
  const { language } = context;
  const clauses: Clause[] = [];
  for (const [index, note] of notes.entries()) {
    if (note.kind !== 'note' && note.kind !== 'question') continue;
    const text = expandNote(note.text, context);
    const parts = note.kind === 'question' ? [text.replace(/\s+/g, ' ').trim()] : splitSentences(text);
    for (const part of parts) {
      // A note's "!" is the note-taker's emphasis, not the speaker's: the recap states the point.
      const clause = part.replace(/^[-–•*+]+\s*/, '').replace(/[\s.,;:–—!-]+$/u, '');
      if (countWords(clause)) clauses.push({ text: clause, note: index, question: note.kind === 'question', stems: contentStems(clause, language), words: countWords(clause) });
    }
  }
  const points = mergeNearDuplicates(clauses, (c) => c.text, language, { compatible: (a, b) => a.question === b.question });

  // Topics: a point joins the earlier topic it shares most words with (besides the thesis's own words),
  // or the topic of the sentence before it in the same note.
  const topicWords = contentStems(topic, language);
  const topics: { clauses: Clause[]; stems: string[] }[] = [];
  for (const [i, point] of points.entries()) {
    const own = point.stems.filter((s) => !topicWords.some((t) => sameWord(s, t)));
    let best = i > 0 && points[i - 1].note === point.note ? topics.find((t) => t.clauses.includes(points[i - 1])) : undefined;
    let bestShared = 0;
    for (const t of best ? [] : topics) {
      const n = shared(own, t.stems);
      if (n > bestShared) [best, bestShared] = [t, n];
    }
    if (best) {
      best.clauses.push(point);
      best.stems.push(...own.filter((s) => !best.stems.includes(s)));
    } else topics.push({ clauses: [point], stems: own });
  }

  const alone: Clause[] = [];
  const composed = topics.map((t) => {
    const { sentences, alone: left } = topicSentences(t.clauses);
    alone.push(...left);
    return sentences;
  });
  // Fragments no topic could take: one list sentence, or, if that would itself be a fragment, the last sentence that can take them.
  if (alone.length) {
    const listed = listOf(alone.map((c) => continuing(c.text, context)), w);
    const sentence = w.alsoRaised(alone.length, listed);
    const host = composed.flat().findLast(mayGrow);
    if (countWords(sentence) < fragmentWords && host) host.body.push(...alone);
    else if (composed.flat().length) composed.push([{ lead: [], body: [{ text: sentence, note: -1, question: false, stems: [], words: countWords(sentence) }] }]);
    else composed.push([{ lead: alone, body: [] }]);
  }

  const out: string[] = [];
  let singles: string[] = [];
  const flush = () => {
    out.push(...paragraphs(singles));
    singles = [];
  };
  for (const sentences of composed) {
    const rendered = sentences.map((s) => render(s, w, context));
    if (rendered.length > 1) {
      flush();
      out.push(...paragraphs(rendered, 5, 700));
    } else singles.push(...rendered);
  }
  flush();
  return out;
}

/** Every word the drafter itself may add to the notes' words, for the check that it invents nothing. */
export function joiningWords(w: RecapWords): string[] {
  return [...new Set(wordsOf([w.askedFromTheRoom(''), w.joinClauses, w.and, w.alsoRaised(1, ''), w.alsoRaised(2, '')].join(' ')))];
}

/** An item's quotes, written out; a quote two note-takers both took stays once, with the speaker either named. */
export function quoteNotes(notes: SourceNote[], context: ProseContext): SourceNote[] {
  const quotes = notes.filter((n) => n.kind === 'quote').map((n) => ({ ...n, text: expandNote(n.text, context) }));
  return mergeNearDuplicates(quotes, (n) => n.text, context.language, {
    compatible: (a, b) => !a.speaker?.trim() || !b.speaker?.trim() || a.speaker.trim().toLowerCase() === b.speaker.trim().toLowerCase(),
    combine: (fuller, other) => ({ ...fuller, speaker: fuller.speaker?.trim() ? fuller.speaker : other.speaker })
  });
}

/** Conclusions as sentences, written out, each once. */
export function conclusionSentences(texts: string[], context: ProseContext): string[] {
  return mergeNearDuplicates(
    texts.map((t) => asSentence(expandNote(t, context))),
    (t) => t,
    context.language
  );
}
