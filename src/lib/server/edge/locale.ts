import type { RequestEvent } from '@sveltejs/kit';
import { browserLocale, isLocale, localeCookie, pickLocale, translator, type Translate } from '../../i18n';
import type { Language } from '../../domain';
import { anonCaller, type Database } from '../db/types';
import { isUuid } from '../../uuid';


/** What a refusal's language is chosen from: the reader's own choice (`?lang=` or its cookie) and the browser's languages. */
export interface ReaderLanguages {
  choice: string | null | undefined;
  acceptLanguage: string | null;
}

/**
 * The translator for a refusal at the edge: the reader's own choice, else the language of the event
 * the address names (by id or by join code), else the browser's, else `fallback` (English for API
 * clients that say nothing). Only asked when something is refused.
 */
export function refusalTranslator(event: RequestEvent, ids: { eventId?: string; code?: string }, fallback?: Language): Promise<Translate> {
  const reader = { choice: event.url.searchParams.get('lang') ?? event.cookies.get(localeCookie), acceptLanguage: event.request.headers.get('accept-language') };
  return refusalTranslatorFor(event.locals.runtime.db, reader, ids, fallback);
}

/** The same, for a request SvelteKit does not see (the vote route). */
export async function refusalTranslatorFor(db: Database, reader: ReaderLanguages, ids: { eventId?: string; code?: string }, fallback?: Language): Promise<Translate> {
  let language: string | undefined;
  try {
    if (ids.eventId && isUuid(ids.eventId)) {
      language = (await db.rpc<string | null>('event_language', { p_event_id: ids.eventId }, anonCaller)) ?? undefined;
    } else if (ids.code && /^[A-Za-z0-9]{6}$/.test(ids.code)) {
      language = (await db.rpc<{ language: string } | null>('lookup_event', { p_code: ids.code }, anonCaller))?.language;
    }
  } catch {
    // The event's language is a courtesy; the refusal stands in the browser's language.
  }
  const { choice, acceptLanguage } = reader;
  if (fallback && !isLocale(choice) && !isLocale(language) && !browserLocale(acceptLanguage)) return translator(fallback);
  return translator(pickLocale(choice ?? undefined, language, acceptLanguage));
}
