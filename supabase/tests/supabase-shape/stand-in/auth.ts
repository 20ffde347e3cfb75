import { randomBytes, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { ProjectKeys } from './tokens';

/** What one HTTP handler of the stand-in answers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface RefreshToken {
  sessionId: string;
  userId: string;
  /** The token this one was swapped for (GoTrue's `parent`). */
  parent?: string;
  /** Issue order (GoTrue's serial id): a session's active token is its last one not revoked. */
  serial: number;
  /** When it was revoked (GoTrue's `updated_at` as it sets `revoked`): reuse is measured from then. */
  revokedAt?: number;
}

const error = (status: number, code: string, message: string): Reply => ({ status, body: { code, message } });

/**
 * Supabase Auth (GoTrue) as far as Kennisdag and supabase-js use it: anonymous sign-ups, password and
 * refresh-token grants, the user, sign-out with its scopes, the key set, and the admin API for
 * creating and deleting accounts. Users and sessions live in auth.users and auth.sessions, written as
 * supabase_auth_admin, the role Auth connects as; passwords and refresh tokens stay in memory.
 */
export class AuthStandIn {
  /** Access token lifetime in seconds (hosted Supabase: 3600). */
  accessTokenSeconds = 3600;
  /** How long a revoked refresh token may be presented again (GoTrue's security.refresh_token_reuse_interval: 10). */
  refreshTokenReuseSeconds = 10;
  private readonly passwords = new Map<string, string>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private issued = 0;
  private readonly revokedSessions = new Set<string>();

  constructor(
    private readonly sql: postgres.Sql,
    private readonly keys: ProjectKeys,
    private readonly issuer: string
  ) {}

  async handle(method: string, path: string, query: URLSearchParams, body: any, claims: Record<string, any> | null): Promise<Reply> {
    if (method === 'GET' && path === '/.well-known/jwks.json') return { status: 200, body: this.keys.jwks };
    if (method === 'POST' && path === '/signup') {
      if (body?.email || body?.phone) return error(422, 'signup_disabled', 'E-mail sign-ups are not part of this stand-in.');
      return { status: 200, body: await this.newSession(await this.createUser({ anonymous: true, metadata: body?.data ?? {} }), 'anonymous') };
    }
    if (method === 'POST' && path === '/token') return this.token(query.get('grant_type'), body);
    if (method === 'GET' && path === '/user') {
      const user = claims?.session_id && !this.revokedSessions.has(claims.session_id) ? await this.user(claims.sub) : null;
      return user ? { status: 200, body: user } : error(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    }
    if (method === 'POST' && path === '/logout') {
      if (!claims?.session_id) return error(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
      await this.signOut(claims, query.get('scope') ?? 'global');
      return { status: 204 };
    }
    if (path.startsWith('/admin/')) {
      if (claims?.role !== 'service_role') return error(403, 'not_admin', 'User not allowed');
      if (method === 'POST' && path === '/admin/users') {
        const [existing] = await this.sql`select id from auth.users where lower(email) = lower(${body.email})`;
        if (existing) return error(422, 'email_exists', 'A user with this email address has already been registered');
        const id = await this.createUser({ anonymous: false, email: body.email, metadata: body.user_metadata ?? {} });
        if (body.password) this.passwords.set(id, body.password);
        return { status: 200, body: await this.user(id) };
      }
      const match = /^\/admin\/users\/([0-9a-f-]{36})$/.exec(path);
      if (method === 'DELETE' && match) {
        await this.sql`delete from auth.users where id = ${match[1]}`;
        return { status: 200, body: {} };
      }
    }
    return error(404, 'not_found', `No such Auth endpoint: ${method} ${path}`);
  }

  private async token(grant: string | null, body: any): Promise<Reply> {
    if (grant === 'password') {
      const [row] = await this.sql`select id from auth.users where lower(email) = lower(${String(body?.email ?? '')})`;
      if (!row || this.passwords.get(row.id) !== body?.password) return error(400, 'invalid_credentials', 'Invalid login credentials');
      return { status: 200, body: await this.newSession(row.id, 'password') };
    }
    if (grant === 'refresh_token') {
      // GoTrue's refresh token grant (internal/tokens/service.go, RefreshTokenGrant, for its v1 tokens).
      const presented = String(body?.refresh_token ?? '');
      const token = this.refreshTokens.get(presented);
      if (!token || this.revokedSessions.has(token.sessionId)) return error(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      let issued: string;
      const active = token.revokedAt === undefined ? undefined : this.activeRefreshToken(token.sessionId);
      if (active && active[1].parent === presented) {
        // The client could not store the answer to its last refresh: it gets the active token again, at any time.
        issued = active[0];
      } else if (token.revokedAt !== undefined && Date.now() - token.revokedAt > this.refreshTokenReuseSeconds * 1000) {
        // Reuse outside the interval: the whole token family is revoked (refresh_token_rotation_enabled).
        for (const other of this.refreshTokens.values()) if (other.sessionId === token.sessionId) other.revokedAt ??= Date.now();
        return error(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      } else {
        // A live token, or a revoked one within the reuse interval: swapped for a new one.
        issued = this.issueRefreshToken(token.sessionId, token.userId, presented);
        token.revokedAt = Date.now();
      }
      return { status: 200, body: await this.sessionBody(token.userId, token.sessionId, issued, 'token_refresh') };
    }
    return error(400, 'validation_failed', 'Unsupported grant type');
  }

  private async createUser(options: { anonymous: boolean; email?: string; metadata: Record<string, unknown> }): Promise<string> {
    const id = randomUUID();
    const appMetadata = options.anonymous ? {} : { provider: 'email', providers: ['email'] };
    await this.sql`insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data,
                                           created_at, updated_at, is_anonymous)
                   values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${options.email ?? null},
                           ${options.email ? new Date() : null}, ${this.sql.json(appMetadata)}, ${this.sql.json(options.metadata as never)},
                           now(), now(), ${options.anonymous})`;
    return id;
  }

  private async newSession(userId: string, method: string) {
    const sessionId = randomUUID();
    await this.sql`insert into auth.sessions (id, user_id, created_at, updated_at, aal) values (${sessionId}, ${userId}, now(), now(), 'aal1')`;
    return this.sessionBody(userId, sessionId, this.issueRefreshToken(sessionId, userId), method);
  }

  private issueRefreshToken(sessionId: string, userId: string, parent?: string): string {
    const value = randomBytes(12).toString('base64url');
    this.refreshTokens.set(value, { sessionId, userId, parent, serial: ++this.issued });
    return value;
  }

  /** The session's last issued refresh token that is not revoked (GoTrue's FindCurrentlyActiveRefreshToken). */
  private activeRefreshToken(sessionId: string): [string, RefreshToken] | undefined {
    let active: [string, RefreshToken] | undefined;
    for (const entry of this.refreshTokens) {
      const [, token] = entry;
      if (token.sessionId === sessionId && token.revokedAt === undefined && (!active || token.serial > active[1].serial)) active = entry;
    }
    return active;
  }

  private async sessionBody(userId: string, sessionId: string, refreshToken: string, method: string) {
    const user = await this.user(userId);
    if (!user) throw new Error(`No user ${userId}`);
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.accessTokenSeconds;
    const accessToken = await this.keys.sign({
      iss: this.issuer, sub: userId, aud: 'authenticated', exp, iat, email: user.email ?? '', phone: '',
      app_metadata: user.app_metadata, user_metadata: user.user_metadata, role: 'authenticated', aal: 'aal1',
      amr: [{ method, timestamp: iat }], session_id: sessionId, is_anonymous: user.is_anonymous
    });
    return { access_token: accessToken, token_type: 'bearer', expires_in: this.accessTokenSeconds, expires_at: exp, refresh_token: refreshToken, user };
  }

  private async user(id: string) {
    const [row] = await this.sql`select id, email, raw_app_meta_data, raw_user_meta_data, is_anonymous, created_at, updated_at
                                 from auth.users where id = ${id}`;
    if (!row) return null;
    return {
      id: row.id, aud: 'authenticated', role: 'authenticated', email: row.email ?? '', phone: '',
      app_metadata: row.raw_app_meta_data ?? {}, user_metadata: row.raw_user_meta_data ?? {}, identities: [],
      created_at: row.created_at, updated_at: row.updated_at, is_anonymous: row.is_anonymous
    };
  }

  /** local: this session; others: the user's other sessions; global: all of them. */
  private async signOut(claims: Record<string, any>, scope: string) {
    const sessions = (await this.sql`select id from auth.sessions where user_id = ${claims.sub}`).map((r) => r.id as string);
    const ending = scope === 'local' ? [claims.session_id] : scope === 'others' ? sessions.filter((s) => s !== claims.session_id) : sessions;
    for (const id of ending) this.revokedSessions.add(id);
    if (ending.length) await this.sql`delete from auth.sessions where id in ${this.sql(ending)}`;
  }

  /** Whether a session still exists (Realtime and PostgREST do not ask; Auth does). */
  sessionAlive(sessionId: string): boolean {
    return !this.revokedSessions.has(sessionId);
  }
}
