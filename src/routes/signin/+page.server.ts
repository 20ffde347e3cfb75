import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { signIn } from '$lib/server/auth/sign-in';
import { guardActions, readFields, refusalMessage } from '$lib/server/forms/action';
import { safeNext } from '$lib/server/edge/origin';
import { clientOf } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const session = await locals.safeGetSession();
  if (session && !session.claims.is_anonymous) redirect(303, '/organise');
  return {};
};

export const actions: Actions = guardActions({
  default: async (event) => {
    const { locals, url } = event;
    const form = await readFields(event);
    try {
      locals.startSession(await signIn(locals.auth, locals.runtime.limits, clientOf(event), form));
    } catch (error) {
      if (isAppError(error)) return fail(error.status, { email: String(form.email ?? ''), error: await refusalMessage(event, error) });
      throw error;
    }
    redirect(303, safeNext(url.searchParams.get('next'), url.origin) ?? '/organise');
  }
});
