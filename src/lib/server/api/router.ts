import type { RequestEvent } from '@sveltejs/kit';
import { isAppError, messageIn, userError } from '../../errors';
import { refused } from '../../refusals';
import { isUuid } from '../../uuid';
import { decodePathSegment } from '../edge/body';
import { refusalTranslator } from '../edge/locale';
import { bodyWith, errorResponse } from './http';
import { operations, type Method, type Operation } from './operations';
import { json } from '@sveltejs/kit';
import type { Translate } from '../../i18n';

interface Route {
  operation: Operation;
  pattern: RegExp;
  names: string[];
}


const routes: Route[] = operations.map((operation) => {
  const names: string[] = [];
  const source = operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_, a: string, b: string) => {
    names.push(a ?? b);
    return '([^/]+)';
  });
  return { operation, pattern: new RegExp(`^${source}/?$`), names };
});

function match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: Method[] } | null {
  const allowed: Method[] = [];
  for (const route of routes) {
    const found = route.pattern.exec(path);
    if (!found) continue;
    if (route.operation.method !== method) {
      allowed.push(route.operation.method);
      continue;
    }
    const params = Object.fromEntries(route.names.map((name, i) => [name, decodePathSegment(found[i + 1])]));
    return { route, params };
  }
  return allowed.length ? { allowed } : null;
}

/** Answers one request below /api/v1 with the operation its method and path name. */
export async function dispatch(event: RequestEvent, path: string): Promise<Response> {
  let params: Record<string, string> = {};
  let input: Record<string, unknown> | undefined;
  try {
    const found = match(event.request.method, '/' + path.replace(/^\/+/, ''));
    if (!found) throw userError(404, 'not_found', 'refusal.noOperation', { what: `${event.request.method} /api/v1/${path}` });
    if ('allowed' in found) {
      const t = await refusalTranslator(event, {}, 'en');
      return json(
        { error: { code: 'method_not_allowed', message: t('refusal.methodNotAllowed', { methods: found.allowed.join(' / ') }) } },
        { status: 405, headers: { allow: found.allowed.join(', ') } }
      );
    }
    const { route } = found;
    params = found.params;
    for (const [name, value] of Object.entries(params)) {
      if (name.endsWith('Id') && !isUuid(value)) throw refused(400, 'invalid_input', `${name} is not a valid id.`);
    }
    const actor = await event.locals.actor();
    if (route.operation.auth === 'user' && actor.caller.kind !== 'user') {
      throw userError(401, 'unauthenticated', 'refusal.signInApi');
    }
    input = route.operation.id === 'importEvent' ? params : await bodyWith(event, params);
    const result = await route.operation.handle({ event, params, input, actor });
    if (result instanceof Response) return result;
    return json(result ?? { ok: true }, { status: route.operation.status ?? 200 });
  } catch (error) {
    return failureResponse(error, (ids) => refusalTranslator(event, ids, 'en'), params, input);
  }
}

/**
 * The answer to an operation that was refused or failed. The event the path names, or the one a
 * join code in the body names, decides the language of the sentence.
 */
export async function failureResponse(
  error: unknown,
  translatorFor: (ids: { eventId?: string; code?: string }) => Promise<Translate>,
  params: Record<string, string>,
  input: Record<string, unknown> | undefined
): Promise<Response> {
  const ids = { ...params, code: typeof input?.code === 'string' ? input.code : undefined };
  if (isAppError(error) && error.messageKey) return errorResponse(error, messageIn(error, await translatorFor(ids)));
  return errorResponse(error, isAppError(error) ? undefined : (await translatorFor(params))('refusal.internal'));
}
