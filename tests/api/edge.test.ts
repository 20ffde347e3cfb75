import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, urlencoded } from '../helpers/forms';
import { apiClient, organiser, startServer, type TestServer } from '../helpers/server';

/**
 * The edge of the server: where requests come from (origins, addresses, proxies), how long they may
 * take, how many a client may send, and how the server stops. One server trusts X-Forwarded-For (as
 * behind a proxy) so that tests can speak from several addresses; it has small limits and a short
 * request timeout so the tests need not send thousands of requests or wait minutes.
 */
let server: TestServer;
let org: string;

const from = (address: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...extra });

/** The JSON API through the trusted proxy: every request says which address it came from. */
async function api(method: string, path: string, body?: unknown, token?: string, address = '10.0.0.1') {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { ...from(address), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function createEvent(title: string, language = 'en') {
  const created = await api('POST', '/events', { title, date: '2026-11-26', language }, org);
  expect(created.status).toBe(201);
  return created.body as { id: string; code: string };
}

async function joinAs(code: string, name: string, address = '10.9.9.9', device = crypto.randomUUID()) {
  const response = await fetch(`${server.url}/api/v1/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kennisdag-device': device, ...from(address) },
    body: JSON.stringify({ code, name })
  });
  return { status: response.status, body: await response.json() };
}

/** Signs in through the form and returns the session cookie the browser would keep. */
async function signInWithForm(next = '', address = '10.8.0.1') {
  const response = await fetch(`${server.url}/signin${next}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...from(address) },
    body: urlencoded({ email: organiser.email, password: organiser.password })
  });
  const cookie = /kd_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  return { status: response.status, location: response.headers.get('location'), token: cookie! };
}

beforeAll(async () => {
  server = await startServer({
    ADDRESS_HEADER: 'x-forwarded-for',
    XFF_DEPTH: '1',
    KENNISDAG_JOINS_PER_ADDRESS: '30',
    KENNISDAG_LOOKUPS_PER_ADDRESS: '60',
    KENNISDAG_REQUEST_TIMEOUT: '3'
  });
  org = (await api('POST', '/auth/sign-in', organiser)).body.token;
}, 300_000);
afterAll(() => server?.stop());

describe('after signing in', () => {
  it.each([
    ['/%5Cevil.example/x'],
    ['/%09/evil.example'],
    ['//evil.example/x'],
    ['/%2F%2Fevil.example'],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['/\\\\evil.example']
  ])('goes to a page of this site only, never to next=%s', async (next) => {
    const { status, location } = await signInWithForm(`?next=${next}`);
    expect(status).toBe(303);
    expect(new URL(location!, server.url).origin).toBe(server.url);
    expect(location).toBe('/organise');
  });

  it('keeps a next page on this site, with its query', async () => {
    const { location } = await signInWithForm(`?next=${encodeURIComponent('/e/some-event/chair?tab=1')}`);
    expect(location).toBe('/e/some-event/chair?tab=1');
  });
});

describe('requests that ride on the session cookie', () => {
  it('must come from this site; bearer tokens are unaffected', async () => {
    const event = await createEvent('Origin day');
    const cookie = sessionCookie(org);
    const endDiscussion = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/v1/events/${event.id}/end-discussion`, { method: 'POST', headers: { ...from('10.0.0.1'), ...headers } });

    const forged: Record<string, string>[] = [{ cookie, origin: 'http://evil.example' }, { cookie }, { cookie, 'sec-fetch-site': 'cross-site' }, { cookie, origin: 'null' }, { cookie, 'sec-fetch-site': 'same-site' }];
    for (const headers of forged) {
      const refused = await endDiscussion(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect((await refused.json()).error.message).toMatch(/another site/);
    }
    // A PUT without a form content type, and a DELETE: the same rule.
    const put = await fetch(`${server.url}/api/v1/events/${event.id}`, {
      method: 'PUT',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json', ...from('10.0.0.1') },
      body: JSON.stringify({ title: 'Hijacked', language: 'en' })
    });
    expect(put.status).toBe(403);
    expect((await api('GET', `/events/${event.id}/state`, undefined, org)).body.event.title).toBe('Origin day');

    expect((await endDiscussion({ cookie, origin: server.url })).status).toBe(200);
    expect((await endDiscussion({ cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await endDiscussion({ authorization: `Bearer ${org}`, origin: 'http://evil.example' })).status).toBe(200);
    // Without any cookie there is nothing to borrow: API clients need no Origin.
    expect((await endDiscussion({ authorization: `Bearer ${org}` })).status).toBe(200);
  });
});

describe('signing in and out', () => {
  it('limits failed sign-ins per e-mail and address, so nobody elsewhere can lock the organiser out', async () => {
    const attempt = (address: string, password: string) =>
      fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from(address) },
        body: JSON.stringify({ email: organiser.email, password })
      });
    for (let i = 0; i < 10; i++) expect((await attempt('10.0.66.6', 'wrong')).status).toBe(401);
    const locked = await attempt('10.0.66.6', organiser.password);
    expect(locked.status).toBe(429);
    expect((await locked.json()).error.message).toMatch(/Too many failed sign-ins.*try again in \d+ seconds/);
    // The organiser, somewhere else, signs in as usual.
    expect((await attempt('10.0.0.2', organiser.password)).status).toBe(200);
  });

  it('ends the session on sign-out: the cookie’s token stops working at once', async () => {
    const { token } = await signInWithForm('', '10.8.0.2');
    expect((await api('GET', '/events', undefined, token)).status).toBe(200);
    const out = await fetch(`${server.url}/signout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: server.url, accept: 'text/html', cookie: sessionCookie(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: ''
    });
    expect(out.status).toBe(303);
    const after = await api('GET', '/events', undefined, token);
    expect(after.status).toBe(401);
    // Another session of the same organiser is not affected.
    expect((await api('GET', '/events', undefined, org)).status).toBe(200);
  });

  it('ends an API token’s session with POST /auth/sign-out', async () => {
    const token = (await api('POST', '/auth/sign-in', organiser)).body.token;
    expect((await api('POST', '/auth/sign-out', undefined, token)).status).toBe(200);
    expect((await api('GET', '/events', undefined, token)).status).toBe(401);
  });
});

describe('joining', () => {
  it('limits joins per address, however many devices a client claims to be', async () => {
    const event = await createEvent('Flood day');
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await joinAs(event.code, `Bot ${i}`, '10.1.0.1')).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses.slice(30)).toEqual(Array(5).fill(429));
    const refused = await joinAs(event.code, 'Bot again', '10.1.0.1');
    expect(refused.body.error.message).toMatch(/Too many attempts from here; try again in \d+ seconds/);
    // Another address (another venue) is not affected.
    expect((await joinAs(event.code, 'Guest', '10.1.0.2')).status).toBe(200);
  });

  it('answers a request that bypassed the configured proxy with a 400, not a crash', async () => {
    const event = await createEvent('Proxy day');
    const response = await fetch(`${server.url}/api/v1/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: event.code, name: 'Direct' }) });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/through its proxy/);
  });

  it('limits one device within an address', async () => {
    const event = await createEvent('Device day');
    const device = crypto.randomUUID();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await joinAs(event.code, 'Same phone', '10.1.1.1', device)).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses[20]).toBe(429);
    expect((await joinAs(event.code, 'Neighbour', '10.1.1.1')).status).toBe(200);
  });
});

describe('the room', () => {
  it('has the capacity the organiser sets; a full room says so in the event’s language', async () => {
    const event = await createEvent('Volle zaal', 'nl');
    expect((await api('PUT', `/events/${event.id}/room`, { capacity: 2 }, org)).body).toEqual({ capacity: 2, participants: 0 });
    const one = await joinAs(event.code, 'Een', '10.2.0.1');
    expect((await joinAs(event.code, 'Twee', '10.2.0.2')).status).toBe(200);
    const three = await joinAs(event.code, 'Drie', '10.2.0.3');
    expect(three.status).toBe(409);
    expect(three.body.error.message).toMatch(/De zaal is vol/);
    // Someone already in the room joins again (a reload, a new name) without taking a seat.
    const again = await fetch(`${server.url}/api/v1/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${one.body.token}`, ...from('10.2.0.1') },
      body: JSON.stringify({ code: event.code, name: 'Een (telefoon)' })
    });
    expect(again.status).toBe(200);
    expect((await api('GET', `/events/${event.id}/room`, undefined, org)).body).toEqual({ capacity: 2, participants: 2 });
    expect((await api('PUT', `/events/${event.id}/room`, { capacity: 0 }, org)).status).toBe(400);
    expect((await api('PUT', `/events/${event.id}/room`, { capacity: null }, org)).body).toEqual({ capacity: null, participants: 2 });
    expect((await joinAs(event.code, 'Drie', '10.2.0.3')).status).toBe(200);
    expect((await api('PUT', `/events/${event.id}/room`, { capacity: 5 }, one.body.token)).status).toBe(403);
  });

  it('loses a member the chair removes: its stream closes, it cannot come back, its votes stay unless an organiser discards them', async () => {
    const event = await createEvent('Removal day');
    const members = async () => (await api('GET', `/events/${event.id}/members`, undefined, org)).body as { id: string; name: string }[];
    const memberId = async (name: string) => (await members()).find((m) => m.name === name)!.id;
    const [stuffer, honest, other, chair] = [
      await joinAs(event.code, 'Stuffer', '10.3.0.1'),
      await joinAs(event.code, 'Honest', '10.3.0.2'),
      await joinAs(event.code, 'Other', '10.3.0.3'),
      await joinAs(event.code, 'Chair', '10.3.0.4')
    ];
    await api('POST', `/events/${event.id}/members/${await memberId('Chair')}/role`, { role: 'chair' }, org);
    const thesis = (await api('POST', `/events/${event.id}/theses`, { text: 'Votes count.' }, org)).body.id;
    await api('POST', `/events/${event.id}/theses/${thesis}/moderate`, { status: 'approved' }, org);
    await api('POST', `/events/${event.id}/theses/${thesis}/start`, {}, org);
    const poll = (await api('POST', `/events/${event.id}/polls`, { thesisId: thesis, kind: 'yes_no' }, org)).body.id;
    for (const phone of [stuffer, honest, other]) expect((await api('POST', `/events/${event.id}/polls/${poll}/votes`, { value: 0 }, phone.body.token)).status).toBe(200);

    // The stuffer holds a live stream when the chair removes it.
    const stream = await fetch(`${server.url}/api/v1/events/${event.id}/stream`, { headers: { authorization: `Bearer ${stuffer.body.token}`, ...from('10.3.0.1') } });
    const reader = stream.body!.getReader();
    await reader.read();
    const closed = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();

    expect((await api('DELETE', `/events/${event.id}/members/${await memberId('Stuffer')}?discardVotes=true`, undefined, chair.body.token)).status).toBe(403);
    expect((await api('DELETE', `/events/${event.id}/members/${await memberId('Stuffer')}`, undefined, honest.body.token)).status).toBe(403);
    const removed = await api('DELETE', `/events/${event.id}/members/${await memberId('Stuffer')}`, undefined, chair.body.token);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ discardedVotes: 0 });
    expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 10_000))])).toBe(true);

    expect((await api('GET', `/events/${event.id}/state`, undefined, stuffer.body.token)).status).toBe(403);
    expect((await api('POST', `/events/${event.id}/polls/${poll}/votes`, { value: 1 }, stuffer.body.token)).status).toBe(403);
    const back = await fetch(`${server.url}/api/v1/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stuffer.body.token}`, ...from('10.3.0.1') },
      body: JSON.stringify({ code: event.code, name: 'Stuffer again' })
    });
    expect(back.status).toBe(403);
    expect((await back.json()).error.message).toBe('You were removed from this event.');
    // The chair's removal kept the vote; an organiser's removal may discard it.
    expect((await api('GET', `/events/${event.id}/polls/${poll}/results`, undefined, org)).body).toMatchObject({ counts: [3, 0], total: 3 });
    const discarded = await api('DELETE', `/events/${event.id}/members/${await memberId('Other')}?discardVotes=true`, undefined, org);
    expect(discarded.body).toMatchObject({ discardedVotes: 1 });
    expect((await api('GET', `/events/${event.id}/polls/${poll}/results`, undefined, org)).body).toMatchObject({ counts: [2, 0], total: 2 });
    const names = (await members()).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['Chair', 'Honest']));
    expect(names).not.toEqual(expect.arrayContaining(['Stuffer']));
    expect(names).toHaveLength(3);
    // The chair cannot remove the organiser, nor anyone themselves.
    const organiserId = (await members()).find((m) => !['Chair', 'Honest'].includes(m.name))!.id;
    expect((await api('DELETE', `/events/${event.id}/members/${organiserId}`, undefined, chair.body.token)).status).toBe(403);
    expect((await api('DELETE', `/events/${event.id}/members/${organiserId}`, undefined, org)).status).toBe(409);
  });
});

describe('the HTTP server', () => {
  it('serves the next request on a keep-alive connection after refusing a large body it did not read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: Buffer) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const headers = { ...from('10.0.0.1'), ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) };
        const req = httpRequest(`${server.url}${path}`, { method, agent, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const body = Buffer.from(JSON.stringify({ title: 'x'.repeat(300 * 1024), language: 'en' }));
    try {
      expect((await send('POST', '/api/v1/events', body)).status).toBe(401);
      const next = await Promise.race([send('GET', '/api/v1/openapi.json'), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
      expect(next).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('ends a request whose body never arrives after the request timeout, while live streams stay open for longer', async () => {
    const event = await createEvent('Timeout day');
    const stream = await fetch(`${server.url}/api/v1/events/${event.id}/stream`, { headers: { authorization: `Bearer ${org}`, ...from('10.0.0.1') } });
    const reader = stream.body!.getReader();
    await reader.read();

    // A client sends the headers of a POST and then nothing (KENNISDAG_REQUEST_TIMEOUT is 3 s here).
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text || 'closed without an answer'));
      socket.write('POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 10.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
      setTimeout(() => {
        resolve('still waiting after 12 s');
        socket.destroy();
      }, 12_000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);

    // The stream, open all this time, still delivers.
    await api('PUT', `/events/${event.id}`, { title: 'Timeout day, renamed', language: 'en' }, org);
    const decoder = new TextDecoder();
    let seen = '';
    while (!seen.includes('"table":"events"')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      seen += decoder.decode(value);
    }
    await reader.cancel();
  }, 60_000);

  it('queues thousands of connections at once (listen backlog above 511)', () => {
    const port = new URL(server.url).port;
    const line = execFileSync('ss', ['-Hltn', `sport = :${port}`]).toString().trim();
    // For a listening socket, ss shows the accept queue's size in Send-Q.
    const backlog = Number(line.split(/\s+/)[2]);
    expect(backlog).toBeGreaterThanOrEqual(2048);
  });

  it('sends a Content-Security-Policy with nonces and no framing on pages, and none-at-all on other answers', async () => {
    const page = await fetch(`${server.url}/signin`, { headers: from('10.0.0.1') });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toMatch(/object-src 'none'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(await page.text()).toContain(`nonce="${nonce}"`);
    const json = await fetch(`${server.url}/api/v1/openapi.json`, { headers: from('10.0.0.1') });
    expect(json.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
  });
});

describe('trusting X-Forwarded-For', () => {
  let direct: TestServer;
  beforeAll(async () => {
    direct = await startServer({ KENNISDAG_JOINS_PER_ADDRESS: '5' });
  }, 300_000);
  afterAll(() => direct?.stop());

  it('only when ADDRESS_HEADER says so: a client cannot reset its limit by naming another address', async () => {
    const directApi = apiClient(direct.url);
    const token = (await directApi('POST', '/auth/sign-in', organiser)).body.token;
    const { code } = (await directApi('POST', '/events', { title: 'Direct', language: 'en' }, token)).body;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await fetch(`${direct.url}/api/v1/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.7.0.${i}`, 'x-kennisdag-device': crypto.randomUUID() },
        body: JSON.stringify({ code, name: `Spoofer ${i}` })
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

describe('stopping', () => {
  it('closes the HTTP server, then the embedded database, then exits on SIGTERM', async () => {
    const own = await startServer();
    const ownApi = apiClient(own.url);
    const token = (await ownApi('POST', '/auth/sign-in', organiser)).body.token;
    expect((await ownApi('POST', '/events', { title: 'Written out', language: 'en' }, token)).status).toBe(201);
    const exit = new Promise<number | null>((resolve) => {
      const check = setInterval(() => {
        try {
          process.kill(own.pid, 0);
        } catch {
          clearInterval(check);
          resolve(0);
        }
      }, 50);
    });
    process.kill(own.pid, 'SIGTERM');
    await exit;
    // pg_control's state (a 32-bit field after the system identifier and two version numbers) is 1
    // ("shut down") only after a clean shutdown; a process that just exits leaves 6 ("in production").
    const control = readFileSync(join(own.dataDir, 'pgdata', 'global', 'pg_control'));
    expect(control.readInt32LE(16)).toBe(1);
    await own.stop();
  }, 120_000);
});
