import { stringify } from 'csv-stringify/sync';
import { translator, type Translate } from '../../i18n';
import type { Actor } from '../actor';
import type { RecapSource, SourcePoll } from '../recap/source';

/**
 * A cell a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage
 * return) is written as text, with an apostrophe in front: a thesis typed as "=HYPERLINK(…)" stays text.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

const percentOf = (count: number, total: number) => (total ? Math.round((100 * count) / total) : 0);

/** One row per poll and option (a word cloud: per word), in the order of the day. */
export function resultRows(source: Pick<RecapSource, 'agenda' | 'theses'>, t: Translate): (string | number)[][] {
  const rows: (string | number)[][] = [[t('results.subject'), t('results.question'), t('results.phase'), t('results.option'), t('results.count'), t('results.percentage')]];
  const phase = (poll: SourcePoll) => (poll.phase ? t(poll.phase === 'before' ? 'poll.before' : 'poll.after') : '');
  const add = (subject: string, polls: SourcePoll[]) => {
    for (const poll of polls) {
      const answers = poll.kind === 'word_cloud' ? (poll.words ?? []).map((w) => [w.word, w.count] as const) : poll.options.map((o, i) => [o, poll.counts[i] ?? 0] as const);
      for (const [option, count] of answers) rows.push([subject, poll.question, phase(poll), option, count, percentOf(count, poll.total)]);
    }
  };
  for (const item of source.agenda) add(item.title, item.polls);
  for (const thesis of source.theses) add(thesis.text, thesis.polls);
  return rows;
}

/**
 * The event's poll results as CSV (RFC 4180: every line ends in CRLF, a cell with a comma, quote or
 * line break is quoted), UTF-8 with a byte order mark so that Excel reads the accents right, and
 * with the headings in the event's language.
 */
export async function exportResults(actor: Actor, eventId: string): Promise<{ filename: string; body: string }> {
  const source = await actor.db.rpc<RecapSource>('get_recap_source', { p_event_id: eventId }, actor.caller);
  const rows = resultRows(source, translator(source.event.language));
  const body = stringify(rows, {
    bom: true,
    record_delimiter: '\r\n',
    cast: { string: (value) => neutraliseFormula(value), number: (value) => String(value) }
  });
  return { filename: `${source.event.titleSlug || 'kennisdag'}-results.csv`, body };
}
