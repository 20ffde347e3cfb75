import postgres from 'postgres';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, organiser, startServer, type TestServer } from '../helpers/server';

/**
 * Two app servers on one PostgreSQL count against the same limits: a flood cannot get twice the
 * limit by spreading over servers behind a load balancer.
 */
const admin = process.env.TEST_DATABASE_URL;

describe.runIf(admin)('rate limits on PostgreSQL', () => {
  const servers: TestServer[] = [];
  let databaseUrl: string;
  const name = `kd_limits_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

  beforeAll(async () => {
    const sql = postgres(admin!, { max: 1, onnotice: () => {} });
    await sql.unsafe(`create database ${name}`);
    await sql.end();
    const url = new URL(admin!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    const env = { DATABASE_URL: databaseUrl, KENNISDAG_JWT_SECRET: 'a-shared-secret-for-both-servers-of-this-test', KENNISDAG_JOINS_PER_ADDRESS: '10' };
    // One after the other: the first creates the organiser, the second finds it.
    servers.push(await startServer(env));
    servers.push(await startServer(env));
  }, 300_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    const sql = postgres(admin!, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists ${name} with (force)`);
    await sql.end();
  });

  it('are shared by every app server', async () => {
    const [a, b] = servers;
    const token = (await apiClient(a.url)('POST', '/auth/sign-in', organiser)).body.token;
    const { code } = (await apiClient(a.url)('POST', '/events', { title: 'Two servers', language: 'en' }, token)).body;
    const join = async (server: TestServer, i: number) =>
      (
        await fetch(`${server.url}/api/v1/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-kennisdag-device': randomUUID() },
          body: JSON.stringify({ code, name: `Phone ${i}` })
        })
      ).status;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push(await join(i % 2 ? b : a, i));
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    const rows = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const [{ n }] = await rows`select count(*)::int as n from server.rate_limits where key like 'join-address:%'`;
    await rows.end();
    expect(n).toBe(1);
  });
});
