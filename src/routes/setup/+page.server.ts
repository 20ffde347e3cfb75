import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { setUpFirstOrganiser } from '$lib/server/auth/sign-in';
import { spendSetupCode } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.runtime.setupCode) redirect(303, '/signin');
  return {};
};

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const form = Object.fromEntries(await request.formData());
    try {
      const session = await setUpFirstOrganiser(locals.auth, locals.runtime.setupCode, form);
      await spendSetupCode();
      locals.startSession(session);
    } catch (error) {
      if (isAppError(error)) return fail(error.status, { email: String(form.email ?? ''), name: String(form.name ?? ''), error: error.message });
      throw error;
    }
    redirect(303, '/organise');
  }
};
