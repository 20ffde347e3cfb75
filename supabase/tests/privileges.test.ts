import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceCaller, type SqlDatabase } from '../../src/lib/server/db/types';
import { backends, supabaseShapedBackend } from './helpers';

/**
 * Every privilege the migrations leave, read from the catalogue: who may execute each function of the
 * public and private schemas (and whether it is security definer, with which settings), who holds which
 * right on each table and column of the public schema, row-level security enabled and forced, and every
 * policy. The Supabase-shaped build is the reference, committed as a fixture; the compatibility builds
 * (PGlite, PostgreSQL) must come out the same. A migration that forgets a revoke (Supabase grants every
 * new table and function in public to the API roles by default) changes the snapshot and fails here.
 *
 * After a deliberate change: `npm run test:privileges -- -u` writes the fixture anew; review its diff.
 */

const roles = ['public', 'anon', 'authenticated', 'service_role'];
const tablePrivileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];

export async function privilegeSnapshot(db: SqlDatabase) {
  return db.withCaller(serviceCaller, async (q) => {
    const functions = await q<{ name: string; definer: boolean; config: string[] | null; execute: string[] }>(
      `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name,
              p.prosecdef as definer, p.proconfig as config,
              array(select r from unnest($1::text[]) r where has_function_privilege(r, p.oid, 'execute')) as execute
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private')
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       order by 1`,
      [roles]
    );
    const tables = await q<{ name: string; rls: boolean; forced: boolean; grants: Record<string, string[]> }>(
      `select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              (select jsonb_object_agg(r, array(
                 select p from unnest($2::text[]) p where has_table_privilege(r, c.oid, p)
                 union all
                 select p || '(' || string_agg(a.attname, ', ' order by a.attnum) || ')'
                 from unnest(array['SELECT', 'INSERT', 'UPDATE']) p
                 join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                 where not has_table_privilege(r, c.oid, p) and has_column_privilege(r, c.oid, a.attnum, p)
                 group by p))
               from unnest($1::text[]) r) as grants
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')
       order by 1`,
      [roles, tablePrivileges]
    );
    const policies = await q(
      `select schemaname || '.' || tablename as "table", policyname as name, permissive, cmd, roles::text[] as roles,
              qual, with_check
       from pg_policies where schemaname in ('public', 'realtime') order by 1, 2`
    );
    const schemas = await q<{ name: string; usage: string[]; create: string[] }>(
      `select n.nspname as name,
              array(select r from unnest($1::text[]) r where has_schema_privilege(r, n.oid, 'usage')) as usage,
              array(select r from unnest($1::text[]) r where has_schema_privilege(r, n.oid, 'create')) as create
       from pg_namespace n where n.nspname in ('public', 'private') order by 1`,
      [roles]
    );
    return { schemas, functions, tables, policies };
  });
}

describe.skipIf(!supabaseShapedBackend)('privileges the migrations leave', () => {
  const snapshots: Record<string, Awaited<ReturnType<typeof privilegeSnapshot>>> = {};
  const drops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    await Promise.all(
      [supabaseShapedBackend!, ...backends].map(async (backend) => {
        const { db, drop } = await backend.open();
        drops.push(drop);
        snapshots[backend.name] = await privilegeSnapshot(db);
      })
    );
  });
  afterAll(() => Promise.all(drops.map((drop) => drop())));

  it('on the Supabase-shaped build match the committed snapshot', async () => {
    const snapshot = snapshots['supabase-shaped'];
    expect(snapshot.functions.length).toBeGreaterThan(50);
    expect(snapshot.tables.every((t) => t.rls)).toBe(true);
    await expect(JSON.stringify(snapshot, null, 2) + '\n').toMatchFileSnapshot('./fixtures/privileges.json');
  });

  it.each(backends.map((b) => b.name))('on the compatibility build (%s) are the same as on Supabase', (name) => {
    expect(snapshots[name]).toEqual(snapshots['supabase-shaped']);
  });
});
