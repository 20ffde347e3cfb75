import type { Language } from '../schemas';
import * as common from './messages/common';
import * as chairConsole from './messages/console';
import * as edge from './messages/edge';
import * as live from './messages/live';
import * as organise from './messages/organise';
import * as phone from './messages/phone';
import * as preparation from './messages/preparation';
import * as room from './messages/room';

/**
 * The interface texts, one module per area of the app, each with `en` and `nl`. The type checker
 * holds every area's Dutch to the keys of its English, so no text exists in one language only.
 */
const areas = [common, live, organise, edge, room, chairConsole, phone, preparation] as const;

type Area = (typeof areas)[number];
type Keys<A> = A extends { en: infer E } ? keyof E : never;
export type MessageKey = Keys<Area>;

const dictionaries: Record<Language, Record<string, string>> = {
  en: Object.assign({}, ...areas.map((a) => a.en)),
  nl: Object.assign({}, ...areas.map((a) => a.nl))
};

export const locales = ['nl', 'en'] as const satisfies readonly Language[];
export const localeCookie = 'kd_lang';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A typed translator: `t('join.title')`; `{name}` placeholders are filled from params. */
export function translator(locale: Language): Translate {
  const dictionary = dictionaries[locale] ?? dictionaries.en;
  return (key, params) => {
    const text = dictionary[key] ?? dictionaries.en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text;
  };
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
