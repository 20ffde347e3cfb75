import { randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabase } from '../../src/lib/server/db/postgres';
import { serviceCaller } from '../../src/lib/server/db/types';
import { createUser, testDatabaseUrl, type TestUser } from './helpers';

/**
 * A TCP pass-through in front of PostgreSQL that counts, per connection, how often the app server
 * speaks after the database answered: each such turn is a round trip the caller waits for.
 */
async function turnCountingProxy(target: URL) {
  const turns = new Map<Socket, number>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    let answered = true;
    turns.set(client, 0);
    client.on('data', (chunk) => {
      if (answered) turns.set(client, (turns.get(client) ?? 0) + 1);
      answered = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      answered = true;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    /** Round trips made on any connection while `run` ran. */
    async count(run: () => Promise<unknown>): Promise<number> {
      const before = new Map(turns);
      await run();
      let made = 0;
      for (const [socket, n] of turns) made += n - (before.get(socket) ?? 0);
      return made;
    },
    close: () => new Promise((resolve) => server.close(resolve))
  };
}

describe.runIf(testDatabaseUrl)('calls to PostgreSQL', () => {
  let admin: postgres.Sql;
  let name: string;
  let proxy: Awaited<ReturnType<typeof turnCountingProxy>>;
  let db: PostgresDatabase;
  let organiser: TestUser;
  let phone: TestUser;
  let eventId: string;
  let pollId: string;

  beforeAll(async () => {
    admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
    name = `kd_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await admin.unsafe(`create database ${name}`);
    proxy = await turnCountingProxy(new URL(testDatabaseUrl!));
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${name}`;
    url.host = `127.0.0.1:${proxy.port}`;
    db = await PostgresDatabase.open(url.toString(), { max: 1 });
    organiser = await createUser(db, { organiser: true });
    phone = await createUser(db, { anonymous: true });
    const event = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Round trips', p_language: 'en' }, organiser.caller);
    eventId = event.id;
    const thesis = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: eventId, p_text: 'One round trip is enough.' }, organiser.caller);
    await db.rpc('start_thesis', { p_thesis_id: thesis.id }, organiser.caller);
    pollId = (await db.rpc<{ id: string }>('open_poll', { p_event_id: eventId, p_thesis_id: thesis.id, p_kind: 'agree5' }, organiser.caller)).id;
    await db.rpc('join_event', { p_code: event.join_code, p_name: 'Phone' }, phone.caller);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await proxy?.close();
    await admin?.unsafe(`drop database if exists ${name} with (force)`);
    await admin?.end();
  });

  // The first call on a connection prepares its statements; every later one is a single round trip.
  it("take one round trip each: a member's call, the server's own read of a live tally, and a batch of votes", async () => {
    const memberCall = () => db.rpc('get_event_state', { p_event_id: eventId }, phone.caller);
    const tallyRead = () => db.rpc('live_poll_tally', { p_poll_id: pollId }, serviceCaller);
    const vote = (value: number) => () => db.rpc('cast_vote', { p_poll_id: pollId, p_option_index: value, p_idempotency_key: randomUUID() }, phone.caller);
    await memberCall();
    await tallyRead();
    await vote(1)();

    expect(await proxy.count(memberCall)).toBe(1);
    expect(await proxy.count(tallyRead)).toBe(1);
    expect(await proxy.count(vote(2))).toBe(1);
    expect(await db.rpc<{ counts: number[] }>('live_poll_tally', { p_poll_id: pollId }, serviceCaller)).toMatchObject({ counts: [0, 0, 1, 0, 0] });
  });

  it('still answers a refused call with its error, and the connection serves the next call', async () => {
    const stranger = await createUser(db, { anonymous: true });
    await expect(db.rpc('get_event_state', { p_event_id: eventId }, stranger.caller)).rejects.toMatchObject({ status: 403 });
    await expect(db.rpc('get_event_state', { p_event_id: eventId }, phone.caller)).resolves.toMatchObject({ event: { id: eventId } });
  });
});
