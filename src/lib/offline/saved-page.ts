/**
 * Pages the phone can open without a network. The service worker saves them with a marker naming
 * the time; a page opened from such a copy knows it is not live and says so.
 */
export const savedAtMeta = 'kennisdag-saved-at';

/** The pages a participant needs in the room: the start page, a join page, the phone page. */
export const isOfflinePage = (pathname: string) => pathname === '/' || pathname.startsWith('/join/') || pathname.startsWith('/m/');

/** A page's HTML with the marker of a saved copy. */
export const markSaved = (html: string, savedAt: Date) => html.replace('<head>', `<head><meta name="${savedAtMeta}" content="${savedAt.toISOString()}">`);

/** When the page on screen is a saved copy: the time it was saved. */
export function savedAt(): string | null {
  return document.querySelector<HTMLMetaElement>(`meta[name="${savedAtMeta}"]`)?.content ?? null;
}

/** Asks the service worker to save this page now (one reached within the app is not a page load it saw). */
export async function keepForOffline(pathname: string) {
  const registration = await navigator.serviceWorker?.ready;
  registration?.active?.postMessage({ type: 'keep-page', pathname });
}
