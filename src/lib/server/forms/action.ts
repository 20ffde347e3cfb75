import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { isAppError } from '../../errors';
import type { Actor } from '../actor';

/**
 * A form action around a domain function: the form's fields (and the route's ids) go in as they are,
 * the function validates them with the same schema the API uses, and a refusal comes back as
 * `fail(status, {error})` for the form to show.
 */
export function formAction(run: (actor: Actor, input: Record<string, unknown>, event: RequestEvent) => Promise<unknown>) {
  return async (event: RequestEvent): Promise<ActionFailure<{ error: string }> | { ok: true }> => {
    const form = await event.request.formData();
    const input: Record<string, unknown> = {};
    for (const [key, value] of form) {
      if (typeof value !== 'string') continue;
      input[key] = key in input ? [input[key], value].flat() : value;
    }
    try {
      await run(await event.locals.actor(), { ...input, ...event.params }, event);
      return { ok: true };
    } catch (error) {
      if (isAppError(error)) return fail(error.status, { error: error.message });
      throw error;
    }
  };
}
