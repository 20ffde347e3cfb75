import { SignJWT, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The keys of a stand-in Supabase project, as a project that moved to asymmetric signing keys has
 * them: user tokens signed with an ES256 key that /auth/v1/.well-known/jwks.json publishes (so
 * supabase-js's getClaims verifies them without asking Auth), and the legacy anon and service role
 * API keys, HS256 JWTs signed with the project's JWT secret, which PostgREST and Realtime still accept.
 */
export class ProjectKeys {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly jwks: { keys: JWK[] },
    private readonly kid: string,
    private readonly legacySecret: Uint8Array,
    readonly anonKey: string,
    readonly serviceRoleKey: string
  ) {}

  static async create(issuer: string): Promise<ProjectKeys> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] };
    const legacySecret = new Uint8Array(randomBytes(48));
    const apiKey = (role: string) =>
      new SignJWT({ iss: 'supabase', ref: new URL(issuer).hostname.split('.')[0], role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime('10y')
        .sign(legacySecret);
    return new ProjectKeys(privateKey, { keys: [jwk] }, kid, legacySecret, await apiKey('anon'), await apiKey('service_role'));
  }

  sign(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' }).sign(this.privateKey);
  }

  /** The verified claims of a user token or an API key; expired tokens are refused unless allowed. */
  async verify(token: string, options: { allowExpired?: boolean } = {}): Promise<Record<string, any> | null> {
    try {
      const { alg } = decodeProtectedHeader(token);
      const key = alg === 'HS256' ? this.legacySecret : alg === 'ES256' ? await importJWK(this.jwks.keys[0], 'ES256') : null;
      if (!key) return null;
      // An expired token's signature is still checked: the moment of checking is set before its expiry.
      const { payload } = await jwtVerify(token, key, { algorithms: [alg!], ...(options.allowExpired ? { currentDate: new Date(0) } : {}) });
      return payload as Record<string, any>;
    } catch {
      return null;
    }
  }
}

/** Seconds a token has left (negative once expired). */
export const secondsLeft = (claims: { exp?: number }) => (claims.exp ?? 0) - Date.now() / 1000;
