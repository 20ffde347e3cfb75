import { SignJWT, jwtVerify } from 'jose';
import { userError } from '../../errors';
import { countOrganisers, createSession, endSession, findUserByEmail, grantOrganiser, insertUser, recordSignIn, sessionIsLive } from '../db/users';
import type { JwtClaims, SqlDatabase } from '../db/types';
import { hashPassword, verifyPassword } from './passwords';
import type { AuthPort, AuthSession } from './port';
import { isUuid } from '../../uuid';

const participantLifetime = 60 * 60 * 24 * 30;
const organiserLifetime = 60 * 60 * 24 * 7;
/** Enough for every phone of a large hall and its staff; the oldest is forgotten first. */
const rememberedTokens = 20_000;

/**
 * Accounts for the embedded back ends: scrypt password hashes in auth.users and HS256 tokens with
 * the claims Supabase Auth puts in its own (sub, role, aud, is_anonymous, session_id), so that
 * auth.uid() and the policies read them the same way. An organiser's token names a row of
 * auth.sessions, looked up on each verify (a primary key, and only for organisers: a hall of phones
 * costs nothing), so signing out ends it on every app server.
 */
export class EmbeddedAuth implements AuthPort {
  private readonly key: Promise<CryptoKey>;
  /**
   * Tokens this server issued or verified, with their claims. A phone sends the same token with every
   * request, and checking an HMAC through Web Crypto costs more than the rest of a vote's request: a
   * token seen before (the same string, so the same signature) is only checked for expiry, and an
   * organiser's for its session.
   */
  private readonly known = new Map<string, JwtClaims>();

  constructor(
    private readonly db: SqlDatabase,
    secret: string
  ) {
    this.key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  private remember(token: string, claims: JwtClaims) {
    if (this.known.size >= rememberedTokens) this.known.delete(this.known.keys().next().value!);
    this.known.set(token, claims);
  }

  private async issue(claims: Omit<JwtClaims, 'exp' | 'iat'>, lifetime: number): Promise<AuthSession> {
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + lifetime;
    const accessToken = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    const session = { accessToken, claims: { ...claims, iat: now, exp: expiresAt }, expiresAt };
    this.remember(accessToken, session.claims);
    return session;
  }

  async signInWithPassword(email: string, password: string): Promise<AuthSession | null> {
    const user = await findUserByEmail(this.db, email);
    if (!(await verifyPassword(password, user?.encrypted_password)) || !user) return null;
    await recordSignIn(this.db, user.id);
    const sessionId = await createSession(this.db, user.id, organiserLifetime);
    return this.issue(
      { sub: user.id, role: 'authenticated', aud: 'authenticated', is_anonymous: false, email: user.email ?? undefined, session_id: sessionId },
      organiserLifetime
    );
  }

  async signInAnonymously(): Promise<AuthSession> {
    const { id } = await insertUser(this.db, { anonymous: true });
    return this.issue({ sub: id, role: 'authenticated', aud: 'authenticated', is_anonymous: true }, participantLifetime);
  }

  async verify(accessToken: string): Promise<JwtClaims | null> {
    const claims = await this.signedClaims(accessToken);
    if (!claims) return null;
    if (claims.is_anonymous !== true && !(await sessionIsLive(this.db, claims.session_id!, claims.sub))) return null;
    return claims;
  }

  /** The claims of a well-formed token this server signed that has not expired; the session is not looked at. */
  private async signedClaims(accessToken: string): Promise<JwtClaims | null> {
    const known = this.known.get(accessToken);
    if (known) {
      if (known.exp === undefined || known.exp > Date.now() / 1000) return known;
      this.known.delete(accessToken);
      return null;
    }
    try {
      const { payload } = await jwtVerify(accessToken, await this.key, { algorithms: ['HS256'], audience: 'authenticated' });
      if (typeof payload.sub !== 'string' || payload.role !== 'authenticated') return null;
      if (payload.is_anonymous !== true && (typeof payload.session_id !== 'string' || !isUuid(payload.session_id))) return null;
      const claims = payload as unknown as JwtClaims;
      this.remember(accessToken, claims);
      return claims;
    } catch {
      return null;
    }
  }

  async signOut(accessToken: string): Promise<void> {
    const claims = await this.verify(accessToken);
    if (claims?.session_id) await endSession(this.db, claims.session_id);
  }

  /**
   * Creates the account and grants it the organiser role. An existing account is granted only with
   * its own password, so a start-up variable or the setup page can promote an account that exists.
   */
  async createOrganiser(email: string, password: string, name: string): Promise<void> {
    const existing = await findUserByEmail(this.db, email);
    if (existing && !(await verifyPassword(password, existing.encrypted_password))) {
      throw userError(409, 'conflict', 'refusal.accountExists');
    }
    if (!existing) await insertUser(this.db, { email, passwordHash: await hashPassword(password), anonymous: false, name });
    await grantOrganiser(this.db, email);
  }

  async hasOrganiser(): Promise<boolean> {
    return (await countOrganisers(this.db)) > 0;
  }
}
