/**
 * Consent, applied once to the recap source before any drafter (built-in or language model) reads it.
 * The recap may name the members who consented to be listed, the speakers on the programme and the
 * chair; everyone else who took part is "a participant" / "een deelnemer", as the speaker of a quote
 * and wherever a note names them. The notes themselves keep the names for the staff.
 */
import type { RecapSource, SourceNote } from './source';
import { recapWords } from './words';

/** Lower case, no accents, no dots, single spaces: "  H.J. Hídden " → "h j hidden". */
const fold = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\./g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

// Words that belong to a surname rather than to the given names: "Freek van den Broek".
const particles = new Set(['van', 'von', 'de', 'den', 'der', 'het', 'ter', 'ten', 'te', 'la', 'le', 'du', 'da', 'di', 'del', 'dos', 'das', "'t", 'op', 'in']);

/** A name as given names and surname: the last word with the particles before it is the surname. */
function parts(name: string): { given: string[]; surname: string[] } {
  const words = fold(name).split(' ').filter(Boolean);
  let start = words.length - 1;
  while (start > 1 && particles.has(words[start - 1])) start--;
  return { given: words.slice(0, Math.max(start, 0)), surname: words.slice(Math.max(start, 0)) };
}

/**
 * Whether a note-taker's spelling of a speaker names this member: the same name in any case, with
 * or without accents and extra spaces, or initials and the surname ("H. Hidden", "F. van den Broek").
 * The first initial must be the first letter of the first given name; more initials may follow.
 */
export function sameName(speaker: string, member: string): boolean {
  const spoken = fold(speaker);
  if (!spoken) return false;
  if (spoken === fold(member)) return true;
  const { given, surname } = parts(member);
  const words = spoken.split(' ');
  if (words.length <= surname.length) return false;
  const initials = words.slice(0, words.length - surname.length);
  return (
    given.length > 0 &&
    initials.length > 0 &&
    words.slice(initials.length).join(' ') === surname.join(' ') &&
    initials.every((initial) => initial.length === 1) &&
    initials[0] === given[0][0]
  );
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern that finds a member's name in running text (decomposed, NFD), written as sameName accepts it. */
function namePattern(member: string): RegExp {
  const letters = (word: string) => [...word].map((c) => `${escape(c)}\\p{M}*`).join('');
  const { given, surname } = parts(member);
  const full = [...given, ...surname].map(letters).join('\\s+');
  const variants = [full];
  if (given.length) variants.push(`${letters(given[0][0])}\\.?(?:\\s*\\p{L}\\.)*\\s*${surname.map(letters).join('\\s+')}`);
  // A name ends where no letter, hyphen or apostrophe goes on: "Jan Jansen" is not in "Jan Jansen-Smit".
  return new RegExp(`(?<![\\p{L}\\p{M}'’-])(?:${variants.join('|')})(?![\\p{L}\\p{M}'’-])`, 'giu');
}

/** The recap source with consent applied: what every drafter is given. */
export function applyConsent(source: RecapSource): RecapSource {
  const someone = recapWords(source.event.language).someone;
  const named = [
    ...source.members.filter((m) => m.listed).map((m) => m.name),
    ...source.agenda.map((a) => a.speaker ?? ''),
    source.event.chair ?? ''
  ].filter((name) => name.trim());
  const withheld = source.members.map((m) => m.name).filter((name) => !named.some((n) => fold(n) === fold(name)));
  const patterns = withheld.map(namePattern);

  const scrub = (text: string) => patterns.reduce((t, pattern) => t.replace(pattern, someone), text.normalize('NFD')).normalize('NFC');
  // A speaker that is a withheld member is "a participant"; a longer speaker ("Name, Organisation")
  // loses the name it contains.
  const speaker = (spoken: string) =>
    withheld.some((name) => sameName(spoken, name)) && !named.some((name) => fold(name) === fold(spoken)) ? someone : scrub(spoken);
  const consented = (note: SourceNote): SourceNote => ({ ...note, text: scrub(note.text), speaker: note.speaker && speaker(note.speaker) });
  return {
    ...source,
    agenda: source.agenda.map((item) => ({ ...item, notes: item.notes.map(consented) })),
    theses: source.theses.map((thesis) => ({ ...thesis, notes: thesis.notes.map(consented) }))
  };
}
