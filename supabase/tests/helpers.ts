import { afterAll, beforeAll, expect } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { randomUUID } from 'node:crypto';
import { scratchDatabase } from '../../scripts/harness.mjs';
import { PgliteDatabase } from '../../src/lib/server/db/pglite';
import { PostgresDatabase } from '../../src/lib/server/db/postgres';
import type { Caller, SqlDatabase, SqlQuery } from '../../src/lib/server/db/types';
import { serviceCaller } from '../../src/lib/server/db/types';
import { postgresBinDir, startSupabaseProject } from './supabase-shape/cluster';
import { SupabaseShapedDatabase } from './supabase-shape/database';

/**
 * The back ends every database test runs on: PGlite always, and the PostgreSQL server named by
 * TEST_DATABASE_URL (an admin connection; each suite gets a fresh database of its own).
 */
export interface TestBackend {
  name: string;
  open(): Promise<{ db: SqlDatabase; drop(): Promise<void> }>;
}

export const testDatabaseUrl = process.env.TEST_DATABASE_URL;

export const backends: TestBackend[] = [
  {
    name: 'pglite',
    async open() {
      const db = await PgliteDatabase.open();
      return { db, drop: () => db.close() };
    }
  },
  ...(testDatabaseUrl
    ? [
        {
          name: 'postgres',
          async open() {
            const scratch = await scratchDatabase(testDatabaseUrl, 'kd_test');
            const db = await PostgresDatabase.open(scratch.url, { max: 4 });
            return {
              db,
              async drop() {
                await db.close();
                await scratch.drop();
              }
            };
          }
        }
      ]
    : [])
];

/**
 * A database shaped like a Supabase project (roles, auth, realtime), the migrations applied by the
 * Supabase CLI as postgres, and every call made as PostgREST makes it: through authenticator.
 * Needs PostgreSQL's server programs, which `npm test` installs.
 */
export const supabaseShapedBackend: TestBackend | undefined = postgresBinDir()
  ? {
      name: 'supabase-shaped',
      async open() {
        const cluster = await startSupabaseProject('kennisdag');
        const db = new SupabaseShapedDatabase(cluster, 'kennisdag');
        return {
          db,
          async drop() {
            await db.close();
            await cluster.stop();
          }
        };
      }
    }
  : undefined;

/** The embedded back ends and, where PostgreSQL's programs are installed, the Supabase-shaped one. */
export const allBackends: TestBackend[] = [...backends, ...(supabaseShapedBackend ? [supabaseShapedBackend] : [])];

export interface TestUser {
  id: string;
  caller: Caller;
}

export interface TestUserOptions {
  anonymous?: boolean;
  email?: string;
  name?: string;
  /** Granted the organiser role by the server, as the first organiser is. */
  organiser?: boolean;
}

/**
 * Creates a user row as Supabase Auth would, and the caller that acts as that user; an organiser also
 * gets the grant from the server.
 */
export async function createUser(db: SqlDatabase, options: TestUserOptions = {}): Promise<TestUser> {
  const user = await signUp(db, options);
  if (options.organiser) {
    await db.rpc('server_grant_organiser', { p_email: (user.caller as { claims: { email: string } }).claims.email }, serviceCaller);
  }
  return user;
}

async function signUp(db: SqlDatabase, options: TestUserOptions): Promise<TestUser> {
  const anonymous = options.anonymous ?? false;
  if (db instanceof SupabaseShapedDatabase) {
    const user = await db.accounts.signUp({ anonymous, email: options.email, name: options.name });
    return { id: user.id, caller: { kind: 'user', accessToken: 'test', claims: user.claims } };
  }
  const email = anonymous ? null : (options.email ?? `${randomUUID()}@example.test`);
  const [row] = await db.withCaller(serviceCaller, (q) =>
    q<{ id: string }>('insert into auth.users (email, is_anonymous, raw_user_meta_data) values ($1, $2, $3) returning id', [
      email,
      anonymous,
      options.name ? { name: options.name } : {}
    ])
  );
  return {
    id: row.id,
    caller: {
      kind: 'user',
      accessToken: 'test',
      claims: { sub: row.id, role: 'authenticated', aud: 'authenticated', is_anonymous: anonymous, ...(email ? { email } : {}) }
    }
  };
}

/** What a suite's own database starts with: the organiser who creates its events. */
export interface SuiteDatabase {
  db: SqlDatabase;
  organiser: TestUser;
}

/**
 * A database of the suite's own on `backend`: opened before the suite's tests with an organiser (Olga
 * unless `organiser` says who), handed to `use` for the rest of the set-up, and dropped after them.
 */
export function suiteDatabase(
  backend: TestBackend,
  use: (suite: SuiteDatabase) => unknown,
  options: { organiser?: Omit<TestUserOptions, 'organiser'>; timeout?: number } = {}
): void {
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { db, drop: dropDatabase } = await backend.open();
    drop = dropDatabase;
    await use({ db, organiser: await createUser(db, { ...(options.organiser ?? { name: 'Olga' }), organiser: true }) });
  }, options.timeout);
  afterAll(() => drop?.());
}

/** The same with an English event of the organiser's, named `title`. */
export function suiteEvent(backend: TestBackend, title: string, use: (suite: SuiteDatabase & { eventId: string }) => unknown): void {
  suiteDatabase(backend, async (suite) => {
    const event = await suite.db.rpc<{ id: string }>('create_event', { p_title: title, p_language: 'en' }, suite.organiser.caller);
    await use({ ...suite, eventId: event.id });
  });
}

/** Deletes an account as Supabase Auth (or its clean-up of anonymous users) does. */
export async function deleteUser(db: SqlDatabase, id: string): Promise<void> {
  if (db instanceof SupabaseShapedDatabase) return db.accounts.deleteUser(id);
  await db.withCaller(serviceCaller, (q) => q('delete from auth.users where id = $1', [id]));
}

/** The AppError a call is refused with; a call that succeeds fails the test. */
export function refusal(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => {
      if (!(e instanceof AppError)) throw e;
      return e;
    }
  );
}

/** Expects a refusal: an AppError with this status and, when given, a message that matches. */
export async function refused(promise: Promise<unknown>, status: number, message?: RegExp): Promise<void> {
  const error = await refusal(promise);
  expect(error.status).toBe(status);
  if (message) expect(error.message).toMatch(message);
}

/**
 * Runs `fn` as the role the migrations ran as (PGlite's superuser, the PostgreSQL server's login
 * role, postgres on the Supabase-shaped cluster), as a later migration would, and undoes all of it.
 */
export async function asMigratingRole<T>(db: SqlDatabase, fn: (query: SqlQuery) => Promise<T>): Promise<T> {
  const undone = async (query: SqlQuery) => {
    await query('savepoint as_migrating_role');
    try {
      // The embedded back ends log in as the migrating role; every call switches to an API role.
      if (!(db instanceof SupabaseShapedDatabase)) await query('reset role');
      return await fn(query);
    } finally {
      await query('rollback to savepoint as_migrating_role');
    }
  };
  return db instanceof SupabaseShapedDatabase ? db.asOwner(undone) : db.withCaller(serviceCaller, undone);
}
