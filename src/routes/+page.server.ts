import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { lookupEvent } from '$lib/server/events/events';
import { limits } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  if (locals.runtime.setupCode) redirect(303, '/setup');
  return {};
};

export const actions: Actions = {
  /** Typing the code goes to the same join page the QR code opens. */
  join: async ({ request, locals, getClientAddress }) => {
    const form = Object.fromEntries(await request.formData());
    try {
      limits.joinPerDevice.hit(locals.deviceId);
      limits.joinPerAddress.hit(getClientAddress());
      const event = await lookupEvent(locals.runtime.db, form);
      redirect(303, `/join/${encodeURIComponent(String(form.code).trim().toUpperCase())}?event=${event.id}`);
    } catch (error) {
      if (isAppError(error)) return fail(error.status, { code: String(form.code ?? ''), error: error.message });
      throw error;
    }
  }
};
