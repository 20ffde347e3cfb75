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
