import { fail, redirect } from '@sveltejs/kit';
import { isAppError } from '$lib/errors';
import { createEvent, importEvent, listMyEvents } from '$lib/server/events/events';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const session = await locals.safeGetSession();
  if (!session || session.claims.is_anonymous) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  return { events: await listMyEvents(await locals.actor()), email: session.claims.email ?? '' };
};

export const actions: Actions = {
  create: async ({ request, locals }) => {
    const form = Object.fromEntries(await request.formData());
    let id: string;
    try {
      id = (await createEvent(await locals.actor(), form)).id;
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { createError: e.message });
      throw e;
    }
    redirect(303, `/e/${id}`);
  },
  import: async ({ request, locals }) => {
    const file = (await request.formData()).get('archive');
    let id: string;
    try {
      if (!(file instanceof File) || file.size === 0) return fail(400, { importError: 'Choose an event archive (a .json file).' });
      let archive: unknown;
      try {
        archive = JSON.parse(await file.text());
      } catch {
        return fail(400, { importError: 'This file is not JSON.' });
      }
      id = (await importEvent(await locals.actor(), archive)).id;
    } catch (e) {
      if (isAppError(e)) return fail(e.status, { importError: e.message });
      throw e;
    }
    redirect(303, `/e/${id}`);
  }
};
