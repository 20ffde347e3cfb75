import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, organiser, startServer, type TestServer } from '../helpers/server';

/**
 * A phone is answered only once its vote is committed: the server is killed (SIGKILL, no shutdown)
 * in the middle of a hall voting at once, and every vote it had acknowledged is in the database
 * afterwards, with the option the phone chose, on the embedded database and on PostgreSQL.
 */
const phones = 300;
const killAfterAcks = 40;
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

interface Store {
  env: Record<string, string>;
  /** voter id → option, read straight from the database once the server is gone. */
  votes(pollId: string): Promise<Map<string, number>>;
  drop(): Promise<void>;
}

async function embeddedStore(): Promise<Store> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kennisdag-durability-'));
  return {
    env: { KENNISDAG_DATA_DIR: dataDir },
    async votes(pollId) {
      const { PGlite } = await import('@electric-sql/pglite');
      const pg = await PGlite.create({ dataDir: join(dataDir, 'pgdata') });
      try {
        const { rows } = await pg.query<{ voter_id: string; option_index: number }>('select voter_id, option_index from public.votes where poll_id = $1', [pollId]);
        return new Map(rows.map((r) => [r.voter_id, r.option_index]));
      } finally {
        await pg.close();
      }
    },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}

async function postgresStore(adminUrl: string): Promise<Store> {
  const name = `kd_durability_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  return {
    env: { DATABASE_URL: url.toString(), KENNISDAG_JWT_SECRET: 'a-durability-test-secret-of-enough-length' },
    async votes(pollId) {
      const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        const rows = await sql<{ voter_id: string; option_index: number }[]>`select voter_id, option_index from public.votes where poll_id = ${pollId}`;
        return new Map(rows.map((r) => [r.voter_id, r.option_index]));
      } finally {
        await sql.end();
      }
    },
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  };
}

const stores: [string, () => Promise<Store>][] = [
  ['the embedded database', embeddedStore],
  ...(testDatabaseUrl ? [['PostgreSQL', () => postgresStore(testDatabaseUrl)] as [string, () => Promise<Store>]] : [])
];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.each(stores)('votes on %s', (_, makeStore) => {
  it('that were acknowledged are all there after the server is killed mid-burst', async () => {
    const store = await makeStore();
    cleanups.push(() => store.drop());
    let server: TestServer = await startServer(store.env);
    cleanups.push(() => server.stop());
    const api = apiClient(server.url);
    const org = (await api('POST', '/auth/sign-in', organiser)).body.token;
    const event = (await api('POST', '/events', { title: 'Kill the server', date: '2026-11-26', language: 'en' }, org)).body;
    const thesis = (await api('POST', `/events/${event.id}/theses`, { text: 'Acknowledged means written.' }, org)).body;
    await api('POST', `/events/${event.id}/theses/${thesis.id}/start`, {}, org);
    const voters: { token: string; id: string }[] = [];
    for (let i = 0; i < phones; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, phones - i) }, (_, j) => api('POST', '/join', { code: event.code, name: `Phone ${i + j + 1}`, organisation: '', role: '', listed: false }))
      );
      for (const joined of batch) {
        expect(joined.status).toBe(200);
        const claims = JSON.parse(Buffer.from(joined.body.token.split('.')[1], 'base64url').toString());
        voters.push({ token: joined.body.token, id: claims.sub });
      }
    }
    const poll = (await api('POST', `/events/${event.id}/polls`, { thesisId: thesis.id, kind: 'agree5' }, org)).body;

    // The whole hall votes at once; the server is killed as soon as the first few dozen are answered.
    const acknowledged = new Map<string, number>();
    let killed = false;
    await Promise.all(
      voters.map(async (voter, i) => {
        const option = i % 5;
        const answer = await api('POST', `/events/${event.id}/polls/${poll.id}/votes`, { value: option, idempotencyKey: randomUUID() }, voter.token).catch(() => null);
        if (answer?.status !== 200) return;
        acknowledged.set(voter.id, option);
        if (acknowledged.size >= killAfterAcks && !killed) {
          killed = true;
          process.kill(server.pid, 'SIGKILL');
        }
      })
    );
    expect(killed).toBe(true);
    // The kill came in the middle: some votes were never answered.
    expect(acknowledged.size).toBeLessThan(phones);

    const stored = await store.votes(poll.id);
    const missing = [...acknowledged].filter(([voter, option]) => stored.get(voter) !== option);
    expect(missing).toEqual([]);

    // The server starts again on the same data, and counts what it stored.
    await server.stop();
    server = await startServer(store.env);
    const again = apiClient(server.url);
    const token = (await again('POST', '/auth/sign-in', organiser)).body.token;
    expect((await again('GET', `/events/${event.id}/polls/${poll.id}/results`, undefined, token)).body.total).toBe(stored.size);
  }, 300_000);
});
