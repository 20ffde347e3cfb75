import postgres from 'postgres';
import { randomUUID } from 'node:crypto';
import { PgliteDatabase } from '../../src/lib/server/db/pglite';
import { PostgresDatabase } from '../../src/lib/server/db/postgres';
import type { Caller, SqlDatabase } from '../../src/lib/server/db/types';
import { serviceCaller } from '../../src/lib/server/db/types';

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
            const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
            const name = `kd_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
            await admin.unsafe(`create database ${name}`);
            const url = new URL(testDatabaseUrl);
            url.pathname = `/${name}`;
            const db = await PostgresDatabase.open(url.toString(), { max: 4 });
            return {
              db,
              async drop() {
                await db.close();
                await admin.unsafe(`drop database if exists ${name} with (force)`);
                await admin.end();
              }
            };
          }
        }
      ]
    : [])
];

export interface TestUser {
  id: string;
  caller: Caller;
}

/** Creates a user row as Supabase Auth would, and the caller that acts as that user. */
export async function createUser(db: SqlDatabase, options: { anonymous?: boolean; email?: string; name?: string } = {}): Promise<TestUser> {
  const anonymous = options.anonymous ?? false;
  const email = anonymous ? null : (options.email ?? `${randomUUID()}@example.test`);
  const [row] = await db.withCaller(serviceCaller, (q) =>
    q<{ id: string }>('insert into auth.users (email, is_anonymous, raw_user_meta_data) values ($1, $2, $3) returning id', [
      email,
      anonymous,
      JSON.stringify(options.name ? { name: options.name } : {})
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
