/**
 * The migrations as the server ships them: the compatibility layer (only outside Supabase) and then
 * supabase/migrations in timestamp order, bundled into the build so a deployed server needs no
 * source tree. Applied files are recorded where the Supabase CLI records them.
 */
const compatFiles = import.meta.glob('/supabase/compat/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const migrationFiles = import.meta.glob('/supabase/migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

function toMigrations(files: Record<string, string>): Migration[] {
  return Object.entries(files)
    .map(([path, sql]) => {
      const file = path.split('/').pop()!.replace(/\.sql$/, '');
      const [version, ...rest] = file.split('_');
      return { version, name: rest.join('_'), sql };
    })
    .sort((a, b) => a.version.localeCompare(b.version));
}

export const embeddedMigrations: Migration[] = [...toMigrations(compatFiles), ...toMigrations(migrationFiles)];

export const migrationTableSql = `
  create schema if not exists supabase_migrations;
  create table if not exists supabase_migrations.schema_migrations (
    version text primary key,
    statements text[],
    name text
  );
`;

/** A connection that can run a script and a parameterised query, for applying migrations. */
export interface MigrationTarget {
  exec(sql: string): Promise<void>;
  appliedVersions(): Promise<Set<string>>;
  record(migration: Migration): Promise<void>;
  inTransaction(fn: () => Promise<void>): Promise<void>;
}

/**
 * What migrating needs of one connection: a script, a statement with parameters (its rows), and the
 * steps of a transaction (PGlite's worker must know when one is open).
 */
export interface MigrationConnection {
  exec(sql: string): Promise<unknown>;
  query(text: string, params: unknown[]): Promise<unknown[]>;
  transaction(step: 'begin' | 'commit' | 'rollback'): Promise<unknown>;
}

/** Migrating on one connection: each file in a transaction of its own, recorded as the Supabase CLI records it. */
export function migrationTarget(connection: MigrationConnection): MigrationTarget {
  return {
    exec: async (sql) => {
      await connection.exec(sql);
    },
    appliedVersions: async () =>
      new Set(((await connection.query('select version from supabase_migrations.schema_migrations', [])) as { version: string }[]).map((r) => r.version)),
    record: async (m) => {
      await connection.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [m.version, m.name, [m.sql]]);
    },
    inTransaction: async (fn) => {
      await connection.transaction('begin');
      try {
        await fn();
        await connection.transaction('commit');
      } catch (error) {
        await connection.transaction('rollback');
        throw error;
      }
    }
  };
}

/** Applies what has not been applied yet; running it again changes nothing. */
export async function applyMigrations(target: MigrationTarget, migrations = embeddedMigrations): Promise<string[]> {
  await target.exec(migrationTableSql);
  const applied = await target.appliedVersions();
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await target.inTransaction(async () => {
      await target.exec(migration.sql);
      await target.record(migration);
    });
    done.push(migration.version);
  }
  return done;
}
