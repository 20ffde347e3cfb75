import { json, type RequestEvent } from '@sveltejs/kit';
import { AppError, userError } from '../../errors';
import { assertNoNul, readJsonBody } from '../edge/body';

/** The JSON error every API operation answers with: `{error: {code, message}}`, the message translated when given. */
export function errorResponse(error: unknown, message?: string): Response {
  if (error instanceof AppError) {
    return json({ error: { code: error.code, message: message ?? error.message } }, { status: error.status });
  }
  console.error(error);
  return json({ error: { code: 'internal', message: message ?? 'Something went wrong on the server; nothing was changed.' } }, { status: 500 });
}

/** The body (read at the edge: size, UTF-8, depth, NUL) as an object, with path parameters added (the body cannot override them). */
export async function bodyWith(event: RequestEvent, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const body = event.request.method === 'GET' || event.request.method === 'DELETE'
    ? Object.fromEntries(event.url.searchParams)
    : await readJsonBody(event.request, {});
  return objectWith(body, params);
}

/** A JSON body as the operation's input: an object, with the path parameters over it. */
export function objectWith(body: unknown, params: Record<string, string>): Record<string, unknown> {
  assertNoNul(body);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw userError(400, 'invalid_input', 'refusal.jsonObject');
  }
  return { ...(body as Record<string, unknown>), ...params };
}
