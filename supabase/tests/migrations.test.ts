import { describe, expect, it } from 'vitest';
import { applyMigrations, embeddedMigrations, type MigrationTarget } from '../../src/lib/server/db/migrations';
import { serviceCaller } from '../../src/lib/server/db/types';
import { backends } from './helpers';

describe.each(backends)('migrations on $name', (backend) => {
  it('apply from scratch, record every file, and change nothing the second time', async () => {
    const { db, drop } = await backend.open();
    try {
      const versions = await db.withCaller(serviceCaller, (q) =>
        q<{ version: string }>('select version from supabase_migrations.schema_migrations order by version')
      );
      expect(versions.map((v) => v.version)).toEqual(embeddedMigrations.map((m) => m.version).sort());

      const executed: string[] = [];
      const target: MigrationTarget = {
        exec: async (sql) => {
          executed.push(sql);
        },
        appliedVersions: async () => new Set(versions.map((v) => v.version)),
        record: async () => {},
        inTransaction: (fn) => fn()
      };
      expect(await applyMigrations(target)).toEqual([]);
      expect(executed).toHaveLength(1); // only the idempotent bookkeeping table
    } finally {
      await drop();
    }
  });

  it('leaves row-level security on for every table of the public schema', async () => {
    const { db, drop } = await backend.open();
    try {
      const tables = await db.withCaller(serviceCaller, (q) =>
        q<{ relname: string; relrowsecurity: boolean }>(
          `select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind = 'r' order by 1`
        )
      );
      expect(tables.length).toBeGreaterThanOrEqual(9);
      expect(tables.filter((t) => !t.relrowsecurity)).toEqual([]);
    } finally {
      await drop();
    }
  });
});

describe('the demo seed', () => {
  it('applies after the migrations on PGlite, as `supabase db reset` applies it', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const seed = (await import('../seed.sql?raw')).default;
    const pg = await PGlite.create();
    try {
      await applyMigrations({
        exec: async (sql) => {
          await pg.exec(sql);
        },
        appliedVersions: async () => new Set(),
        record: async () => {},
        inTransaction: (fn) => fn()
      });
      await pg.exec(seed);
      await pg.exec(seed); // a second reset of the same data changes nothing
      const { rows } = await pg.query<{ code: string; theses: number; items: number }>(
        `select e.join_code as code,
                (select count(*)::integer from public.theses t where t.event_id = e.id) as theses,
                (select count(*)::integer from public.agenda_items a where a.event_id = e.id) as items
         from public.events e`
      );
      expect(rows).toEqual([{ code: 'DEMO42', theses: 3, items: 4 }]);
    } finally {
      await pg.close();
    }
  });
});
