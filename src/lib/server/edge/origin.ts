import { userError } from '../../errors';
import { bearerToken, type RequestHead } from '../auth/session';

/**
 * Where to go after signing in: a path on this site only. The candidate is parsed with `URL` against
 * the app's origin, as a browser would resolve the Location header, so `/\evil.example`, `/\t/evil`
 * and `//evil` (which browsers read as other hosts) fall back instead of leaving the site.
 */
export function safeNext(next: string | null, origin: string): string | null {
  if (!next || !next.startsWith('/')) return null;
  let target: URL;
  try {
    target = new URL(next, origin);
  } catch {
    return null;
  }
  if (target.origin !== origin) return null;
  const path = target.pathname + target.search + target.hash;
  // What goes into Location is the parsed form, so it resolves to the same place everywhere.
  return path.startsWith('//') ? null : path;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a request that changes something and rides on a cookie must come from
 * this site, said by its Origin header or, failing that, by Sec-Fetch-Site. SvelteKit checks form
 * posts itself; this covers every other method and content type (a body-less POST to the API from a
 * page on another port of the same host carries the SameSite=Lax cookie too). A bearer token is never
 * sent by a browser on its own, and a request without cookies has no authority to borrow, so
 * neither is checked: API clients are unaffected.
 */
export function assertSameOrigin(request: RequestHead, origins: string[]): void {
  if (safeMethods.has(request.method)) return;
  if (bearerToken(request) || !request.headers.get('cookie')) return;
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== 'null') {
    if (origins.includes(origin)) return;
  } else if (request.headers.get('sec-fetch-site') === 'same-origin') {
    return;
  }
  throw userError(403, 'cross_site', 'edge.crossSite');
}
