import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startServerWithOrganiser, type TestServer } from '../helpers/server';

/** The event glossary through the JSON API: set, read, refused in the event's language, used by the draft. */
let server: TestServer;
let api: Api;
let org: string;
let eventId: string;
let code: string;

const archive = JSON.parse(readFileSync(new URL('../fixtures/terse-notes.nl.json', import.meta.url), 'utf8'));

beforeAll(async () => {
  ({ server, api, token: org } = await startServerWithOrganiser());
  const imported = await api('POST', '/events/import', archive, org);
  expect(imported.status).toBe(201);
  ({ id: eventId, code } = imported.body);
}, 300_000);
afterAll(() => server?.stop());

describe('the event glossary', () => {
  it('is set and read by the organiser, and the draft writes its terms out', async () => {
    const before = await api('POST', `/events/${eventId}/recaps`, { engine: 'builtin' }, org);
    expect(before.status).toBe(201);
    expect(before.body.markdown).toMatch(/\bSM\b|\bsm\b/);

    const set = await api('PUT', `/events/${eventId}/glossary`, { terms: 'SM = sociale media\nAVG = Algemene verordening gegevensbescherming' }, org);
    expect(set.status).toBe(200);
    expect(set.body.terms).toEqual([
      { term: 'SM', expansion: 'sociale media' },
      { term: 'AVG', expansion: 'Algemene verordening gegevensbescherming' }
    ]);
    expect((await api('GET', `/events/${eventId}/glossary`, undefined, org)).body).toEqual(set.body);

    const draft = await api('POST', `/events/${eventId}/recaps`, { engine: 'builtin' }, org);
    expect(draft.status).toBe(201);
    const discussion = draft.body.markdown.split('## De stellingen')[1];
    expect(discussion).toContain('Verbieden is oude denken: jongeren zien sociale media als normaal, deel van hun cultuur.');
    expect(discussion).toContain('Algemene verordening gegevensbescherming');
    expect(discussion).not.toMatch(/\bSM\b|\bsm\b|\bAVG\b/);
  });

  it('refuses a wrong line with a 400 in the event’s language and keeps the list it had', async () => {
    const bad = await api('PUT', `/events/${eventId}/glossary`, { terms: 'SM = sociale media\nKPN is een telecombedrijf' }, org);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Regel 2 heeft geen “=”: schrijf bijvoorbeeld “SM = sociale media”.');
    expect((await api('PUT', `/events/${eventId}/glossary`, { terms: [{ term: 'SM' }] }, org)).status).toBe(400);
    expect((await api('PUT', `/events/${eventId}/glossary`, '{nope', org)).status).toBe(400);
    expect((await api('GET', `/events/${eventId}/glossary`, undefined, org)).body.terms).toHaveLength(2);
  });

  it('is closed to participants and to callers without a token', async () => {
    const joined = await fetch(`${server.url}/api/v1/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kennisdag-device': crypto.randomUUID() },
      body: JSON.stringify({ code, name: 'Pia' })
    });
    const phone = (await joined.json()).token as string;
    expect((await api('GET', `/events/${eventId}/glossary`, undefined, phone)).status).toBe(403);
    expect((await api('PUT', `/events/${eventId}/glossary`, { terms: 'SM = iets anders' }, phone)).status).toBe(403);
    expect((await api('GET', `/events/${eventId}/glossary`)).status).toBe(401);
    expect((await api('GET', `/events/${eventId}/glossary`, undefined, org)).body.terms[0]).toEqual({ term: 'SM', expansion: 'sociale media' });
  });

  it('is described in the OpenAPI document', async () => {
    const { body } = await api('GET', '/openapi.json');
    const path = body.paths['/api/v1/events/{eventId}/glossary'];
    expect(path.get.operationId).toBe('getGlossary');
    expect(path.put.operationId).toBe('setGlossary');
    expect(Object.keys(path.put.requestBody.content['application/json'].schema.properties)).toEqual(['terms']);
  });
});
