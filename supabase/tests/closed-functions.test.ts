import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDatabase, SqlQuery } from '../../src/lib/server/db/types';
import { allBackends, asMigratingRole } from './helpers';

const apiRoles = ['public', 'anon', 'authenticated', 'service_role'];

/**
 * A function a later migration creates is closed until that migration grants it: on every back end,
 * as the role the migrations run as, in the public and the private schema alike. (The functions that
 * exist keep their grants: privileges.test.ts holds every one of them to the committed snapshot.)
 */
describe.each(allBackends)('a new function on $name', (backend) => {
  let db: SqlDatabase;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await backend.open());
  }, 300_000);
  afterAll(() => drop?.());

  /** Who may execute the function, of the API roles and public. */
  const executors = async (query: SqlQuery, fn: string) =>
    (await query<{ role: string }>(`select r as role from unnest($1::text[]) r where has_function_privilege(r, $2::regprocedure, 'execute')`, [apiRoles, fn])).map(
      (row) => row.role
    );

  it.each(['public', 'private'])('in %s may be executed by no API role until it is granted, and then by exactly those granted', async (schema) => {
    const fn = `${schema}.closed_until_granted()`;
    const seen = await asMigratingRole(db, async (query) => {
      const [{ migrator, owner }] = await query<{ migrator: string; owner: string }>(
        `select current_user as migrator, pg_get_userbyid(proowner) as owner from pg_proc where oid = 'public.publish_recap(uuid)'::regprocedure`
      );
      await query(`create function ${schema}.closed_until_granted() returns integer language sql set search_path = '' as 'select 1'`);
      await query(`create function ${schema}.closed_definer() returns integer language sql security definer set search_path = '' as 'select 2'`);
      const closed = await executors(query, fn);
      const closedDefiner = await executors(query, `${schema}.closed_definer()`);
      const [{ ownerMay }] = await query<{ ownerMay: boolean }>(`select has_function_privilege(current_user, $1::regprocedure, 'execute') as "ownerMay"`, [fn]);
      await query(`grant execute on function ${fn} to authenticated`);
      const granted = await executors(query, fn);
      return { migrator, owner, closed, closedDefiner, ownerMay, granted };
    });
    // The role that created the migrated functions, as a later migration runs.
    expect(seen.migrator).toBe(seen.owner);
    expect(seen.closed).toEqual([]);
    expect(seen.closedDefiner).toEqual([]);
    expect(seen.ownerMay).toBe(true);
    expect(seen.granted).toEqual(['authenticated']);
  });

  it('is gone again after the test, and the functions that were there keep their grants', async () => {
    const [gone] = await asMigratingRole(db, (query) => query<{ fn: string | null }>(`select to_regprocedure('public.closed_until_granted()')::text as fn`));
    expect(gone.fn).toBeNull();
    const kept = await asMigratingRole(db, (query) =>
      Promise.all(['public.get_published_recap_cover(text)', 'public.publish_recap(uuid)', 'private.cast_votes(jsonb)'].map((fn) => executors(query, fn)))
    );
    expect(kept).toEqual([['anon', 'authenticated', 'service_role'], ['authenticated', 'service_role'], []]);
  });
});
