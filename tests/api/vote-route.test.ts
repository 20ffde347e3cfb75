import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/lib/i18n';
import { type Api, startServerWithOrganiser, type TestServer } from '../helpers/server';

/**
 * The built server answers a phone's vote on Node's own request and response, and every other request
 * through SvelteKit. A vote must get the same answer either way: the route's answer is compared with
 * SvelteKit's for the same request sent with a query (which the route leaves to SvelteKit).
 */
let server: TestServer;
let api: Api;
let org: string;
let eventId: string;
let pollId: string;
let phone: string;
let device: string;

beforeAll(async () => {
  ({ server, api, token: org } = await startServerWithOrganiser());
  const event = (await api('POST', '/events', { title: 'Stemdag', date: '2026-11-26', language: 'nl' }, org)).body;
  eventId = event.id;
  const thesis = (await api('POST', `/events/${eventId}/theses`, { text: 'Iedereen stemt tegelijk.' }, org)).body;
  await api('POST', `/events/${eventId}/theses/${thesis.id}/start`, {}, org);
  pollId = (await api('POST', `/events/${eventId}/polls`, { thesisId: thesis.id, kind: 'agree5' }, org)).body.id;
  device = crypto.randomUUID();
  const joined = await fetch(`${server.url}/api/v1/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kennisdag-device': device },
    body: JSON.stringify({ code: event.code, name: 'Telefoon' })
  });
  phone = ((await joined.json()) as { token: string }).token;
}, 300_000);
afterAll(() => server?.stop());

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | null>;
}

async function vote(body: string | Uint8Array, headers: Record<string, string>, query = ''): Promise<Answer> {
  const response = await fetch(`${server.url}/api/v1/events/${eventId}/polls/${pollId}/votes${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body as BodyInit
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  const names = ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'set-cookie'];
  // A device cookie, where one is set, is a new random id each time.
  const header = (name: string) => response.headers.get(name)?.replace(/kd_device=[\w-]+/, 'kd_device=(new)') ?? null;
  return { status: response.status, body: parsed, headers: Object.fromEntries(names.map((name) => [name, header(name)])) };
}

/** The same request the route's way and SvelteKit's way. */
async function bothWays(body: string | Uint8Array, headers: Record<string, string>) {
  return { route: await vote(body, headers), svelteKit: await vote(body, headers, '?via=sveltekit') };
}

describe('a vote on the built server', () => {
  it('is recorded and answered alike by the route and by SvelteKit, by token and by the session cookie', async () => {
    const bearer = { authorization: `Bearer ${phone}` };
    const cookie = { cookie: `kd_session=${phone}; kd_device=${device}`, origin: server.url };
    for (const headers of [bearer, cookie]) {
      const { route, svelteKit } = await bothWays(JSON.stringify({ value: 2 }), headers);
      expect(route).toEqual(svelteKit);
      expect(route).toMatchObject({ status: 200, body: { pollId, optionIndex: 2, word: null } });
    }
    const last = await vote(JSON.stringify({ value: 4, idempotencyKey: 'last-vote' }), bearer);
    expect(last.status).toBe(200);
    const results = await api('GET', `/events/${eventId}/polls/${pollId}/results`, undefined, org);
    expect(results.body).toMatchObject({ total: 1, counts: [0, 0, 0, 0, 1] });
  });

  it('is refused alike, in the event’s language, with nothing changed', async () => {
    const bearer = { authorization: `Bearer ${phone}` };
    const refusals: [string, string | Uint8Array, Record<string, string>, number][] = [
      ['not JSON', '{"value":', bearer, 400],
      ['a NUL character', JSON.stringify({ value: 'ja\u0000' }), bearer, 400],
      ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), bearer, 400],
      ['nested without end', '['.repeat(40) + ']'.repeat(40), bearer, 400],
      ['not an object', '[1]', bearer, 400],
      ['no answer', '{}', bearer, 400],
      ['an option the poll does not have', JSON.stringify({ value: 9 }), bearer, 400],
      ['an answer of more than 40 characters', JSON.stringify({ value: 'x'.repeat(41) }), bearer, 400],
      ['a larger body than a vote', JSON.stringify({ value: 1, padding: 'x'.repeat(5000) }), bearer, 200],
      ['no session', JSON.stringify({ value: 1 }), {}, 401],
      ['a forged token', JSON.stringify({ value: 1 }), { authorization: 'Bearer x.y.z' }, 401],
      ['the cookie from another site', JSON.stringify({ value: 1 }), { cookie: `kd_session=${phone}; kd_device=${device}`, origin: 'http://evil.example' }, 403]
    ];
    for (const [what, body, headers, status] of refusals) {
      const { route, svelteKit } = await bothWays(body, headers);
      expect(route, what).toEqual(svelteKit);
      expect(route.status, what).toBe(status);
      if (status >= 400) expect((route.body as { error: { message: string } }).error.message, what).toMatch(/[a-z]/);
    }
    const { route } = await bothWays('{"value":', bearer);
    expect((route.body as { error: { message: string } }).error.message).toBe(translator('nl')('edge.badJson'));
    // The larger body above changed the vote to 1; nothing else did.
    expect((await api('GET', `/events/${eventId}/polls/${pollId}/results`, undefined, org)).body).toMatchObject({ total: 1, counts: [0, 1, 0, 0, 0] });
  });

  it('on a closed poll is refused alike', async () => {
    await api('POST', `/events/${eventId}/polls/${pollId}/close`, {}, org);
    const { route, svelteKit } = await bothWays(JSON.stringify({ value: 3 }), { authorization: `Bearer ${phone}` });
    expect(route).toEqual(svelteKit);
    expect(route.status).toBe(409);
  });
});
