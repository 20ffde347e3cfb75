import { en, type MessageKey } from './en';
import { nl } from './nl';
import type { Language } from '../schemas';

export type { MessageKey };
export const locales = ['nl', 'en'] as const satisfies readonly Language[];
export const localeCookie = 'kd_lang';
const dictionaries: Record<Language, Record<MessageKey, string>> = { en, nl };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A typed translator: `t('join.title')`; `{name}` placeholders are filled from params. */
export function translator(locale: Language): Translate {
  const dictionary = dictionaries[locale] ?? en;
  return (key, params) => {
    const text = dictionary[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text;
  };
}

export const isLocale = (value: unknown): value is Language => value === 'nl' || value === 'en';

/** The user's choice first, then the event's language, then the browser's, then Dutch. */
export function pickLocale(choice: string | undefined, eventLanguage: string | undefined, acceptLanguage: string | null): Language {
  if (isLocale(choice)) return choice;
  if (isLocale(eventLanguage)) return eventLanguage;
  const preferred = acceptLanguage?.split(',').map((part) => part.trim().slice(0, 2).toLowerCase()).find(isLocale);
  return preferred ?? 'nl';
}
