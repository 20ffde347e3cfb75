import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlencoded } from '../helpers/forms';
import { type Api, startServerWithOrganiser, type TestServer } from '../helpers/server';

/**
 * A hall of 2,000 behind one venue NAT types the code at the same moment, with the default limits:
 * start page, join page, join, as a phone without JavaScript does it, and one in ten mistypes the
 * code first. Every phone gets in.
 */
const phones = 2_000;

describe('a typed-code burst of 2,000 phones from one address', () => {
  let server: TestServer;
  let api: Api;
  let eventId: string;
  let code: string;
  let org: string;

  beforeAll(async () => {
    ({ server, api, token: org } = await startServerWithOrganiser());
    ({ id: eventId, code } = (await api('POST', '/events', { title: 'Full hall', language: 'en' }, org)).body);
  }, 300_000);
  afterAll(() => server?.stop());

  it('lets every phone join', async () => {
    const post = (path: string, form: Record<string, string>, cookie: string) =>
      fetch(server.url + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        body: urlencoded(form)
      });
    const cookieOf = (response: Response, jar: string) => {
      const set = response.headers.getSetCookie().map((c) => c.split(';')[0]);
      return [...jar.split('; ').filter((c) => c && !set.some((s) => s.split('=')[0] === c.split('=')[0])), ...set].join('; ');
    };

    async function phone(i: number): Promise<string> {
      let jar = '';
      if (i % 10 === 0) {
        const wrong = await post('/?/join', { code: 'ZZZZZZ' }, jar);
        if (wrong.status !== 404) return `mistype answered ${wrong.status}`;
        jar = cookieOf(wrong, jar);
        await wrong.arrayBuffer();
      }
      const start = await post('/?/join', { code }, jar);
      if (start.status !== 303) return `start page answered ${start.status}`;
      jar = cookieOf(start, jar);
      const page = await fetch(server.url + start.headers.get('location')!, { headers: { cookie: jar } });
      await page.arrayBuffer();
      if (page.status !== 200) return `join page answered ${page.status}`;
      const joined = await post(`/join/${code}`, { name: `Phone ${i}` }, jar);
      if (joined.status !== 303 || joined.headers.get('location') !== `/m/${eventId}`) return `join answered ${joined.status}`;
      return 'joined';
    }

    const results = await Promise.all(Array.from({ length: phones }, (_, i) => phone(i).catch((e: Error) => `failed: ${e.message}`)));
    const tally: Record<string, number> = {};
    for (const r of results) tally[r] = (tally[r] ?? 0) + 1;
    expect(tally).toEqual({ joined: phones });
    const room = await api('GET', `/events/${eventId}/room`, undefined, org);
    expect(room.body.participants).toBe(phones);
  }, 600_000);
});
