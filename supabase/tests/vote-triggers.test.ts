import { describe, expect, it } from 'vitest';
import { serviceCaller, type SqlDatabase } from '../../src/lib/server/db/types';
import { allBackends, suiteDatabase } from './helpers';

/**
 * A vote pays only for the live work someone receives: the per-vote tally trigger is there where
 * browsers listen to the database (Supabase), and gone where the app server reads the tallies itself.
 * That the tallies still reach the screens is shown by the live tests of each back end.
 */
describe.each(allBackends)('a vote on $name', (backend) => {
  let db: SqlDatabase;
  suiteDatabase(backend, (suite) => {
    db = suite.db;
  });

  it('asks whether a tally is due only where browsers listen to the database', async () => {
    const [row] = await db.withCaller(serviceCaller, (q) =>
      q<{ listening: boolean; tallyTrigger: boolean; broadcastTrigger: boolean }>(
        `select exists (select 1 from pg_catalog.pg_partitioned_table where partrelid = to_regclass('realtime.messages')) as "listening",
                exists (select 1 from pg_catalog.pg_trigger where tgrelid = 'public.votes'::regclass and tgname = 'publish_tally_votes') as "tallyTrigger",
                exists (select 1 from pg_catalog.pg_trigger where tgrelid = 'public.votes'::regclass and tgname = 'broadcast_votes') as "broadcastTrigger"`
      )
    );
    expect(row).toEqual({ listening: backend.name === 'supabase-shaped', tallyTrigger: backend.name === 'supabase-shaped', broadcastTrigger: true });
  });
});
