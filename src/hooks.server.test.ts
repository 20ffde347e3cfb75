import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSupabaseStandIn, type SupabaseStandIn } from '../supabase/tests/supabase-shape/stand-in';
import { postgresBinDir } from '../supabase/tests/supabase-shape/cluster';
import { readConfig } from './lib/server/config';
import { startRuntime } from './lib/server/runtime';
import { handle, handleError } from './hooks.server';

/**
 * The server's side of a Supabase session, through the app's own request hook against a stand-in
 * Supabase project: @supabase/ssr's cookies, what the server verifies per request, and signing out.
 */

const organiser = { email: 'hooks-organiser@example.test', password: 'organiser-password' };

/** One browser: its cookie jar, as SvelteKit's cookies see it. */
class Browser {
  readonly jar = new Map<string, string>();
  readonly set: { name: string; options: Parameters<Cookies['set']>[2] }[] = [];
  cookies(): Cookies {
    return {
      get: (name) => this.jar.get(name),
      getAll: () => [...this.jar].map(([name, value]) => ({ name, value })),
      set: (name, value, options) => {
        this.set.push({ name, options });
        if (value === '' || options.maxAge === 0) this.jar.delete(name);
        else this.jar.set(name, value);
      },
      delete: (name) => void this.jar.delete(name),
      serialize: () => ''
    } as Cookies;
  }
}

describe('the error hook', () => {
  const event = (locale: 'nl' | 'en') => ({ locals: { locale } }) as unknown as RequestEvent;

  it('logs what went wrong unexpectedly and says so in the reader’s language', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const failure = new Error('connection reset');
      expect(await handleError({ error: failure, event: event('nl'), status: 500, message: 'Internal Error' })).toEqual({
        message: 'Er ging iets mis op de server; er is niets gewijzigd.'
      });
      expect(await handleError({ error: failure, event: event('en'), status: 500, message: 'Internal Error' })).toEqual({
        message: 'Something went wrong on the server; nothing was changed.'
      });
      expect(logged).toHaveBeenCalledWith(failure);
    } finally {
      logged.mockRestore();
    }
  });

  it('leaves an address that does not exist as not found', async () => {
    expect(await handleError({ error: new Error('Not found: /nowhere'), event: event('nl'), status: 404, message: 'Not Found' })).toEqual({ message: 'Not Found' });
  });
});

describe.runIf(postgresBinDir())('the request hook on Supabase', () => {
  let stand: SupabaseStandIn;

  beforeAll(async () => {
    stand = await startSupabaseStandIn();
    // The runtime creates the first organiser through Auth's admin API, as at a real start.
    await startRuntime(
      readConfig({
        PUBLIC_SUPABASE_URL: stand.url, PUBLIC_SUPABASE_ANON_KEY: stand.anonKey, SUPABASE_SERVICE_ROLE_KEY: stand.serviceRoleKey,
        KENNISDAG_ORGANISER_EMAIL: organiser.email, KENNISDAG_ORGANISER_PASSWORD: organiser.password
      })
    );
  }, 120_000);
  afterAll(() => stand?.stop());

  /** One request of `browser` through the hook; `inside` runs where a page or action would. */
  async function request(browser: Browser, inside: (locals: App.Locals) => Promise<unknown>, requestHeaders: Record<string, string> = {}) {
    const headers: Record<string, string>[] = [];
    let result: unknown;
    const url = new URL('http://127.0.0.1:3000/organise');
    const event = {
      locals: {}, cookies: browser.cookies(), request: new Request(url, { headers: requestHeaders }), url, params: {}, route: { id: '/organise' },
      setHeaders: (h: Record<string, string>) => headers.push(h), getClientAddress: () => '127.0.0.1', isDataRequest: false, isSubRequest: false
    } as unknown as RequestEvent;
    await handle({
      event,
      resolve: async (e) => {
        result = await inside(e.locals);
        return new Response('ok');
      }
    });
    return { headers, result };
  }

  const signIn = (browser: Browser) =>
    request(browser, async (locals) => {
      const session = await locals.auth.signInWithPassword(organiser.email, organiser.password);
      locals.startSession(session!);
      return session;
    });

  it('keeps the session in cookies the page\'s own supabase-js reads, with the no-cache headers @supabase/ssr asks for', async () => {
    const browser = new Browser();
    const { headers } = await signIn(browser);
    const session = [...browser.set].find((c) => c.name.endsWith('-auth-token'));
    expect(session).toBeDefined();
    expect(session!.options).toMatchObject({ path: '/', sameSite: 'lax' });
    expect(session!.options.httpOnly).toBeFalsy();
    const sent = Object.fromEntries(headers.flatMap((h) => Object.entries(h)).map(([name, value]) => [name.toLowerCase(), value]));
    expect(sent).toMatchObject({
      'cache-control': expect.stringContaining('no-store'),
      expires: '0',
      pragma: 'no-cache'
    });
  });

  it('verifies the session with the project\'s signing keys: no call to Auth per request', async () => {
    const browser = new Browser();
    await signIn(browser);
    const before = stand.requests.length;
    for (let i = 0; i < 3; i++) {
      const { result } = await request(browser, (locals) => locals.safeGetSession());
      expect(result).toMatchObject({ claims: { email: organiser.email, is_anonymous: false } });
    }
    const asked = stand.requests.slice(before).map((r) => r.path);
    expect(asked.filter((path) => path === '/auth/v1/user')).toEqual([]);
    expect(asked.filter((path) => path === '/auth/v1/.well-known/jwks.json').length).toBeLessThanOrEqual(1);
  });

  it('gives API clients a refresh token with their one-hour token, and renews it', async () => {
    const { result } = await request(new Browser(), async (locals) => {
      const joined = await locals.auth.signInAnonymously();
      return { joined, renewed: await locals.auth.refresh!(joined.refreshToken!) };
    });
    const { joined, renewed } = result as { joined: { refreshToken?: string; expiresAt: number }; renewed: { accessToken: string; refreshToken?: string } | null };
    expect(joined.refreshToken).toEqual(expect.any(String));
    expect(joined.expiresAt).toBeLessThanOrEqual(Date.now() / 1000 + 3600);
    expect(renewed?.accessToken).toEqual(expect.any(String));
    expect(renewed?.refreshToken).not.toBe(joined.refreshToken);
  });

  it('signs out this device only, and is done before the answer goes out', async () => {
    const laptop = new Browser();
    const phone = new Browser();
    const onLaptop = (await signIn(laptop)).result as { accessToken: string };
    const onPhone = (await signIn(phone)).result as { accessToken: string };
    const sessionOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).session_id as string;

    const { result } = await request(laptop, async (locals) => {
      await locals.endSession();
      // What Auth saw by the time the sign-out returned.
      return stand.requests.filter((r) => r.path.startsWith('/auth/v1/logout')).map((r) => r.path);
    });
    expect(result).toEqual(['/auth/v1/logout?scope=local']);
    expect(stand.auth.sessionAlive(sessionOf(onLaptop.accessToken))).toBe(false);
    expect(stand.auth.sessionAlive(sessionOf(onPhone.accessToken))).toBe(true);
    expect([...laptop.jar.keys()].filter((name) => name.includes('-auth-token'))).toEqual([]);
    expect((await request(phone, (locals) => locals.safeGetSession())).result).toMatchObject({ claims: { email: organiser.email } });
    expect((await request(laptop, (locals) => locals.safeGetSession())).result).toBeNull();
  });

  it('leaves the session to the page\'s own supabase-js on the page\'s requests: only a page load writes a refreshed session back', async () => {
    // Tokens this short are refreshed at every read (supabase-js renews within 90 seconds of expiry).
    stand.auth.accessTokenSeconds = 30;
    try {
      const browser = new Browser();
      await signIn(browser);
      const before = new Map(browser.jar);
      browser.set.length = 0;
      // A data load, a form post or the service worker's copy of the page, while the page refreshes
      // the session itself: a refreshed session written back could land after the page's newer one.
      const { result } = await request(browser, (locals) => locals.safeGetSession(), { 'sec-fetch-mode': 'cors' });
      expect(result).toMatchObject({ claims: { email: organiser.email } });
      expect(browser.set).toEqual([]);
      expect(browser.jar).toEqual(before);
      // A page load (no page of the session runs in that tab yet) writes it.
      const load = await request(browser, (locals) => locals.safeGetSession(), { 'sec-fetch-mode': 'navigate' });
      expect(load.result).toMatchObject({ claims: { email: organiser.email } });
      expect(browser.set.some((c) => c.name.endsWith('-auth-token') || /-auth-token\.\d+$/.test(c.name))).toBe(true);
    } finally {
      stand.auth.accessTokenSeconds = 3600;
    }
  });
});
