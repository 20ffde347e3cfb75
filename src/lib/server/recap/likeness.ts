/**
 * When two notes say the same thing. Note-takers misspell, inflect and reorder ("googelen" /
 * "googlen", "twitter sneller dan NOS" / "twitter sneller dan nos bij brand moerdijk"), so notes are
 * compared by the stems of their content words (Snowball stemmers), and two stems count as one word
 * when they are a typo apart (edit distance).
 */
import { stemmer as dutchStem } from '@orama/stemmers/dutch';
import { stemmer as englishStem } from '@orama/stemmers/english';
import { distance } from 'fastest-levenshtein';
import { eng, nld } from 'stopword';
import { linkingPhrases } from './shorthand';
import type { RecapLanguage } from './source';

// Negations carry meaning: "twitter is sneller" and "twitter is niet sneller" are two points.
const negations: Record<RecapLanguage, string[]> = {
  nl: ['niet', 'geen', 'nooit', 'niets', 'niemand', 'nergens', 'zonder'],
  en: ['not', 'no', 'never', 'nothing', 'nobody', 'none', 'nor', 'without']
};
// Besides the usual stop words, the linking words that shorthand stands for ("in plaats van", "bijvoorbeeld").
const stopList = (list: string[], language: RecapLanguage) =>
  new Set([...list, ...linkingPhrases(language).flatMap((phrase) => wordsOf(phrase))].filter((word) => !negations[language].includes(word)));
const stopwords: Record<RecapLanguage, Set<string>> = { nl: stopList(nld, 'nl'), en: stopList(eng, 'en') };
const stemmers: Record<RecapLanguage, (word: string) => string> = { nl: dutchStem, en: englishStem };

/** The words of a text, lower-cased and without accents; "risico's" is one word. */
export function wordsOf(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/(?<=\p{L})['’](?=\p{L})/gu, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

export const isStopword = (word: string, language: RecapLanguage) => stopwords[language].has(word.toLowerCase());

/** The stems of a text's content words, each once, in order. */
export function contentStems(text: string, language: RecapLanguage): string[] {
  const stem = stemmers[language];
  return [...new Set(wordsOf(text).filter((word) => !stopwords[language].has(word)).map((word) => stem(word)))];
}

/**
 * Two stems are one word when they are equal or a typo apart: one edit in five letters, two in eight,
 * or, in a four-letter word, one edit after the same three letters ("zien" / "ziet", not "land" / "hand").
 */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  // A typo seldom hits the first letter; checking it first also spares most comparisons.
  if (shorter < 4 || a[0] !== b[0] || Math.abs(a.length - b.length) > 2 || /\d/.test(a + b)) return false;
  if (shorter === 4) return a.slice(0, 3) === b.slice(0, 3) && distance(a, b) === 1;
  return distance(a, b) <= (shorter >= 8 ? 2 : 1);
}

/** How many of `stems` occur (as the same word) among `others`. */
export function shared(stems: string[], others: string[]): number {
  return stems.filter((s) => others.some((o) => sameWord(s, o))).length;
}

const negated = (stems: string[], language: RecapLanguage) => stems.some((s) => negations[language].includes(s));

/**
 * Whether `fuller` says everything `part` says: every content word of `part` is in `fuller`, and
 * neither denies what the other affirms.
 */
export function covers(fuller: string[], part: string[], language: RecapLanguage): boolean {
  if (!part.length || negated(fuller, language) !== negated(part, language)) return false;
  return shared(part, fuller) === part.length;
}

export interface MergeOptions<T> {
  /** Whether two items may be one at all (a question never merges with a statement). */
  compatible?: (a: T, b: T) => boolean;
  /** The item that stands for both, given the fuller and the other (e.g. to keep a speaker only one named). */
  combine?: (fuller: T, other: T) => T;
}

/**
 * Drops a text whose every point another text already makes (two note-takers wrote the same thing),
 * keeping the fuller wording in the place of the first.
 */
export function mergeNearDuplicates<T>(items: T[], text: (item: T) => string, language: RecapLanguage, options: MergeOptions<T> = {}): T[] {
  const kept: { item: T; stems: string[] }[] = [];
  for (const item of items) {
    const stems = contentStems(text(item), language);
    const twin = kept.find((k) => (options.compatible?.(k.item, item) ?? true) && (covers(k.stems, stems, language) || covers(stems, k.stems, language)));
    if (!twin) {
      kept.push({ item, stems });
      continue;
    }
    const replaces = stems.length > twin.stems.length || (stems.length === twin.stems.length && text(item).length > text(twin.item).length);
    const [fuller, other] = replaces ? [item, twin.item] : [twin.item, item];
    twin.item = options.combine ? options.combine(fuller, other) : fuller;
    if (replaces) twin.stems = stems;
  }
  return kept.map((k) => k.item);
}
