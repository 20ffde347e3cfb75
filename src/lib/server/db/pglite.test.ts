import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PgliteDatabase } from './pglite';
import { serviceCaller, type Broadcast } from './types';

/** The embedded database in its own worker thread, as the server uses it. */
describe('the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kennisdag-pglite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs queries beside the caller’s thread, which keeps serving meanwhile', async () => {
    const db = await PgliteDatabase.open();
    try {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      // Half a second of work inside the database: on the caller's thread no timer could fire.
      await db.withCaller(serviceCaller, (q) => q('select pg_sleep(0.5)'));
      clearInterval(ticker);
      expect(ticks).toBeGreaterThan(5);
    } finally {
      await db.close();
    }
  });

  it('hands the notifications of the realtime channel to its listeners', async () => {
    const db = await PgliteDatabase.open();
    try {
      const received: Broadcast[] = [];
      db.onBroadcast((message) => received.push(message));
      await db.withCaller(serviceCaller, (q) => q("select realtime.send('{\"n\": 1}'::jsonb, 'ping', 'event:x', true)"));
      await expect.poll(() => received).toEqual([{ topic: 'event:x', event: 'ping', payload: { n: 1 }, private: true }]);
    } finally {
      await db.close();
    }
  });

  it('closes its folder cleanly: reopened, it has what was committed, and a closed one refuses calls', async () => {
    const folder = join(dataDir, 'pgdata');
    const first = await PgliteDatabase.open(folder);
    await first.withCaller(serviceCaller, (q) => q("insert into auth.users (email) values ('kept@example.test')"));
    await first.close();
    await expect(first.withCaller(serviceCaller, (q) => q('select 1'))).rejects.toThrow('The embedded database has stopped.');

    const second = await PgliteDatabase.open(folder);
    try {
      const rows = await second.withCaller(serviceCaller, (q) => q("select email from auth.users where email = 'kept@example.test'"));
      expect(rows).toEqual([{ email: 'kept@example.test' }]);
    } finally {
      await second.close();
    }
  });
});
