import type { Language } from '../domain';

/** The regional locale each language formats numbers, dates and plurals in. */
export const intlLocales: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number as the language writes it: 1.000 and 6,7 in Dutch, 1,000 and 6.7 in English. */
export function formatNumber(n: number, language: Language, fractionDigits = 0): string {
  const key = `${language}:${fractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocales[language] ?? intlLocales.en, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
    numberFormats.set(key, format);
  }
  return format.format(n);
}

const percentFormats = new Map<Language, Intl.NumberFormat>();

/** A whole percentage as the language writes it ("25%", "25 %" where a language spaces it). */
export function formatPercent(percent: number, language: Language): string {
  let format = percentFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(intlLocales[language] ?? intlLocales.en, { style: 'percent', maximumFractionDigits: 0 });
    percentFormats.set(language, format);
  }
  return format.format(percent / 100);
}

export interface PluralForms {
  one: string;
  other: string;
}

const pluralRules = new Map<Language, Intl.PluralRules>();

/** Which form a count takes in the language: "1 stem", "2 stemmen", "1 voter". */
export function pluralCategory(n: number, language: Language): 'one' | 'other' {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(intlLocales[language] ?? intlLocales.en);
    pluralRules.set(language, rules);
  }
  return rules.select(n) === 'one' ? 'one' : 'other';
}

/** The noun in the form the number asks for. */
export function pluralForm(n: number, forms: PluralForms, language: Language): string {
  return forms[pluralCategory(n, language)];
}

/** A count with its noun: "1 stem", "1.200 stemmen". */
export function plural(n: number, forms: PluralForms, language: Language): string {
  return `${formatNumber(n, language)} ${pluralForm(n, forms, language)}`;
}

/** A calendar date (2026-11-25) as the language writes it: "25 nov 2026", "25 Nov 2026". */
export function formatDate(isoDate: string, language: Language): string {
  const date = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(intlLocales[language] ?? intlLocales.en, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A moment as the language writes it, to the minute. */
export function formatDateTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(intlLocales[language] ?? intlLocales.en, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
