import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, cookies }) => {
  const session = await locals.safeGetSession();
  return {
    locale: locals.locale,
    localeChosen: Boolean(cookies.get('kd_lang')),
    user: session ? { id: session.claims.sub, email: session.claims.email ?? null, isAnonymous: session.claims.is_anonymous } : null
  };
};
