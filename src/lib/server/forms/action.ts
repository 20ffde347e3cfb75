import { error as httpError, fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { isAppError, messageIn, type AppError } from '../../errors';
import type { Actor } from '../actor';
import { readFormBody } from '../edge/body';
import { refusalTranslator } from '../edge/locale';

const forms = new WeakMap<Request, FormData>();

/**
 * The action's form, parsed once and guarded: a form encoding, UTF-8 throughout, no NUL character,
 * within the size limit. Anything else is an AppError that `guardActions` answers with a 4xx.
 */
export async function readForm(event: RequestEvent): Promise<FormData> {
  let form = forms.get(event.request);
  if (!form) forms.set(event.request, (form = await readFormBody(event.request)));
  return form;
}

/** The form's text fields as an object; a repeated field becomes a list. */
export async function readFields(event: RequestEvent): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of await readForm(event)) {
    if (typeof value !== 'string') continue;
    input[key] = key in input ? [input[key], value].flat() : value;
  }
  return input;
}

/** A refusal's sentence, in the event's language where the sentence is in the dictionaries. */
export async function refusalMessage(event: RequestEvent, error: AppError): Promise<string> {
  if (!error.messageKey) return error.message;
  return messageIn(error, await refusalTranslator(event, { eventId: event.params.eventId, code: event.params.code }));
}

/** A refusal as the form shows it. */
export async function refusal(event: RequestEvent, error: AppError): Promise<ActionFailure<{ error: string }>> {
  return fail(error.status, { error: await refusalMessage(event, error) });
}

/**
 * A page's load or an endpoint: an AppError it lets through becomes the HTTP error it stands for, its
 * sentence in the event's language, instead of a 500. (SvelteKit's `handleError` sees only what is
 * unexpected and answers it with a 500, so refusals are turned into errors here.)
 */
export function guardLoad<E extends RequestEvent, R>(load: (event: E) => Promise<R>): (event: E) => Promise<R> {
  return async (event) => {
    try {
      return await load(event);
    } catch (error) {
      if (isAppError(error)) httpError(error.status, await refusalMessage(event, error));
      throw error;
    }
  };
}

type AnyAction = (event: never) => unknown;

/**
 * Every action of a page goes through here: the form is read (guarded) before the action runs, and
 * an AppError the action lets through becomes `fail(status, {error})` instead of a 500.
 */
export function guardActions<A extends Record<string, AnyAction>>(actions: A): A {
  const guarded: Record<string, (event: RequestEvent) => Promise<unknown>> = {};
  for (const [name, action] of Object.entries(actions)) {
    guarded[name] = async (event) => {
      try {
        await readForm(event);
        return await (action as (event: RequestEvent) => unknown)(event);
      } catch (error) {
        if (isAppError(error)) return refusal(event, error);
        throw error;
      }
    };
  }
  return guarded as unknown as A;
}

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
    try {
      const result = await run(await event.locals.actor(), { ...(await readFields(event)), ...event.params }, event);
      return { ok: true, id: idOf(result) };
    } catch (error) {
      if (isAppError(error)) return refusal(event, error);
      throw error;
    }
  };
}
