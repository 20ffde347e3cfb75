import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { toAppError } from '../../../src/lib/server/db/errors';
import { RoleSwitchingDatabase, roleSettings, switchRoleStatement } from '../../../src/lib/server/db/sql-rpc';
import type { Caller, JwtClaims, SqlQuery } from '../../../src/lib/server/db/types';
import type { SupabaseShapeCluster } from './cluster';

/** The issuer Supabase Auth writes into a project's tokens (its external URL plus /auth/v1). */
export const tokenIssuer = 'https://kennisdag-test.supabase.co/auth/v1';

/** The claims of an access token as Supabase Auth issues it (internal/tokens: AccessTokenClaims). */
export interface GoTrueClaims extends JwtClaims {
  iss: string;
  exp: number;
  iat: number;
  email: string;
  phone: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  aal: 'aal1';
  amr: { method: string; timestamp: number }[];
  session_id: string;
}

export interface AuthUser {
  id: string;
  claims: GoTrueClaims;
}

/**
 * Supabase Auth's side of the database: it connects as supabase_auth_admin, writes auth.users and
 * auth.sessions, and signs tokens with the claims above. Signing is not needed here, since PostgREST
 * hands the database the verified claims and nothing else.
 */
export class GoTrueAccounts {
  constructor(private readonly sql: postgres.Sql) {}

  async signUp(options: { anonymous: boolean; email?: string; name?: string }): Promise<AuthUser> {
    const id = randomUUID();
    const sessionId = randomUUID();
    const email = options.anonymous ? null : (options.email ?? `${id}@example.test`);
    const appMetadata = options.anonymous ? {} : { provider: 'email', providers: ['email'] };
    const userMetadata = options.name ? { name: options.name } : {};
    await this.sql.begin(async (tx) => {
      await tx`insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                                       raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_anonymous)
               values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${email},
                       ${email ? '$2a$10$notarealbcrypthashnotarealbcrypthashnotarealbcrypth' : null},
                       ${email ? new Date() : null}, ${tx.json(appMetadata)}, ${tx.json(userMetadata)}, now(), now(),
                       ${options.anonymous})`;
      await tx`insert into auth.sessions (id, user_id, created_at, updated_at, aal) values (${sessionId}, ${id}, now(), now(), 'aal1')`;
    });
    const iat = Math.floor(Date.now() / 1000);
    return {
      id,
      claims: {
        iss: tokenIssuer,
        sub: id,
        aud: 'authenticated',
        exp: iat + 3600,
        iat,
        // Supabase Auth writes an empty string, not nothing, for a user without an e-mail address.
        email: email ?? '',
        phone: '',
        app_metadata: appMetadata,
        user_metadata: userMetadata,
        role: 'authenticated',
        aal: 'aal1',
        amr: [{ method: options.anonymous ? 'anonymous' : 'password', timestamp: iat }],
        session_id: sessionId,
        is_anonymous: options.anonymous
      }
    };
  }

  /** What the Auth admin API (and its clean-up of anonymous users) does to delete an account. */
  async deleteUser(id: string): Promise<void> {
    await this.sql`delete from auth.users where id = ${id}`;
  }

  /** Linking an e-mail address to an anonymous user (updateUser, then confirming the address). */
  async linkEmail(id: string, email: string): Promise<void> {
    await this.sql`update auth.users set email = ${email}, email_confirmed_at = now(), is_anonymous = false,
                   raw_app_meta_data = '{"provider": "email", "providers": ["email"]}' where id = ${id}`;
  }
}

/**
 * The project's database as PostgREST reaches it: one login role, authenticator, which has no rights
 * of its own and switches to anon, authenticated or service_role per transaction, with the verified
 * token's claims in request.jwt.claims.
 */
export class SupabaseShapedDatabase extends RoleSwitchingDatabase {
  readonly backend = 'postgres' as const;
  readonly accounts: GoTrueAccounts;
  /** The warnings and notices the database sent, as PostgREST would log them. */
  readonly notices: { severity: string; message: string }[] = [];
  private readonly api: postgres.Sql;
  private readonly auth: postgres.Sql;
  /** The role `supabase db push` applied the migrations as: postgres. */
  private readonly owner: postgres.Sql;

  constructor(cluster: SupabaseShapeCluster, database: string) {
    super();
    this.api = postgres(cluster.url('authenticator', database), {
      max: 4,
      onnotice: (notice) => this.notices.push({ severity: String(notice.severity), message: String(notice.message) })
    });
    this.auth = postgres(cluster.url('supabase_auth_admin', database), { max: 1, onnotice: () => {} });
    this.owner = postgres(cluster.url('postgres', database), { max: 1, onnotice: () => {} });
    this.accounts = new GoTrueAccounts(this.auth);
  }

  async withCaller<T>(caller: Caller, fn: (query: SqlQuery) => Promise<T>): Promise<T> {
    try {
      return (await this.api.begin(async (tx) => {
        await tx.unsafe(switchRoleStatement, roleSettings(caller));
        const query: SqlQuery = async (text, params) => (await tx.unsafe(text, (params ?? []) as never[])) as never;
        return fn(query);
      })) as T;
    } catch (error) {
      throw toAppError(error);
    }
  }

  /** A transaction as postgres, the role the migrations ran as. */
  async asOwner<T>(fn: (query: SqlQuery) => Promise<T>): Promise<T> {
    return (await this.owner.begin((tx) => fn(async (text, params) => (await tx.unsafe(text, (params ?? []) as never[])) as never))) as T;
  }

  async close(): Promise<void> {
    await Promise.all([this.api.end({ timeout: 1 }), this.auth.end({ timeout: 1 }), this.owner.end({ timeout: 1 })]);
  }
}
