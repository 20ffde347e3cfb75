import { localeCookie, pickLocale } from '../../i18n';
import type { Language } from '../../schemas';
import type { Cookies } from '@sveltejs/kit';

/** An event page speaks the event's language unless the user chose another. */
export function eventLocale(cookies: Cookies, request: Request, eventLanguage: string | undefined, url: URL): Language {
  return pickLocale(url.searchParams.get('lang') ?? cookies.get(localeCookie), eventLanguage, request.headers.get('accept-language'));
}
