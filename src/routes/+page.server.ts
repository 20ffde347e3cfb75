import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { guardActions, readFields, refusalMessage } from '$lib/server/forms/action';
import { joinPath, lookupEvent } from '$lib/server/events/events';
import { clientOf } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  if (locals.runtime.setupCode) redirect(303, '/setup');
  return {};
};

export const actions: Actions = guardActions({
  /** Typing the code goes to the same join page the QR code opens. */
  join: async (event) => {
    const { locals } = event;
    const form = await readFields(event);
    try {
      await locals.runtime.limits.lookup(clientOf(event));
      const found = await lookupEvent(locals.runtime.db, form);
      redirect(303, `${joinPath(encodeURIComponent(String(form.code).trim().toUpperCase()))}?event=${found.id}`);
    } catch (error) {
      if (isAppError(error)) return fail(error.status, { code: String(form.code ?? ''), error: await refusalMessage(event, error) });
      throw error;
    }
  }
});
