import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PgliteDatabase } from '../db/pglite';
import { insertUser } from '../db/users';
import { hashPassword } from './passwords';
import { EmbeddedAuth } from './embedded';

describe('embedded auth', () => {
  let db: PgliteDatabase;
  let auth: EmbeddedAuth;
  const secret = 'a-test-secret-that-is-long-enough-for-hs256';

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    auth = new EmbeddedAuth(db, secret);
  });
  afterAll(() => db.close());

  it('has no organiser on a fresh database, then signs the created one in with Supabase-shaped claims', async () => {
    expect(await auth.hasOrganiser()).toBe(false);
    await auth.createOrganiser('Chair@Example.test', 'correct horse', 'Chair');
    expect(await auth.hasOrganiser()).toBe(true);

    const session = await auth.signInWithPassword('chair@example.test', 'correct horse');
    expect(session?.claims).toMatchObject({ role: 'authenticated', aud: 'authenticated', is_anonymous: false, email: 'Chair@Example.test' });
    expect(await auth.verify(session!.accessToken)).toMatchObject({ sub: session!.claims.sub });
  });

  it('refuses a wrong password, an unknown account and a second account with the same address', async () => {
    expect(await auth.signInWithPassword('chair@example.test', 'wrong horse')).toBeNull();
    expect(await auth.signInWithPassword('nobody@example.test', 'correct horse')).toBeNull();
    await expect(auth.createOrganiser('chair@example.test', 'another one', 'Other')).rejects.toMatchObject({ status: 409 });
  });

  it('grants the organiser role with the account, and to an existing account only with its own password', async () => {
    const organiser = (await auth.signInWithPassword('chair@example.test', 'correct horse'))!;
    const caller = { kind: 'user' as const, accessToken: organiser.accessToken, claims: organiser.claims };
    expect(await db.rpc('create_event', { p_title: 'Granted', p_language: 'en' }, caller)).toMatchObject({ title: 'Granted' });

    // An account made before the grant existed (an older database) becomes an organiser on setup.
    await insertUser(db, { email: 'earlier@example.test', passwordHash: await hashPassword('earlier pass'), anonymous: false, name: 'Earl' });
    const earlier = (await auth.signInWithPassword('earlier@example.test', 'earlier pass'))!;
    const earlierCaller = { kind: 'user' as const, accessToken: earlier.accessToken, claims: earlier.claims };
    await expect(db.rpc('create_event', { p_title: 'Not yet', p_language: 'en' }, earlierCaller)).rejects.toMatchObject({ status: 403 });
    await expect(auth.createOrganiser('earlier@example.test', 'a guess at it', 'Earl')).rejects.toMatchObject({ status: 409 });
    await auth.createOrganiser('earlier@example.test', 'earlier pass', 'Earl');
    expect(await db.rpc('create_event', { p_title: 'Now', p_language: 'en' }, earlierCaller)).toMatchObject({ title: 'Now' });
  });

  it('gives each anonymous sign-in its own user', async () => {
    const a = await auth.signInAnonymously();
    const b = await auth.signInAnonymously();
    expect(a.claims.is_anonymous).toBe(true);
    expect(a.claims.sub).not.toBe(b.claims.sub);
  });

  it('rejects forged, expired and foreign tokens', async () => {
    const session = await auth.signInAnonymously();
    const [header, payload, signature] = session.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, is_anonymous: false })).toString('base64url')}.${signature}`;
    expect(await auth.verify(forged)).toBeNull();

    const key = new TextEncoder().encode(secret);
    const expired = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(key);
    expect(await auth.verify(expired)).toBeNull();

    const otherKey = new TextEncoder().encode('another-secret-that-is-long-enough-too!!');
    const foreign = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(otherKey);
    expect(await auth.verify(foreign)).toBeNull();
    expect(await auth.verify('not a token')).toBeNull();
  });

  it('recognises a token it has seen only until the token expires', async () => {
    const session = await auth.signInAnonymously();
    expect(await auth.verify(session.accessToken)).toMatchObject({ sub: session.claims.sub });
    vi.useFakeTimers({ now: (session.expiresAt + 1) * 1000, toFake: ['Date'] });
    try {
      expect(await auth.verify(session.accessToken)).toBeNull();
      // Not even the signature check lets it back in.
      expect(await auth.verify(session.accessToken)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends an organiser session on sign-out, and refuses an organiser token that names no session', async () => {
    const session = (await auth.signInWithPassword('chair@example.test', 'correct horse'))!;
    const other = (await auth.signInWithPassword('chair@example.test', 'correct horse'))!;
    expect(session.claims.session_id).toMatch(/^[0-9a-f-]{36}$/);
    await auth.signOut(session.accessToken);
    expect(await auth.verify(session.accessToken)).toBeNull();
    // Another device of the same organiser stays signed in.
    expect(await auth.verify(other.accessToken)).toMatchObject({ sub: other.claims.sub });

    const { session_id: _, ...claims } = other.claims;
    const key = new TextEncoder().encode(secret);
    const sessionless = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key);
    expect(await auth.verify(sessionless)).toBeNull();
  });
});
