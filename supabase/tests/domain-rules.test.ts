import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberRoles, moderatedStatuses, moderationRefusal, plannedMinutes, roleRefusal, thesisStatuses } from '../../src/lib/domain';
import type { SqlDatabase } from '../../src/lib/server/db/types';
import { serviceCaller } from '../../src/lib/server/db/types';
import { asMigratingRole, backends } from './helpers';

/**
 * The lists and limits of src/lib/domain.ts against what the migrated database enforces: its check
 * constraints and the functions that refuse a wrong choice. A change on one side only fails here.
 */
describe('the domain’s lists and limits are the database’s', () => {
  let db: SqlDatabase;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await backends[0].open());
  });
  afterAll(() => drop?.());

  const query = <T>(sql: string, params: unknown[] = []) => db.withCaller(serviceCaller, (q) => q<T>(sql, params));

  /** The definitions of a table's check constraints. */
  const checks = async (table: string) =>
    (await query<{ def: string }>(`select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1::regclass and contype = 'c'`, [table])).map((c) => c.def);

  /** The one check constraint of a table that says this. */
  const checkOn = async (table: string, says: RegExp) => {
    const found = (await checks(table)).filter((def) => says.test(def));
    expect(found, `${table}: ${says}`).toHaveLength(1);
    return found[0];
  };

  /** The quoted words of a piece of SQL, in order. */
  const quoted = (sql: string) => [...sql.matchAll(/'(\w+)'/g)].map((m) => m[1]);

  /** The current source of a function. */
  const source = async (schema: string, name: string) => {
    const found = await query<{ src: string }>(
      `select p.prosrc as src from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1 and p.proname = $2`,
      [schema, name]
    );
    expect(found, `${schema}.${name}`).toHaveLength(1);
    return found[0].src;
  };

  it('gives a thesis the same statuses', async () => {
    expect(quoted(await checkOn('public.theses', /\bstatus = ANY/))).toEqual([...thesisStatuses]);
  });

  it('lets the chair set the same statuses by hand, and refuses others with the same sentence', async () => {
    const moderate = await source('public', 'moderate_thesis');
    const allowed = /p_status not in \(([^)]*)\)/.exec(moderate);
    expect(allowed, 'moderate_thesis checks p_status').not.toBeNull();
    expect(quoted(allowed![1])).toEqual([...moderatedStatuses]);
    expect(moderate).toContain(moderationRefusal);
  });

  it('has the same roles, ranked the same, and refuses others with the same sentence', async () => {
    expect(quoted(await checkOn('public.event_members', /\brole = ANY/))).toEqual([...memberRoles]);
    const ranks = [...(await source('private', 'role_rank')).matchAll(/when '(\w+)' then (\d+)/g)].map((m) => ({ role: m[1], rank: Number(m[2]) }));
    expect(ranks.sort((a, b) => b.rank - a.rank).map((r) => r.role)).toEqual([...memberRoles]);
    for (const name of ['add_member', 'set_member_role']) {
      const refusing = await source('public', name);
      expect(quoted(/p_role not in \(([^)]*)\)/.exec(refusing)?.[1] ?? ''), name).toEqual([...memberRoles]);
      expect(refusing, name).toContain(roleRefusal);
    }
  });

  it('plans an agenda item between the same numbers of minutes', async () => {
    const check = await checkOn('public.agenda_items', /\bplanned_minutes >=/);
    expect(check).toContain(`planned_minutes >= ${plannedMinutes.min}`);
    expect(check).toContain(`planned_minutes <= ${plannedMinutes.max}`);
    for (const name of ['add_agenda_item', 'update_agenda_item']) {
      const refusing = await source('public', name);
      expect(refusing, name).toContain(`not between ${plannedMinutes.min} and ${plannedMinutes.max}`);
      expect(refusing, name).toContain(`Planned minutes must be between ${plannedMinutes.min} and ${plannedMinutes.max}.`);
    }
  });

  it('makes a published recap’s address and its files’ names from the title by one rule, in one place', async () => {
    // The rule, as only its owner may run it: accents dropped, lower case, single hyphens, 60 characters.
    const titles = ['  Één dag: AI & zorg!  ', 'x'.repeat(80), '!!!', "Café de l'Europe", `${'a'.repeat(59)} b`];
    const slugs = await asMigratingRole(db, (q) =>
      q<{ slug: string }>('select private.title_slug(t) as slug from unnest($1::text[]) with ordinality as u(t, n) order by n', [titles])
    );
    expect(slugs.map((s) => s.slug)).toEqual(['een-dag-ai-zorg', 'x'.repeat(60), '', 'cafe-de-l-europe', 'a'.repeat(59)]);
    // The address, the downloads’ cover and the recap source (the results table) take it from there.
    for (const [schema, name] of [['public', 'publish_recap'], ['private', 'recap_cover'], ['public', 'get_recap_source']]) {
      expect(await source(schema, name), name).toContain('private.title_slug(');
    }
    const others = await query<{ name: string }>(
      `select n.nspname || '.' || p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private') and p.prosrc like '%[^a-z0-9]+%' order by 1`
    );
    expect(others.map((o) => o.name)).toEqual(['private.title_slug']);
  });
});
