import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, suiteDatabase } from '../../../../supabase/tests/helpers';
import { EmbeddedAuth } from '../auth/embedded';
import { serviceCaller, type SqlDatabase } from '../db/types';
import { maxVoteBytes, voteRoute } from './vote-route';

/**
 * The vote route answers a phone's vote itself, and hands everything else on to SvelteKit before it
 * reads a byte of the body. Here SvelteKit's place is taken by a handler that answers 418 with the body
 * it received, so each test sees who answered, and that a request handed on arrives whole.
 */
describe('the vote route', () => {
  const backend = backends[0];
  let db: SqlDatabase;
  let auth: EmbeddedAuth;
  let server: Server;
  let base: string;
  let eventId: string;
  let pollId: string;
  let phone: string;

  suiteDatabase(backend, async (suite) => {
    db = suite.db;
    auth = new EmbeddedAuth(db, 'a-test-secret-of-enough-length-for-hs256-signing');
    const event = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Route', p_language: 'nl' }, suite.organiser.caller);
    const thesis = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: event.id, p_text: 'Iedereen stemt tegelijk.' }, suite.organiser.caller);
    await db.rpc('start_thesis', { p_thesis_id: thesis.id }, suite.organiser.caller);
    pollId = (await db.rpc<{ id: string }>('open_poll', { p_event_id: event.id, p_thesis_id: thesis.id, p_kind: 'agree5' }, suite.organiser.caller)).id;
    eventId = event.id;
    const session = await auth.signInAnonymously();
    await db.rpc('join_event', { p_code: event.join_code, p_name: 'Telefoon' }, { kind: 'user', claims: session.claims, accessToken: session.accessToken });
    phone = session.accessToken;
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      // db and auth exist by now: suiteDatabase's beforeAll ran first.
      voteRoute(db, auth, undefined)(req, res, () => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => res.writeHead(418, { 'content-type': 'text/plain' }).end(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const votes = () => `/api/v1/events/${eventId}/polls/${pollId}/votes`;
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${phone}`, ...headers }, body });
  const votesOfPoll = async () =>
    (await db.withCaller(serviceCaller, (q) => q<{ option_index: number }>('select option_index from public.votes where poll_id = $1', [pollId]))).map((v) => v.option_index);

  it('answers a vote itself: the vote is in the database, and the answer carries the security headers', async () => {
    const response = await post(votes(), JSON.stringify({ value: 3, idempotencyKey: 'route-1' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ pollId, optionIndex: 3, word: null });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await votesOfPoll()).toEqual([3]);
  });

  it('takes a vote by the session cookie only from this site, with the device cookie the pages set', async () => {
    const cookie = `kd_session=${phone}; kd_device=device-0001`;
    const sameSite = await post(votes(), JSON.stringify({ value: 1, idempotencyKey: 'route-2' }), { authorization: '', cookie, origin: base, 'x-forwarded-proto': 'http' });
    expect(sameSite.status).toBe(200);
    expect(await votesOfPoll()).toEqual([1]);
    // What SvelteKit must see for itself: another site, no Origin to judge by, no device cookie yet.
    for (const headers of <Record<string, string>[]>[
      { authorization: '', cookie, origin: 'http://evil.example', 'x-forwarded-proto': 'http' },
      { authorization: '', cookie, 'x-forwarded-proto': 'http' },
      { authorization: '', cookie: `kd_session=${phone}`, origin: base, 'x-forwarded-proto': 'http' }
    ]) {
      const response = await post(votes(), JSON.stringify({ value: 2, idempotencyKey: 'route-3' }), headers);
      expect(response.status).toBe(418);
    }
    expect(await votesOfPoll()).toEqual([1]);
  });

  it('refuses a bad vote itself, in the event’s language, and changes nothing', async () => {
    const cases: [string, number, RegExp][] = [
      ['{"value":', 400, /JSON/],
      [JSON.stringify({ value: 'ja\u0000', idempotencyKey: 'route-4' }), 400, /NUL|teken/i],
      ['['.repeat(40) + ']'.repeat(40), 400, /diep|nest/i],
      ['[1]', 400, /object/i],
      [JSON.stringify({ value: 9, idempotencyKey: 'route-5' }), 400, /.+/]
    ];
    for (const [body, status, message] of cases) {
      const response = await post(votes(), body);
      expect(response.status, body).toBe(status);
      const answer = (await response.json()) as { error: { message: string } };
      expect(answer.error.message, body).toMatch(message);
      expect(answer.error.message, body).not.toMatch(/^The |is not|must be/);
    }
    const bytes = await fetch(base + votes(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${phone}` }, body: Buffer.from([0x7b, 0xff, 0x7d]) });
    expect(bytes.status).toBe(400);
    expect(await votesOfPoll()).toEqual([1]);
  });

  it('hands on, with the body unread, whatever it does not answer exactly as the API would', async () => {
    const vote = JSON.stringify({ value: 4, idempotencyKey: 'route-6' });
    const handedOn: [string, string, Record<string, string>][] = [
      ['a query', `${votes()}?lang=en`, {}],
      ['another spelling of the address', votes().replace('/api/', '/API/'), {}],
      ['an encoded address', votes().replace('/votes', '/vote%73'), {}],
      ['another operation', `/api/v1/events/${eventId}/polls/${pollId}/results`, {}],
      ['a body that is not JSON', votes(), { 'content-type': 'text/plain' }],
      ['no session', votes(), { authorization: '' }],
      ['a forged token', votes(), { authorization: 'Bearer x.y.z' }]
    ];
    for (const [what, path, headers] of handedOn) {
      const response = await post(path, vote, headers);
      expect(response.status, what).toBe(418);
      expect(await response.text(), what).toBe(vote);
    }
    const large = JSON.stringify({ value: 4, idempotencyKey: 'route-7', padding: 'x'.repeat(maxVoteBytes) });
    const response = await post(votes(), large);
    expect(response.status).toBe(418);
    expect(await response.text()).toBe(large);
    expect(await votesOfPoll()).toEqual([1]);
  });
});
