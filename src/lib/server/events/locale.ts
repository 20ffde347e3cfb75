import { localeCookie, pickLocale } from '../../i18n';
import type { Language } from '../../domain';
import type { Cookies } from '@sveltejs/kit';

/** An event page speaks the event's language unless the user chose another. */
export function eventLocale(cookies: Cookies, request: Request, eventLanguage: string | undefined, url: URL): Language {
  return pickLocale(url.searchParams.get('lang') ?? cookies.get(localeCookie), eventLanguage, request.headers.get('accept-language'));
}

/**
 * The language of an event's page, which is also the page's `<html lang>`: the event's, unless the
 * user chose another with `?lang=` (or its cookie).
 */
export function eventPageLocale(
  page: { cookies: Cookies; request: Request; url: URL; locals: App.Locals },
  eventLanguage: string | undefined
): Language {
  const locale = eventLocale(page.cookies, page.request, eventLanguage, page.url);
  page.locals.locale = locale;
  return locale;
}
