import { json, type RequestEvent } from '@sveltejs/kit';
import { AppError, userError } from '../../errors';
import type { Actor } from '../actor';
import { assertNoNul, readJsonBody } from '../edge/body';

/** The JSON error every API operation answers with: `{error: {code, message}}`, the message translated when given. */
export function errorResponse(error: unknown, message?: string): Response {
  if (error instanceof AppError) {
    return json({ error: { code: error.code, message: message ?? error.message } }, { status: error.status });
  }
  console.error(error);
  return json({ error: { code: 'internal', message: message ?? 'Something went wrong on the server; nothing was changed.' } }, { status: 500 });
}

/** Wraps an API handler: its result becomes JSON (or passes through as a Response), errors become JSON errors. */
export function api<E extends RequestEvent>(handler: (event: E) => Promise<unknown>) {
  return async (event: E): Promise<Response> => {
    try {
      const result = await handler(event);
      if (result instanceof Response) return result;
      return json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The body (read at the edge: size, UTF-8, depth, NUL) as an object, with path parameters added (the body cannot override them). */
export async function bodyWith(event: RequestEvent, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const body = event.request.method === 'GET' || event.request.method === 'DELETE'
    ? Object.fromEntries(event.url.searchParams)
    : await readJsonBody(event.request, {});
  assertNoNul(body);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw userError(400, 'invalid_input', 'refusal.jsonObject');
  }
  return { ...(body as Record<string, unknown>), ...params };
}

/** The signed-in caller, or a 401. */
export async function signedIn(event: RequestEvent): Promise<Actor> {
  const actor = await event.locals.actor();
  if (actor.caller.kind !== 'user') throw userError(401, 'unauthenticated', 'refusal.signInApi');
  return actor;
}
