import { browserBackend } from '$lib/server/live/transport';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, cookies }) => {
  const session = await locals.safeGetSession();
  return {
    locale: locals.locale,
    /** How this page's scripts reach the back end (the data port's adapter). */
    backend: browserBackend(locals.runtime),
    localeChosen: Boolean(cookies.get('kd_lang')),
    user: session ? { id: session.claims.sub, email: session.claims.email ?? null, isAnonymous: session.claims.is_anonymous } : null
  };
};
