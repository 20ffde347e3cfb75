/**
 * Turning captured notes into clean prose without changing what they say: whitespace, sentence case,
 * final punctuation, near-duplicates merged, short notes joined into paragraphs.
 */

/** One note as a sentence: single spaces, a capital first letter, a full stop if it has no ending. */
export function asSentence(text: string): string {
  let s = text.replace(/\s+/g, ' ').trim();
  if (!s) return s;
  s = s.replace(/^[-–•*]+\s*/, '');
  const first = s.search(/\p{L}/u);
  if (first === 0) s = s[0].toLocaleUpperCase() + s.slice(1);
  if (!/[.!?…:;"”’)]$/.test(s)) s += '.';
  return s;
}

const tokens = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

/** Jaccard overlap of the words of two texts, 0 to 1. */
export function similarity(a: string, b: string): number {
  const x = tokens(a);
  const y = tokens(b);
  if (!x.size || !y.size) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / (x.size + y.size - shared);
}

/**
 * Drops a text that says nearly the same as one before it (two note-takers wrote the same thing),
 * keeping the fuller of the two in the place of the first.
 */
export function mergeNearDuplicates(texts: string[], threshold = 0.75): string[] {
  const kept: string[] = [];
  for (const text of texts) {
    const twin = kept.findIndex((k) => similarity(k, text) >= threshold);
    if (twin === -1) kept.push(text);
    else if (text.length > kept[twin].length) kept[twin] = text;
  }
  return kept;
}

/** Sentences grouped into paragraphs of a readable length (about three sentences, or 450 characters). */
export function paragraphs(sentences: string[], maxSentences = 3, maxLength = 450): string[] {
  const result: string[] = [];
  let current: string[] = [];
  for (const sentence of sentences) {
    const length = current.join(' ').length + sentence.length;
    if (current.length && (current.length >= maxSentences || length > maxLength)) {
      result.push(current.join(' '));
      current = [];
    }
    current.push(sentence);
  }
  if (current.length) result.push(current.join(' '));
  return result;
}

/** Text on one line that cannot break a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

/** A paragraph of user text that Markdown will not read as a heading, list, quote or code fence. */
export function block(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return /^(#|>|[-*+]\s|\d+[.)]\s|\||```|~~~|=+$|-+$)/.test(line) ? `\\${line}` : line;
}

export function percent(part: number, total: number): number {
  return total ? Math.round((100 * part) / total) : 0;
}

const months = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
};

/** 30 mei 2012 / 30 May 2012, from an ISO date, without time zones moving the day. */
export function longDate(iso: string, language: 'nl' | 'en'): string {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number);
  return `${day} ${months[language][month - 1]} ${year}`;
}

/** "A, B and C" / "A, B en C". */
export function list(items: string[], language: 'nl' | 'en'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${language === 'nl' ? 'en' : 'and'} ${items.at(-1)}`;
}
