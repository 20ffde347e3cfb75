import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { isAppError } from '../../errors';
import type { Actor } from '../actor';

/** The id of what an action created or changed, so the page can go to it (a new recap version). */
const idOf = (result: unknown): string | undefined =>
  result && typeof result === 'object' && typeof (result as { id?: unknown }).id === 'string' ? (result as { id: string }).id : undefined;

/**
 * A form action around a domain function: the form's fields (and the route's ids) go in as they are,
 * the function validates them with the same schema the API uses, and a refusal comes back as
 * `fail(status, {error})` for the form to show. Success answers `{ok, id}` with the result's id.
 */
export function formAction(run: (actor: Actor, input: Record<string, unknown>, event: RequestEvent) => Promise<unknown>) {
  return async (event: RequestEvent): Promise<ActionFailure<{ error: string }> | { ok: true; id?: string }> => {
    const form = await event.request.formData();
    const input: Record<string, unknown> = {};
    for (const [key, value] of form) {
      if (typeof value !== 'string') continue;
      input[key] = key in input ? [input[key], value].flat() : value;
    }
    try {
      const result = await run(await event.locals.actor(), { ...input, ...event.params }, event);
      return { ok: true, id: idOf(result) };
    } catch (error) {
      if (isAppError(error)) return fail(error.status, { error: error.message });
      throw error;
    }
  };
}
