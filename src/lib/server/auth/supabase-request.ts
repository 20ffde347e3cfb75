import { createServerClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Cookies } from '@sveltejs/kit';
import { serverRealtimeOptions } from '../db/supabase';
import type { JwtClaims } from '../db/types';
import type { AuthSession } from './port';

export interface SupabaseRequestOptions {
  url: string;
  anonKey: string;
  cookies: Pick<Cookies, 'getAll' | 'set'>;
  /** The request's `setHeaders`: responses that set session cookies carry @supabase/ssr's cache headers. */
  setHeaders(headers: Record<string, string>): void;
  secure: boolean;
  /**
   * Whether the request loads a page (`Sec-Fetch-Mode: navigate`, or a client that does not say),
   * rather than coming from a page that runs, whose own supabase-js keeps the session.
   */
  pageLoad: boolean;
}

export interface SupabaseRequest {
  client: SupabaseClient;
  /** The request's verified session: the bearer token's, else the session cookie's (refreshed if it expired). */
  session(bearer: string | null): Promise<AuthSession | null>;
  /** Ends this browser's session only: other devices of the same account stay signed in. */
  signOut(): Promise<void>;
}

/** The claims of a verified Supabase access token, as the rest of the server reads them. */
export function sessionOf(accessToken: string, claims: Record<string, unknown>): AuthSession | null {
  if (typeof claims.sub !== 'string' || claims.role !== 'authenticated') return null;
  const verified: JwtClaims = {
    sub: claims.sub,
    role: 'authenticated',
    aud: 'authenticated',
    is_anonymous: claims.is_anonymous === true,
    ...(typeof claims.email === 'string' && claims.email ? { email: claims.email } : {}),
    ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {})
  };
  return { accessToken, claims: verified, expiresAt: verified.exp ?? 0 };
}

/**
 * One request's Supabase client, bound to the browser's session cookies as Supabase's SvelteKit guide
 * sets it up. The cookies are readable by the page's own supabase-js (which refreshes the session and
 * talks to Supabase directly), so the server renders pages for the same session. Tokens are verified
 * with getClaims: against the project's published signing keys, cached, without a call to Auth per
 * request (projects still on the legacy JWT secret make that call; Supabase recommends the keys).
 */
export function supabaseForRequest(options: SupabaseRequestOptions): SupabaseRequest {
  const passed = new Set<string>();
  let keepCookies = false;
  const client = createServerClient(options.url, options.anonKey, {
    realtime: serverRealtimeOptions,
    cookies: {
      getAll: () => options.cookies.getAll(),
      setAll: (list, headers) => {
        if (keepCookies) return;
        for (const { name, value, options: cookie } of list) options.cookies.set(name, value, { ...cookie, path: '/', secure: options.secure });
        // A response that sets a session must not be cached by a proxy or CDN; each header once a request.
        const fresh = Object.entries(headers ?? {}).filter(([name]) => !passed.has(name.toLowerCase()));
        for (const [name] of fresh) passed.add(name.toLowerCase());
        if (fresh.length) options.setHeaders(Object.fromEntries(fresh));
      }
    }
  });
  return {
    client,
    async session(bearer) {
      let token = bearer;
      if (!token) {
        // Reading the session refreshes it near its expiry. A running page's supabase-js refreshes it
        // too, and writes each new one into the cookies: a refreshed session this request wrote back
        // could land after a newer one of the page's, leaving the page a refresh token Auth has seen
        // used too often, which ends the session. So only a page load writes it back; the page's own
        // next refresh gets the same new refresh token from Auth (the parent of the active one).
        keepCookies = !options.pageLoad;
        try {
          const { data } = await client.auth.getSession();
          token = data.session?.access_token ?? null;
        } finally {
          keepCookies = false;
        }
      }
      if (!token) return null;
      const { data } = await client.auth.getClaims(token);
      return data ? sessionOf(token, data.claims) : null;
    },
    async signOut() {
      await client.auth.signOut({ scope: 'local' });
    }
  };
}
