import type { Database, SqlDatabase } from './types';
import { serviceCaller } from './types';

/** The embedded back ends' accounts, in the auth.users table of the compatibility layer. */
export interface UserRow {
  id: string;
  email: string | null;
  encrypted_password: string | null;
  is_anonymous: boolean;
  name: string | null;
}

export async function findUserByEmail(db: SqlDatabase, email: string): Promise<UserRow | undefined> {
  const rows = await db.withCaller(serviceCaller, (q) =>
    q<UserRow>(
      `select id, email, encrypted_password, is_anonymous, raw_user_meta_data ->> 'name' as name
       from auth.users where lower(email) = lower($1)`,
      [email]
    )
  );
  return rows[0];
}

export async function insertUser(
  db: SqlDatabase,
  user: { email?: string; passwordHash?: string; anonymous: boolean; name?: string }
): Promise<{ id: string }> {
  const [row] = await db.withCaller(serviceCaller, (q) =>
    q<{ id: string }>(
      `insert into auth.users (email, encrypted_password, is_anonymous, raw_user_meta_data)
       values ($1, $2, $3, $4) returning id`,
      // The object itself: both drivers serialise it for the jsonb column (a string would be stored as a JSON string).
      [user.email ?? null, user.passwordHash ?? null, user.anonymous, user.name ? { name: user.name } : {}]
    )
  );
  return row;
}

export async function recordSignIn(db: SqlDatabase, userId: string): Promise<void> {
  await db.withCaller(serviceCaller, (q) => q('update auth.users set last_sign_in_at = now() where id = $1', [userId]));
}

export async function countOrganisers(db: SqlDatabase): Promise<number> {
  const [row] = await db.withCaller(serviceCaller, (q) => q<{ n: number }>('select count(*)::integer as n from public.organisers'));
  return row.n;
}

/** The server's grant of the organiser role (first organiser, KENNISDAG_ORGANISER_EMAIL), on any back end. */
export async function grantOrganiser(db: Database, email: string): Promise<void> {
  await db.rpc('server_grant_organiser', { p_email: email }, serviceCaller);
}

/** A signed-in session of the embedded back ends; its id travels in the token's `session_id` claim. */
export async function createSession(db: SqlDatabase, userId: string, lifetimeSeconds: number): Promise<string> {
  const [row] = await db.withCaller(serviceCaller, (q) =>
    q<{ id: string }>(`insert into auth.sessions (user_id, not_after) values ($1, now() + make_interval(secs => $2)) returning id`, [userId, lifetimeSeconds])
  );
  return row.id;
}

/** Whether the session is still signed in: one primary-key look-up. */
export async function sessionIsLive(db: SqlDatabase, sessionId: string, userId: string): Promise<boolean> {
  const rows = await db.withCaller(serviceCaller, (q) =>
    q('select 1 from auth.sessions where id = $1 and user_id = $2 and not_after > now()', [sessionId, userId])
  );
  return rows.length > 0;
}

/** Signing out ends the session on every app server; expired sessions go at the same time. */
export async function endSession(db: SqlDatabase, sessionId: string): Promise<void> {
  await db.withCaller(serviceCaller, (q) => q('delete from auth.sessions where id = $1 or not_after < now()', [sessionId]));
}
