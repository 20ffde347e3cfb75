/**
 * The built-in drafter: a recap from the day's own data, with no network and no model. The same
 * source gives the same text. Every sentence is either made of captured notes (shorthand written
 * out, fragments joined, duplicates kept once: prose.ts) or computed from the structure and the vote
 * counts.
 */
import { conclusionSentences, discussionParagraphs, proseContext, quoteNotes, type ProseContext } from './prose';
import { section } from './sections';
import { asSentence, block, capitalise, cell, endSentence, list, longDate, percent } from './sentences';
import type { RecapLanguage, RecapSource, SourceAgendaItem, SourceNote, SourcePoll, SourceThesis } from './source';
import { formatNumber, recapWords, type RecapWords } from './words';

/** Paragraphs written elsewhere (the language model) to use instead of the built-in ones, by item id. */
export interface Prose {
  paragraphs: Record<string, string[]>;
  conclusions?: string[];
}

export interface Draft {
  markdown: string;
  /** The keys of the sections in document order. */
  sections: string[];
}

const quoteMarks = /^["“”„'‘’]+|["“”„'‘’]+$/g;

export function quoteLine(note: SourceNote): string {
  const text = endSentence(capitalise(note.text.replace(/\s+/g, ' ').trim().replace(quoteMarks, '')));
  return `> “${text}”${note.speaker ? ` — ${note.speaker.trim()}` : ''}`;
}

/** The discussion of one item as paragraphs, from its notes and questions. */
export function notesToParagraphs(notes: SourceNote[], topic: string, w: RecapWords, context: ProseContext): string[] {
  return discussionParagraphs(notes, topic, w, context).map(block);
}

export function agreement(counts: number[]) {
  const total = counts.reduce((a, b) => a + b, 0);
  const agree = (counts[3] ?? 0) + (counts[4] ?? 0);
  const disagree = (counts[0] ?? 0) + (counts[1] ?? 0);
  const neutral = counts[2] ?? 0;
  return { total, agree, disagree, neutral, pAgree: percent(agree, total), pDisagree: percent(disagree, total), pNeutral: percent(neutral, total) };
}

function chart(poll: SourcePoll): string {
  if (poll.kind === 'word_cloud') return '';
  const lines = poll.options.map((option, i) => `${option.replace(/\|/g, '/')} | ${poll.counts[i] ?? 0}`);
  return ['```chart', ...lines, '```'].join('\n');
}

/** The sentence a poll's numbers say, and nothing more. */
export function voteSentence(poll: SourcePoll, w: RecapWords, language: RecapLanguage): string {
  if (poll.total === 0) return w.noVotes;
  if (poll.kind === 'agree5') {
    const a = agreement(poll.counts);
    return w.agree5(a.total, a.agree, a.pAgree, a.disagree, a.pDisagree, a.neutral, a.pNeutral);
  }
  if (poll.kind === 'word_cloud') {
    const top = (poll.words ?? []).slice(0, 5).map((x) => `“${x.word}” (${formatNumber(x.count, language)})`);
    return w.words(poll.total, top.join(', '));
  }
  const share = (i: number) => `${formatNumber(poll.counts[i] ?? 0, language)} (${percent(poll.counts[i] ?? 0, poll.total)}%)`;
  // A scale names only the marks given ("2 × 7 (67%)"); a choice names every option ("Yes 2 (11%)").
  const parts = (
    poll.kind === 'scale10'
      ? poll.options.flatMap((option, i) => ((poll.counts[i] ?? 0) > 0 ? [`${formatNumber(poll.counts[i], language)} × ${option} (${percent(poll.counts[i], poll.total)}%)`] : []))
      : poll.options.map((option, i) => `${option} ${share(i)}`)
  ).join(', ');
  let sentence = w.distribution(poll.total, parts);
  if (poll.kind === 'scale10') {
    const sum = poll.counts.reduce((acc, count, i) => acc + count * Number(poll.options[i]), 0);
    sentence += ' ' + w.average(Math.round((10 * sum) / poll.total) / 10);
  }
  return sentence;
}

/** Each poll says what it asked: before or after the discussion (or which poll), and its question. */
function pollBlocks(polls: SourcePoll[], w: RecapWords, language: RecapLanguage): string[] {
  const out: string[] = [];
  const unphased = polls.filter((p) => !p.phase).length;
  let n = 0;
  for (const poll of polls) {
    const label = poll.phase === 'before' ? w.before : poll.phase === 'after' ? w.after : unphased > 1 ? `${w.poll} ${++n}` : w.poll;
    out.push(`**${label}:** ${block(poll.question)}`);
    const graph = chart(poll);
    if (graph) out.push(graph);
    out.push(voteSentence(poll, w, language));
  }
  const before = polls.find((p) => p.kind === 'agree5' && p.phase === 'before' && p.total > 0);
  const after = polls.find((p) => p.kind === 'agree5' && p.phase === 'after' && p.total > 0);
  if (before && after) out.push(w.shift(agreement(before.counts).pAgree, agreement(after.counts).pAgree));
  return out;
}

function discussion(id: string, topic: string, notes: SourceNote[], w: RecapWords, context: ProseContext, prose?: Prose): string[] {
  const out = prose?.paragraphs[id]?.length ? prose.paragraphs[id].map(block) : notesToParagraphs(notes, topic, w, context);
  for (const note of quoteNotes(notes, context)) out.push(quoteLine(note));
  const noted = notes.filter((n) => n.kind === 'conclusion').map((n) => n.text);
  for (const conclusion of conclusionSentences(noted, context)) out.push(`**${w.conclusion}:** ${block(conclusion)}`);
  return out;
}

export const discussedTheses = (source: RecapSource) =>
  source.theses.filter((t) => t.status === 'discussed' || t.status === 'in_discussion').sort((a, b) => (a.discussedOrder ?? 1e9) - (b.discussedOrder ?? 1e9));
export const undiscussedTheses = (source: RecapSource) =>
  source.theses.filter((t) => t.status === 'not_discussed' || t.status === 'approved').sort((a, b) => a.position - b.position);

/** The last agenda item closes the day when it is not a talk and comes after something else. */
export function closingItem(source: RecapSource): SourceAgendaItem | undefined {
  const last = source.agenda.at(-1);
  return last && source.agenda.length > 1 && last.kind !== 'talk' && last.notes.length ? last : undefined;
}

function thesisSection(thesis: SourceThesis, n: number, w: RecapWords, context: ProseContext, prose?: Prose): string {
  return [
    `### ${w.thesis} ${n}: ${thesis.text.replace(/\s+/g, ' ').trim()}`,
    ...pollBlocks(thesis.polls, w, context.language),
    ...discussion(thesis.id, thesis.text, thesis.notes, w, context, prose)
  ].join('\n\n');
}

function itemSection(item: SourceAgendaItem, w: RecapWords, context: ProseContext, prose?: Prose): string {
  return [
    `### ${item.title.replace(/\s+/g, ' ').trim()}`,
    item.speaker ? `*${w.speaker}: ${item.speaker}*` : '',
    ...pollBlocks(item.polls, w, context.language),
    ...discussion(item.id, item.title, item.notes, w, context, prose)
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** Conclusions: what note-takers marked as conclusions, then what the votes show. */
export function conclusions(source: RecapSource, w: RecapWords, context = proseContext(source)): string[] {
  const noted = [...discussedTheses(source), ...source.agenda].flatMap((x) => x.notes.filter((n) => n.kind === 'conclusion').map((n) => n.text));
  const fromVotes: string[] = [];
  discussedTheses(source).forEach((thesis, i) => {
    const n = i + 1;
    const text = thesis.text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
    const agree5 = thesis.polls.filter((p) => p.kind === 'agree5' && p.total >= 3);
    const main = agree5.find((p) => p.phase !== 'before') ?? agree5[0];
    if (main) {
      const a = agreement(main.counts);
      if (a.pAgree >= 75) fromVotes.push(w.strongAgreement(n, text, a.pAgree));
      else if (a.pDisagree >= 75) fromVotes.push(w.strongDisagreement(n, text, a.pDisagree));
      else if (a.pAgree >= 35 && a.pDisagree >= 35) fromVotes.push(w.split(n, text, a.pAgree, a.pDisagree));
    }
    const before = agree5.find((p) => p.phase === 'before');
    const after = agree5.find((p) => p.phase === 'after');
    if (before && after) {
      const [b, f] = [agreement(before.counts).pAgree, agreement(after.counts).pAgree];
      if (Math.abs(f - b) >= 15) fromVotes.push(w.moved(n, b, f));
    }
  });
  return [...conclusionSentences(noted, context), ...fromVotes];
}

/**
 * The people of the day, each once (a guest's phone is that guest's member): who attended, less the
 * organisers who ran the event in the app. Invited guests who did not come are not participants.
 */
export const participantsOfTheDay = (source: RecapSource) =>
  source.members.filter((m) => m.attended !== false && !(m.role === 'organiser' && m.hasAccount && !m.listed));

function participantsSection(source: RecapSource, w: RecapWords): string {
  const people = participantsOfTheDay(source);
  const listed = people.filter((m) => m.listed);
  const others = people.length - listed.length;
  const out = [`## ${w.participants}`];
  if (listed.length) {
    out.push(
      [`| ${w.name} | ${w.organisation} | ${w.jobTitle} |`, '| --- | --- | --- |', ...listed.map((m) => `| ${cell(m.name)} | ${cell(m.organisation)} | ${cell(m.jobTitle)} |`)].join('\n')
    );
    if (others) out.push(w.others(others));
  } else {
    out.push(w.noneListed(others));
  }
  return out.join('\n\n');
}

/** Drafts the whole recap. `prose` replaces the built-in paragraphs where the language model wrote them. */
export function draftRecap(source: RecapSource, prose?: Prose): Draft {
  const { event } = source;
  const w = recapWords(event.language);
  const context = proseContext(source);
  const parts: [string, string][] = [];

  const meta = [
    event.date ? longDate(event.date, event.language) : null,
    event.venue,
    event.organisers.length ? `${w.organisedBy}: ${list(event.organisers, event.language)}` : null,
    event.chair ? `${w.chairedBy}: ${event.chair}` : null
  ].filter(Boolean);
  parts.push(['header', [`# ${event.title.replace(/\s+/g, ' ').trim()}`, event.question ? `*${block(event.question)}*` : '', meta.join(' · ')].filter(Boolean).join('\n\n')]);

  const discussed = discussedTheses(source);
  const undiscussed = undiscussedTheses(source);
  const closing = closingItem(source);
  const talks = source.agenda.filter((a) => a.kind === 'talk');
  const speakers = [...new Set(talks.map((t) => t.speaker).filter((s): s is string => Boolean(s)))];
  const people = participantsOfTheDay(source);
  parts.push([
    'intro',
    `## ${w.introduction}\n\n` +
      w.intro({
        title: event.title.trim(),
        date: event.date ? longDate(event.date, event.language) : null,
        venue: event.venue,
        organisers: event.organisers.length ? list(event.organisers, event.language) : null,
        question: event.question ? asSentence(event.question) : null,
        participants: people.length,
        discussed: discussed.length,
        notDiscussed: undiscussed.length,
        talks: talks.length,
        speakers: speakers.length ? list(speakers, event.language) : null
      })
  ]);

  if (source.agenda.length) {
    parts.push(['agenda', [`## ${w.agenda}`, source.agenda.map((a, i) => `${i + 1}. ${a.title.replace(/\s+/g, ' ').trim()}${a.speaker ? ` — ${a.speaker}` : ''}`).join('\n')].join('\n\n')]);
  }
  parts.push(['participants', participantsSection(source, w)]);

  const sessions = source.agenda.filter((a) => a !== closing && (a.notes.length || a.polls.length));
  if (sessions.length) {
    parts.push(['sessions-heading', `## ${w.sessions}`]);
    for (const item of sessions) parts.push([`item:${item.id}`, itemSection(item, w, context, prose)]);
  }
  if (discussed.length) {
    parts.push(['theses-heading', `## ${w.theses}`]);
    discussed.forEach((thesis, i) => parts.push([`thesis:${thesis.id}`, thesisSection(thesis, i + 1, w, context, prose)]));
  }
  parts.push([
    'not-discussed',
    [
      `## ${w.notDiscussed}`,
      undiscussed.length ? undiscussed.map((t) => `- ${t.text.replace(/\s+/g, ' ').trim()}`).join('\n') : discussed.length ? w.allDiscussed : w.noTheses
    ].join('\n\n')
  ]);
  const found = prose?.conclusions?.length ? prose.conclusions : conclusions(source, w, context);
  parts.push(['conclusions', [`## ${w.conclusions}`, found.length ? found.map((c) => `- ${c}`).join('\n') : w.noConclusions].join('\n\n')]);
  if (closing) {
    parts.push(['closing', [`## ${w.closing}`, ...discussion(closing.id, closing.title, closing.notes, w, context, prose)].join('\n\n')]);
  }
  if (event.photosUrl) parts.push(['photos', `## ${w.photos}\n\n[${event.photosUrl}](${event.photosUrl})`]);

  return { markdown: parts.map(([key, body]) => section(key, body)).join('\n\n') + '\n', sections: parts.map(([key]) => key) };
}

/** Drafts one section again, as the whole draft would have it now. */
export function draftSection(source: RecapSource, key: string, prose?: Prose): string | null {
  const draft = draftRecap(source, prose);
  const match = new RegExp(`<!-- section:${key.replace(/[-:]/g, '\\$&')} -->\\n([\\s\\S]*?)\\n<!-- /section -->`).exec(draft.markdown);
  return match ? match[1] : null;
}
