import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { signIn } from '$lib/server/auth/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const session = await locals.safeGetSession();
  if (session && !session.claims.is_anonymous) redirect(303, '/organise');
  return {};
};

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const form = Object.fromEntries(await request.formData());
    try {
      locals.startSession(await signIn(locals.auth, form));
    } catch (error) {
      if (isAppError(error)) return fail(error.status, { email: String(form.email ?? ''), error: error.message });
      throw error;
    }
    const next = url.searchParams.get('next');
    redirect(303, next?.startsWith('/') && !next.startsWith('//') ? next : '/organise');
  }
};
