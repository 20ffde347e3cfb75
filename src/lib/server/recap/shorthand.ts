/**
 * Note-taking shorthand written out, so that a reader never has to decode it: a list per language
 * ("ipv" → "in plaats van", "w/" → "with", "->" → ", dus") and the event's own glossary
 * ("SM = sociale media"), which goes first. Abbreviations an editor prints as they are ("o.a.",
 * "d.m.v.", "etc.") are not in the list.
 */
import type { RecapLanguage } from './source';

export interface GlossaryEntry {
  term: string;
  expansion: string;
}

interface Shorthand {
  forms: string[];
  full: string;
  /** Only in exactly this spelling (lower case): "bv" is bijvoorbeeld, "BV" a company. */
  exact?: boolean;
}

/** Shorthand for the little words that link a note together: they carry no topic of their own. */
const linking: Record<RecapLanguage, Shorthand[]> = {
  nl: [
    { forms: ['ipv', 'i.p.v.'], full: 'in plaats van' },
    { forms: ['bv', 'bv.', 'b.v.'], full: 'bijvoorbeeld', exact: true },
    { forms: ['bijv', 'bijv.', 'bvb', 'bvb.'], full: 'bijvoorbeeld' },
    { forms: ['mbv', 'm.b.v.'], full: 'met behulp van' },
    { forms: ['v'], full: 'van', exact: true },
    { forms: ['vd'], full: 'van de', exact: true },
    { forms: ['vh'], full: 'van het', exact: true },
    { forms: ['w/'], full: 'met' },
    { forms: ['w/o'], full: 'zonder' },
    { forms: ['tav', 't.a.v.'], full: 'ten aanzien van' },
    { forms: ['tov', 't.o.v.'], full: 'ten opzichte van' },
    { forms: ['dwz', 'd.w.z.'], full: 'dat wil zeggen' },
    { forms: ['ivm', 'i.v.m.'], full: 'in verband met' },
    { forms: ['mn', 'm.n.'], full: 'met name', exact: true },
    { forms: ['oa'], full: 'onder andere', exact: true },
    { forms: ['dmv'], full: 'door middel van' },
    { forms: ['mbt'], full: 'met betrekking tot' },
    { forms: ['nav', 'n.a.v.'], full: 'naar aanleiding van' },
    { forms: ['obv', 'o.b.v.'], full: 'op basis van' },
    { forms: ['ihkv', 'i.h.k.v.'], full: 'in het kader van' },
    { forms: ['ihb', 'i.h.b.'], full: 'in het bijzonder' },
    { forms: ['icm', 'i.c.m.'], full: 'in combinatie met' },
    { forms: ['iig', 'i.i.g.'], full: 'in ieder geval' },
    { forms: ['evt', 'evt.'], full: 'eventueel' },
    { forms: ['zgn', 'zgn.'], full: 'zogenaamde' },
    { forms: ['vnl', 'vnl.'], full: 'voornamelijk' },
    { forms: ['incl', 'incl.'], full: 'inclusief' },
    { forms: ['excl', 'excl.'], full: 'exclusief' },
    { forms: ['ong', 'ong.'], full: 'ongeveer' },
    { forms: ['vs', 'vs.'], full: 'tegenover' }
  ],
  en: [
    { forms: ['e.g.'], full: 'for example' },
    { forms: ['eg'], full: 'for example', exact: true },
    { forms: ['i.e.'], full: 'that is' },
    { forms: ['w/o'], full: 'without' },
    { forms: ['w/'], full: 'with' },
    { forms: ['w/in'], full: 'within' },
    { forms: ['b/c', 'bc', 'b/c.'], full: 'because', exact: true },
    { forms: ['vs', 'vs.'], full: 'versus' },
    { forms: ['approx', 'approx.'], full: 'approximately' },
    { forms: ['esp', 'esp.'], full: 'especially' },
    { forms: ['wrt', 'w.r.t.'], full: 'with regard to' },
    { forms: ['btw'], full: 'by the way' },
    { forms: ['thru'], full: 'through' },
    { forms: ['incl', 'incl.'], full: 'including' },
    { forms: ['excl', 'excl.'], full: 'excluding' }
  ]
};

/** Shorthand for words that do carry meaning. */
const meaningful: Record<RecapLanguage, Shorthand[]> = {
  nl: [
    { forms: ['iom', 'i.o.m.'], full: 'in overleg met' },
    { forms: ['zsm', 'z.s.m.'], full: 'zo snel mogelijk' },
    { forms: ['tzt', 't.z.t.'], full: 'te zijner tijd' },
    { forms: ['wrs', 'wsch', 'wsch.'], full: 'waarschijnlijk' },
    { forms: ['mgmt'], full: 'management' }
  ],
  en: [
    { forms: ['Mon'], full: 'Monday', exact: true },
    { forms: ['Tue', 'Tues'], full: 'Tuesday', exact: true },
    { forms: ['Wed'], full: 'Wednesday', exact: true },
    { forms: ['Thu', 'Thur', 'Thurs'], full: 'Thursday', exact: true },
    { forms: ['Fri'], full: 'Friday', exact: true },
    { forms: ['ppl'], full: 'people' },
    { forms: ['govt', 'gov.'], full: 'government' },
    { forms: ['mgmt'], full: 'management' }
  ]
};

const lists: Record<RecapLanguage, Shorthand[]> = { nl: [...linking.nl, ...meaningful.nl], en: [...linking.en, ...meaningful.en] };

/** The words the symbols stand for. */
const symbols: Record<RecapLanguage, { so: string; is: string; moreThan: string; lessThan: string; over: string; under: string; and: string; about: string; andSoOn: string }> = {
  nl: { so: ', dus', is: 'is', moreThan: 'meer dan', lessThan: 'minder dan', over: 'boven', under: 'onder', and: 'en', about: 'ongeveer', andSoOn: 'enzovoort' },
  en: { so: ', so', is: 'is', moreThan: 'more than', lessThan: 'less than', over: 'over', under: 'below', and: 'and', about: 'about', andSoOn: 'and so on' }
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const wordChar = '[\\p{L}\\p{N}]';

/**
 * Where a form without a final dot may end: not inside a word, and not before an abbreviation's dot
 * ("ca. 50", "v. Chr."); a full stop that ends the sentence is fine ("… gebruiken SM.").
 */
const undottedEnd = (form: string) => (form.length === 1 ? `(?!${wordChar})(?!\\.)` : `(?!${wordChar})(?!\\.(?:${wordChar}|\\s+[\\p{Ll}\\p{N}]))`);

/** An exact form also stands capitalised at the start of a sentence ("Bv" but never "BV"). */
const spelledAs = (match: string, form: string) => match === form || (form.length > 1 && match === form[0].toUpperCase() + form.slice(1));

interface Expander {
  pattern: RegExp;
  byForm: Map<string, { full: string; exact: boolean; form: string }>;
}

const cache = new Map<string, Expander>();

function expander(language: RecapLanguage, glossary: GlossaryEntry[]): Expander {
  const key = `${language}\n${JSON.stringify(glossary)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const byForm = new Map<string, { full: string; exact: boolean; form: string }>();
  // The event's glossary first: the organiser's meaning of a term wins over the built-in one.
  for (const { term, expansion } of glossary) {
    const form = term.trim();
    if (form && !byForm.has(form.toLowerCase())) byForm.set(form.toLowerCase(), { full: expansion.trim(), exact: false, form });
  }
  for (const { forms, full, exact } of lists[language]) {
    for (const form of forms) if (!byForm.has(form.toLowerCase())) byForm.set(form.toLowerCase(), { full, exact: Boolean(exact), form });
  }
  const alternatives = [...byForm.values()]
    .map((e) => e.form)
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map((form) => `${escape(form)}${/[\p{L}\p{N}]$/u.test(form) ? undottedEnd(form) : ''}`);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}./])(?:${alternatives.join('|')})`, 'giu');
  const result = { pattern, byForm };
  if (cache.size > 50) cache.clear();
  cache.set(key, result);
  return result;
}

/** The text with every shorthand written out; what is not shorthand stays exactly as written. */
export function expandShorthand(text: string, language: RecapLanguage, glossary: GlossaryEntry[] = []): string {
  const { pattern, byForm } = expander(language, glossary);
  const s = symbols[language];
  let out = text.replace(pattern, (match: string, offset: number, whole: string) => {
    const entry = byForm.get(match.toLowerCase());
    if (!entry || (entry.exact && !spelledAs(match, entry.form))) return match;
    // "w/clear rules" → "with clear rules".
    return /[\p{L}\p{N}]/u.test(whole[offset + match.length] ?? '') ? `${entry.full} ` : entry.full;
  });
  out = out
    .replace(/\s*(?:-{1,2}>|→|=>)\s*/g, `${s.so} `)
    .replace(/(^|\s)>\s*(?=\d)/g, `$1${s.moreThan} `)
    .replace(/(^|\s)<\s*(?=\d)/g, `$1${s.lessThan} `)
    .replace(/(^|\s)[~±]\s*(?=\d)/g, `$1${s.about} `)
    .replace(/\s+>\s+|(?<=\p{L})>(?=\p{L})/gu, ` ${s.over} `)
    .replace(/\s+<\s+|(?<=\p{L})<(?=\p{L})/gu, ` ${s.under} `)
    .replace(/\s*(?<![=!<>])=(?![=>])\s*/g, ` ${s.is} `)
    .replace(/\s+[+&]\s+|(?<=\p{L})\+(?=\p{L})/gu, ` ${s.and} `)
    // A list that trails off ("yammer, teams, slack…") goes on; any other ellipsis is a pause.
    .replace(/\s*(?:…|\.{3,})\s*$/u, (m, offset: number, whole: string) => (whole.slice(0, offset).includes(',') ? ` ${s.andSoOn}` : ''))
    .replace(/\s*(?:…|\.{3,})\s*/gu, ' – ');
  return out.replace(/^\s*,\s*/, '').replace(/[ \t]{2,}/g, ' ').trim();
}

/** The shorthand still in a text (what expandShorthand would write out), for checks. */
export function shorthandIn(text: string, language: RecapLanguage, glossary: GlossaryEntry[] = []): string[] {
  const { pattern, byForm } = expander(language, glossary);
  const found = [...text.matchAll(pattern)].map((m) => m[0]).filter((m) => {
    const entry = byForm.get(m.toLowerCase());
    return entry && !(entry.exact && !spelledAs(m, entry.form));
  });
  const symbolic = text.match(/-{1,2}>|→|=>|(?<![=!<>])=(?![=>])|(?:^|\s)[<>~±](?=\s*\d)|\s[<>+&]\s|…|\.{3,}|(?<=\p{L})[+<>](?=\p{L})/gu) ?? [];
  return [...found, ...symbolic.map((s) => s.trim())];
}

/** Every word the built-in list can write, for the check that a draft invents nothing. */
export function shorthandVocabulary(language: RecapLanguage): string[] {
  return [...lists[language].map((e) => e.full), ...Object.values(symbols[language])];
}

/** The linking words shorthand and symbols stand for ("in plaats van", "bijvoorbeeld", "dus"): no topic of their own. */
export function linkingPhrases(language: RecapLanguage): string[] {
  return [...linking[language].map((e) => e.full), ...Object.values(symbols[language])];
}
