/**
 * Turning captured notes into clean sentences without changing what they say: whitespace, sentence
 * case, a proper ending, sentences split without breaking abbreviations.
 */

// A sentence has ended when it stops on . ! ? or …, perhaps inside a closing quote or bracket.
const ended = /[.!?…]["”’»)\]]*$/u;

/** The clause with a proper ending: a full stop unless it has one, also after ")" or a closing quote. */
export function endSentence(text: string): string {
  const s = text.replace(/[\s,;:–—-]+$/u, '');
  return !s || ended.test(s) ? s : `${s}.`;
}

/** A capital first letter (after any opening quote or bracket), unless the word is spelled like "iPhone". */
export function capitalise(text: string): string {
  return text.replace(/^(["“„‘'(\[]*)(\p{Ll})([\p{L}\p{N}]*)/u, (whole, open: string, first: string, rest: string) =>
    /\p{Lu}/u.test(rest) ? whole : `${open}${first.toLocaleUpperCase()}${rest}`
  );
}

/** One note as a sentence: single spaces, no list marker, a capital first letter, a proper ending. */
export function asSentence(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim().replace(/^[-–•*+]+\s*/, '');
  return s ? endSentence(capitalise(s)) : s;
}

/** Abbreviations an editor keeps as they are; a sentence does not end at their dots. */
export const keptAbbreviations = [
  'd.m.v.', 'o.a.', 'm.b.t.', 'e.d.', 'enz.', 'etc.', 'ca.', 'nr.', 'nrs.', 'dr.', 'drs.', 'ir.', 'ing.', 'mr.', 'prof.', 'dhr.', 'mevr.', 'jl.', 'a.s.',
  'resp.', 'z.g.a.n.', 'mrs.', 'ms.', 'no.', 'vol.', 'a.m.', 'p.m.', 'st.', 'cf.', 'jr.', 'sr.'
];
const keptPattern = new RegExp(`(?<![\\p{L}\\p{N}.])(?:${keptAbbreviations.map((a) => a.replace(/\./g, '\\.')).join('|')}|(?:\\p{L}\\.){2,}|\\p{Lu}\\.(?=\\s+\\p{Lu}))`, 'giu');

/**
 * The sentences of a note: it ends one at . ! ? or … followed by a space (or at a line break), but not
 * at the dots of "o.a.", "d.m.v.", "dr." or an initial.
 */
export function splitSentences(text: string): string[] {
  const hidden = '\u0000';
  const masked = text.replace(keptPattern, (m) => m.replace(/\./g, hidden));
  return masked
    .split(/\n+|(?<=[.!?…]["”’»)\]]*)\s+/u)
    .map((part) => part.replace(/\u0000/g, '.').replace(/\s+/g, ' ').trim().replace(/^[-–•*+]+\s*/, ''))
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
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
