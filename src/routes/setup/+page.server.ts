import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { setUpFirstOrganiser } from '$lib/server/auth/sign-in';
import { guardActions, readFields, refusalMessage } from '$lib/server/forms/action';
import { clientOf } from '$lib/server/rate-limit';
import { spendSetupCode } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.runtime.setupCode) redirect(303, '/signin');
  return {};
};

export const actions: Actions = guardActions({
  default: async (event) => {
    const { locals } = event;
    const form = await readFields(event);
    try {
      const session = await setUpFirstOrganiser(locals.auth, locals.runtime.limits, clientOf(event), locals.runtime.setupCode, form);
      await spendSetupCode();
      locals.startSession(session);
    } catch (error) {
      if (isAppError(error)) return fail(error.status, { email: String(form.email ?? ''), name: String(form.name ?? ''), error: await refusalMessage(event, error) });
      throw error;
    }
    redirect(303, '/organise');
  }
});
