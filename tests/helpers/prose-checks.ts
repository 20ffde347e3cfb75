/**
 * What an editor checks in a drafted recap, written apart from the drafter so a test can hold any
 * draft to it (the built-in one and the language model's): the sentences of the prose, their endings,
 * their length, and whether a note's point is still there.
 */
import { stemmer as dutchStem } from '@orama/stemmers/dutch';
import { stemmer as englishStem } from '@orama/stemmers/english';
import { distance } from 'fastest-levenshtein';

export type Language = 'nl' | 'en';

/** The body of a level-3 section (a thesis or a talk) or of the level-2 closing, by its heading text. */
export function sectionText(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#{2,3} /.test(line) && line.includes(heading));
  if (start === -1) throw new Error(`No section “${heading}”`);
  const level = /^#+/.exec(lines[start])![0].length;
  const end = lines.findIndex((line, i) => i > start && (new RegExp(`^#{1,${level}} `).test(line) || line.startsWith('<!-- /section')));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** The prose paragraphs of a section: no headings, labels, quotes, charts, lists or tables. */
export function proseParagraphs(section: string): string[] {
  return section
    .replace(/```[\s\S]*?```/g, '')
    .split(/\n\s*\n/)
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter((block) => block && !/^(#|>|\*|\||- |\d+\. |<!--)/.test(block));
}

const abbreviations = /\b(?:d\.m\.v|o\.a|m\.b\.t|e\.d|enz|etc|ca|nr|dr|mr|prof|dhr|mevr|vs|e\.g|i\.e)\.$/i;

/** The sentences of a paragraph: a new one starts after . ! ? or … with a capital or a digit. */
export function sentencesOf(paragraph: string): string[] {
  const pieces = paragraph.split(/(?<=[.!?…]["”’»)]*)\s+(?=["“„‘(]?[\p{Lu}\d])/u);
  const sentences: string[] = [];
  for (const piece of pieces) {
    if (sentences.length && abbreviations.test(sentences.at(-1)!)) sentences[sentences.length - 1] += ` ${piece}`;
    else sentences.push(piece);
  }
  return sentences;
}

export const ends = (sentence: string) => /[.!?…]["”’»)]*$/u.test(sentence);
export const wordCount = (sentence: string) => (sentence.match(/[\p{L}\p{N}]+/gu) ?? []).length;

/** The share of sentences under six words, 0 to 1. */
export function shortShare(sentences: string[]): number {
  return sentences.length ? sentences.filter((s) => wordCount(s) < 6).length / sentences.length : 0;
}

const stem = (word: string, language: Language) => (language === 'nl' ? dutchStem : englishStem)(word);
export const lowerWords = (text: string) => text.toLowerCase().replace(/(?<=\p{L})['’](?=\p{L})/gu, '').match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether a word of a note is in a text: the same stem, or a typo away (googelen / googlen). */
export function wordIn(word: string, text: string, language: Language): boolean {
  const target = stem(word, language);
  return lowerWords(text).some((w) => {
    const other = stem(w, language);
    return other === target || (Math.min(other.length, target.length) >= 5 && distance(other, target) <= 2);
  });
}

/** The words of a note that carry its point: four letters or more. */
export const pointWords = (text: string) => lowerWords(text).filter((w) => w.length >= 4);

/** Whether every point word of `part` is in `whole`. */
export const saysAll = (whole: string, part: string, language: Language) => pointWords(part).every((w) => wordIn(w, whole, language));
