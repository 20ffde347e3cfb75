import { createClient } from '@supabase/supabase-js';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { serverRealtimeOptions } from '../db/supabase';
import { SupabaseAuth } from './supabase';

const user = { id: '5f1c7a32-7d4e-4c61-9a0a-0c1c1d1e1f10', aud: 'authenticated', role: 'authenticated', is_anonymous: true, app_metadata: {}, user_metadata: {}, created_at: '2026-01-01T00:00:00Z' };
const session = { access_token: 'anon-access', refresh_token: 'r', token_type: 'bearer', expires_in: 3600, expires_at: 2_000_000_000, user };

/** The project's published signing keys. */
const jwks: { keys: JWK[] } = { keys: [] };

/** A stand-in for Supabase Auth (GoTrue) that records the requests supabase-js sends. */
function fakeAuthServer() {
  const seen: { path: string; method: string; body: unknown; authorization: string | null }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    seen.push({ path: url.pathname + url.search, method: request.method, body: text ? JSON.parse(text) : undefined, authorization: request.headers.get('authorization') });
    const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/auth/v1/signup') return reply(200, session);
    if (url.pathname === '/auth/v1/.well-known/jwks.json') return reply(200, jwks);
    if (url.pathname === '/auth/v1/token') {
      const body = JSON.parse(text);
      return body.password === 'right password'
        ? reply(200, { ...session, access_token: 'organiser-access', user: { ...user, is_anonymous: false, email: 'org@example.test' } })
        : reply(400, { code: 'invalid_credentials', message: 'Invalid login credentials' });
    }
    if (url.pathname === '/auth/v1/user') {
      return request.headers.get('authorization') === 'Bearer anon-access' ? reply(200, user) : reply(401, { code: 'bad_jwt', message: 'invalid JWT' });
    }
    if (url.pathname === '/auth/v1/admin/users') {
      const body = JSON.parse(text);
      return body.email === 'existing@example.test'
        ? reply(422, { code: 'email_exists', message: 'A user with this email address has already been registered' })
        : reply(200, { ...user, is_anonymous: false, email: body.email });
    }
    if (url.pathname === '/rest/v1/rpc/server_grant_organiser') return reply(200, { userId: user.id, email: JSON.parse(text).p_email });
    return reply(404, { message: 'not found' });
  }) as typeof globalThis.fetch;
  const client = () =>
    createClient('https://project.supabase.co', 'anon-key', { auth: { persistSession: false, autoRefreshToken: false }, realtime: serverRealtimeOptions, global: { fetch } });
  return { seen, auth: new SupabaseAuth(client, client) };
}

describe('Supabase Auth adapter', () => {
  it('joins a participant with an anonymous sign-in and reads the same claims the embedded back ends issue', async () => {
    const { seen, auth } = fakeAuthServer();
    const joined = await auth.signInAnonymously();
    expect(seen[0]).toMatchObject({ path: '/auth/v1/signup', method: 'POST' });
    expect(joined.claims).toEqual({ sub: user.id, role: 'authenticated', aud: 'authenticated', is_anonymous: true });
    expect(joined.accessToken).toBe('anon-access');
  });

  it('signs an organiser in with a password grant and refuses a wrong password', async () => {
    const { seen, auth } = fakeAuthServer();
    const organiser = await auth.signInWithPassword('org@example.test', 'right password');
    expect(seen[0]).toMatchObject({ path: '/auth/v1/token?grant_type=password', method: 'POST', body: { email: 'org@example.test', password: 'right password' } });
    expect(organiser?.claims).toMatchObject({ is_anonymous: false, email: 'org@example.test' });
    expect(await auth.signInWithPassword('org@example.test', 'wrong')).toBeNull();
  });

  it('verifies a token against the project\'s published signing keys, asking Auth for none of them', async () => {
    const { seen, auth } = fakeAuthServer();
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    jwks.keys = [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES256' }];
    const sign = (claims: Record<string, unknown>, key = privateKey) =>
      new SignJWT({ role: 'authenticated', aud: 'authenticated', is_anonymous: true, ...claims }).setProtectedHeader({ alg: 'ES256', kid: 'key-1' }).sign(key);
    const token = await sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) + 3600 });
    expect(await auth.verify(token)).toMatchObject({ sub: user.id, is_anonymous: true });
    expect(await auth.verify(token)).toMatchObject({ sub: user.id });
    expect(seen.filter((r) => r.path === '/auth/v1/.well-known/jwks.json').length).toBeLessThanOrEqual(1);
    expect(seen.filter((r) => r.path === '/auth/v1/user')).toEqual([]);
    // Expired, signed with another key, or no token at all: refused.
    expect(await auth.verify(await sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) - 10 }))).toBeNull();
    const other = await generateKeyPair('ES256');
    expect(await auth.verify(await sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) + 3600 }, other.privateKey))).toBeNull();
    expect(await auth.verify('revoked')).toBeNull();
  });

  it('creates the first organiser through the Auth admin API and grants the role with the service role', async () => {
    const { seen, auth } = fakeAuthServer();
    await auth.createOrganiser('first@example.test', 'long enough', 'First');
    expect(seen.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/auth/v1/admin/users'],
      ['POST', '/rest/v1/rpc/server_grant_organiser']
    ]);
    expect(seen[0].body).toMatchObject({ email: 'first@example.test', email_confirm: true, user_metadata: { name: 'First' } });
    expect(seen[1].body).toEqual({ p_email: 'first@example.test' });
    // At the next start the account exists already; the grant is made (again) all the same.
    await auth.createOrganiser('existing@example.test', 'long enough', 'Existing');
    expect(seen.at(-1)).toMatchObject({ path: '/rest/v1/rpc/server_grant_organiser', body: { p_email: 'existing@example.test' } });
  });
});
