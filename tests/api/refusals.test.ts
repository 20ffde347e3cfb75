import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startServerWithOrganiser, type TestServer } from '../helpers/server';

/**
 * The API's refusals keep their shape ({error: {code, message}}) and speak the event's language when
 * the address names an event, else the request's (English when it says nothing): refusals of the
 * input schemas and of the SQL functions alike.
 */
describe('refusals in the event’s or the request’s language', () => {
  let server: TestServer;
  let api: Api;
  let token: string;
  const events: Record<'nl' | 'en', string> = { nl: '', en: '' };
  let dutchCode = '';

  beforeAll(async () => {
    ({ server, api, token } = await startServerWithOrganiser());
    for (const language of ['nl', 'en'] as const) {
      const created = (await api('POST', '/events', { title: `Day ${language}`, language }, token)).body;
      events[language] = created.id;
      if (language === 'nl') dutchCode = created.code;
    }
  }, 300_000);
  afterAll(() => server?.stop());

  it.each([
    ['nl', 'De stelling is leeg.', 'Alleen de stelling in bespreking kan worden afgerond.'],
    ['en', 'The thesis is empty.', 'Only the thesis under discussion can be finished.']
  ] as const)('says a %s event’s refusals in its language', async (language, empty, finish) => {
    const refused = await api('POST', `/events/${events[language]}/theses`, { text: '   ' }, token);
    expect(refused).toEqual({ status: 400, body: { error: { code: 'invalid_input', message: empty } } });
    const thesis = (await api('POST', `/events/${events[language]}/theses`, { text: 'A thesis' }, token)).body;
    const conflict = await api('POST', `/events/${events[language]}/theses/${thesis.id}/finish`, {}, token);
    expect(conflict).toEqual({ status: 409, body: { error: { code: 'conflict', message: finish } } });
  });

  it('says a refusal without an event in the request’s language, English when it names none', async () => {
    const english = await fetch(`${server.url}/api/v1/join/ZZZZZZ`);
    expect((await english.json()).error).toEqual({ code: 'not_found', message: 'No event has this code.' });
    const dutch = await fetch(`${server.url}/api/v1/join/ZZZZZZ`, { headers: { 'accept-language': 'nl-NL,nl;q=0.9' } });
    expect((await dutch.json()).error).toEqual({ code: 'not_found', message: 'Er is geen evenement met deze code.' });
  });

  it('says it on the pages too: an unknown code on the start page, in the browser’s language', async () => {
    const response = await fetch(`${server.url}/join/ZZZZZZ`, { headers: { 'accept-language': 'nl' } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('Er is geen evenement met deze code.');
  });

  it('says a refused page or download with the refusal’s status and in the reader’s language', async () => {
    const dutch = { 'accept-language': 'nl' };
    for (const path of ['/r/nergens', '/r/nergens/download/pdf']) {
      const response = await fetch(`${server.url}${path}`, { headers: dutch });
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toContain('Dit verslag bestaat niet of is niet gepubliceerd.');
    }
    const elsewhere = await fetch(`${server.url}/e/00000000-0000-4000-8000-000000000000/invitations`, { headers: { ...dutch, authorization: `Bearer ${token}` } });
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).toContain('Het evenement bestaat niet (meer).');
  });

  it('gives an event page the event’s language, <html lang> included, unless the reader chose another', async () => {
    const page = async (query: string) => (await fetch(`${server.url}/join/${dutchCode}${query}`, { headers: { 'accept-language': 'en-GB' } })).text();
    const dutch = await page('');
    expect(dutch).toContain('<html lang="nl">');
    expect(dutch).toContain('Doe mee met “Day nl”');
    const english = await page('?lang=en');
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('Join “Day nl”');
  });
});
