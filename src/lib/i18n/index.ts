import type { Language } from '../domain';
import { formatNumber, pluralCategory, type PluralForms } from './format';
import * as common from './messages/common';
import * as chairConsole from './messages/console';
import * as edge from './messages/edge';
import * as guests from './messages/guests';
import * as live from './messages/live';
import * as organise from './messages/organise';
import * as phone from './messages/phone';
import * as preparation from './messages/preparation';
import * as room from './messages/room';
import * as screens from './messages/screens';
import * as documents from './messages/documents';
import * as refusals from './messages/refusals';

/**
 * The interface texts, one module per area of the app, each with `en` and `nl`. The type checker
 * holds every area's Dutch to the keys of its English, so no text exists in one language only.
 */
const areas = [common, live, organise, edge, room, screens, documents, refusals, guests, chairConsole, phone, preparation] as const;

type Area = (typeof areas)[number];
type Keys<A> = A extends { en: infer E } ? keyof E : never;
export type MessageKey = Keys<Area>;

/** A text, or a text per plural form, chosen by the `n` parameter through Intl.PluralRules. */
export type Message = string | PluralForms;

const dictionaries: Record<Language, Record<string, Message>> = {
  en: Object.assign({}, ...areas.map((a) => a.en)),
  nl: Object.assign({}, ...areas.map((a) => a.nl))
};

export const localeCookie = 'kd_lang';

export type Translate = ((key: MessageKey, params?: Record<string, string | number>) => string) & {
  /** The language it speaks, for numbers and dates formatted beside its texts. */
  readonly locale: Language;
};

/**
 * A typed translator: `t('join.title')`; `{name}` placeholders are filled from params, numbers as the
 * language writes them (Intl.NumberFormat); a text with plural forms takes the form `n` asks for.
 */
export function translator(locale: Language): Translate {
  const language: Language = isLocale(locale) ? locale : 'en';
  const dictionary = dictionaries[language];
  const t = (key: MessageKey, params?: Record<string, string | number>) => {
    const message = dictionary[key] ?? dictionaries.en[key] ?? key;
    const text = typeof message === 'string' ? message : message[pluralCategory(Number(params?.n ?? 0), language)];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name];
      return value === undefined ? `{${name}}` : typeof value === 'number' ? formatNumber(value, language) : value;
    });
  };
  return Object.assign(t, { locale: language });
}

/** Every text of a language, for tests that compare what a page shows with the other language. */
export function catalogue(locale: Language): Readonly<Record<string, Message>> {
  return dictionaries[locale];
}

export const isLocale = (value: unknown): value is Language => value === 'nl' || value === 'en';

/** The first language of an Accept-Language header that Kennisdag speaks. */
export function browserLocale(acceptLanguage: string | null): Language | undefined {
  return acceptLanguage?.split(',').map((part) => part.trim().slice(0, 2).toLowerCase()).find(isLocale);
}

/** The user's choice first, then the event's language, then the browser's, then Dutch. */
export function pickLocale(choice: string | undefined, eventLanguage: string | undefined, acceptLanguage: string | null): Language {
  if (isLocale(choice)) return choice;
  if (isLocale(eventLanguage)) return eventLanguage;
  return browserLocale(acceptLanguage) ?? 'nl';
}
