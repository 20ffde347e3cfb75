import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { SupabaseAuth } from '$lib/server/auth/supabase';
import { supabaseForRequest, type SupabaseRequest } from '$lib/server/auth/supabase-request';
import { bearerToken, deviceCookie, isDeviceId, sessionCookie, setSessionCookie, verifiedSession } from '$lib/server/auth/session';
import type { AuthSession } from '$lib/server/auth/port';
import { ConfigError } from '$lib/server/config';
import { anonCaller, serviceCaller } from '$lib/server/db/types';
import type { SupabaseDatabase } from '$lib/server/db/supabase';
import { announce } from '$lib/server/announce';
import { isLocale, localeCookie, pickLocale, translator } from '$lib/i18n';
import { isAppError, messageIn } from '$lib/errors';
import { errorResponse } from '$lib/server/api/http';
import { refusalTranslator } from '$lib/server/edge/locale';
import { assertDecodablePath } from '$lib/server/edge/body';
import { assertSameOrigin } from '$lib/server/edge/origin';
import { getRuntime, startRuntime, stopRuntime, type Runtime } from '$lib/server/runtime';
import { nonPagePolicy, securityHeaders } from '$lib/server/edge/headers';
import { voteRoute } from '$lib/server/api/vote-route';

export const init: ServerInit = async () => {
  // server.js calls this on SIGTERM once the HTTP server has closed: the database closes cleanly.
  (globalThis as Record<symbol, unknown>)[Symbol.for('kennisdag.shutdown')] = stopRuntime;
  try {
    const runtime = await startRuntime();
    announce(runtime);
    // server.js hands each request to this route first: it answers a phone's vote without SvelteKit.
    if (runtime.auth) (globalThis as Record<symbol, unknown>)[Symbol.for('kennisdag.voteRoute')] = voteRoute(runtime.db, runtime.auth, runtime.config.publicUrl);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Kennisdag cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
};

/**
 * What nobody expected. Refusals never get here: loads and endpoints answer them through `guardLoad`,
 * form actions through `guardActions`, the API through its router, each with the refusal's status.
 * The rest is logged, and the error page says in the reader's language that nothing was changed.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status === 404) return { message };
  console.error(error);
  return { message: translator(event.locals.locale ?? 'en')('refusal.internal') };
};

export const handle: Handle = async ({ event, resolve }) => {
  const runtime = await getRuntime();
  const { locals, cookies, request, url } = event;
  const secure = url.protocol === 'https:';
  locals.runtime = runtime;

  const chosen = url.searchParams.get('lang');
  if (isLocale(chosen)) cookies.set(localeCookie, chosen, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 * 60 * 24 * 365 });
  locals.locale = pickLocale(isLocale(chosen) ? chosen : cookies.get(localeCookie), undefined, request.headers.get('accept-language'));

  try {
    assertDecodablePath(url.pathname);
    assertSameOrigin(request, [url.origin, ...(runtime.config.publicUrl ? [new URL(runtime.config.publicUrl).origin] : [])]);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const api = url.pathname.startsWith('/api/');
    const message = messageIn(error, await refusalTranslator(event, {}, api ? 'en' : undefined));
    if (api) return secured(errorResponse(error, message), runtime);
    return secured(new Response(message, { status: error.status, headers: { 'content-type': 'text/plain; charset=utf-8' } }), runtime);
  }

  let supabase: SupabaseRequest | undefined;
  if (runtime.db.backend === 'supabase') {
    const { url: supabaseUrl, anonKey } = runtime.config.backend as { url: string; anonKey: string };
    const pageLoad = (request.headers.get('sec-fetch-mode') ?? 'navigate') === 'navigate';
    supabase = supabaseForRequest({ url: supabaseUrl, anonKey, cookies, setHeaders: event.setHeaders, secure, pageLoad });
    locals.supabase = supabase.client;
    const db = runtime.db as SupabaseDatabase;
    locals.auth = new SupabaseAuth(() => supabase!.client, () => db.clientFor(serviceCaller));
  } else {
    locals.auth = runtime.auth!;
  }

  let session: Promise<AuthSession | null> | undefined;
  locals.safeGetSession = () =>
    (session ??= supabase
      ? supabase.session(bearerToken(request))
      : verifiedSession(locals.auth, bearerToken(request) ?? cookies.get(sessionCookie)));
  locals.startSession = (next) => {
    session = Promise.resolve(next);
    if (!supabase) setSessionCookie(cookies, next, secure);
  };
  locals.endSession = async () => {
    const current = await locals.safeGetSession();
    const bearer = bearerToken(request);
    session = Promise.resolve(null);
    cookies.delete(sessionCookie, { path: '/' });
    // A browser on Supabase signs out with its own cookies (this device only); a token is ended as such.
    if (supabase && !bearer) await supabase.signOut();
    else if (current) await locals.auth.signOut(current.accessToken);
  };
  locals.actor = async () => {
    const current = await locals.safeGetSession();
    return {
      db: runtime.db,
      caller: current ? { kind: 'user', claims: current.claims, accessToken: current.accessToken } : anonCaller
    };
  };

  let device = request.headers.get('x-kennisdag-device') ?? cookies.get(deviceCookie);
  if (!isDeviceId(device)) {
    device = randomUUID();
    if (!request.headers.get('authorization')) {
      cookies.set(deviceCookie, device, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 * 60 * 24 * 365 });
    }
  }
  locals.deviceId = device;

  const response = await resolve(event, {
    filterSerializedResponseHeaders: (name) => name === 'content-range' || name === 'x-supabase-api-version',
    transformPageChunk: ({ html }) => html.replace('%lang%', locals.locale)
  });
  return secured(response, runtime);
};

function secured(response: Response, runtime: Runtime): Response {
  for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
  const csp = response.headers.get('content-security-policy');
  if (!csp) {
    response.headers.set('content-security-policy', nonPagePolicy);
  } else if (runtime.db.backend === 'supabase') {
    const project = new URL((runtime.config.backend as { url: string }).url);
    const realtime = `${project.protocol === 'https:' ? 'wss:' : 'ws:'}//${project.host}`;
    response.headers.set('content-security-policy', csp.replace("connect-src 'self'", `connect-src 'self' ${project.origin} ${realtime}`));
  }
  return response;
}
