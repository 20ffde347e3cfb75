import { redirect } from '@sveltejs/kit';
import { guardActions } from '$lib/server/forms/action';
import type { Actions } from './$types';

export const actions: Actions = guardActions({
  default: async ({ locals }) => {
    await locals.endSession();
    redirect(303, '/');
  }
});
