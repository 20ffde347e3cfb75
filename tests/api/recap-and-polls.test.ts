import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startServerWithOrganiser, type TestServer } from '../helpers/server';

let server: TestServer;
let api: Api;
let org: string;
let eventId: string;
let code: string;

beforeAll(async () => {
  ({ server, api, token: org } = await startServerWithOrganiser());
  ({ id: eventId, code } = (await api('POST', '/events', { title: 'Versions day', date: '2026-11-25', language: 'en' }, org)).body);
}, 300_000);
afterAll(() => server?.stop());

const page = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${org}` } });

describe('recap versions through the API', () => {
  it('refuses with 409 to save edits on top of a version that is no longer the newest', async () => {
    const draft = (await api('POST', `/events/${eventId}/recaps`, { engine: 'builtin' }, org)).body;
    const newer = await api('PUT', `/events/${eventId}/recaps/${draft.recapId}`, { recapId: draft.recapId, markdown: '# Versions day\n\nFrom another tab.' }, org);
    expect(newer.status).toBe(200);
    const stale = await api('PUT', `/events/${eventId}/recaps/${draft.recapId}`, { recapId: draft.recapId, markdown: '# Versions day\n\nMine.' }, org);
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(new RegExp(`newer version \\(v${newer.body.version}\\)`));
    const versions = (await api('GET', `/events/${eventId}/recaps`, undefined, org)).body;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([newer.body.version, draft.version]);
  });

  it('answers 404 on the recap page for a version that is not an id, does not exist or belongs to another event', async () => {
    const other = (await api('POST', '/events', { title: 'Other day', date: '2026-11-26', language: 'en' }, org)).body;
    const foreign = (await api('POST', `/events/${other.id}/recaps`, { engine: 'builtin' }, org)).body;
    for (const version of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', foreign.recapId, '%00']) {
      const response = await page(`/e/${eventId}/recap?version=${version}`);
      expect(response.status, version).toBe(404);
    }
    expect((await page(`/e/${eventId}/recap`)).status).toBe(200);
  });

  it('publishes the recap of an accented title at an address without the accents, and names its files as the address starts', async () => {
    const cafe = (await api('POST', '/events', { title: "Café de l'Europe: één dag", date: '2026-11-25', language: 'nl' }, org)).body;
    const draft = (await api('POST', `/events/${cafe.id}/recaps`, { engine: 'builtin' }, org)).body;
    const published = await api('POST', `/events/${cafe.id}/recaps/${draft.recapId}/publish`, { recapId: draft.recapId }, org);
    expect(published.status).toBe(200);
    expect(published.body.slug).toMatch(/^cafe-de-l-europe-een-dag-[0-9a-f]{8}$/);
    expect(published.body.url).toMatch(new RegExp(`/r/${published.body.slug}$`));
    const titlePart = 'cafe-de-l-europe-een-dag';
    const fileName = (response: Response) => /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];

    // Anyone with the address downloads the PDF and the DOCX; the organiser exports every format.
    for (const format of ['pdf', 'docx']) {
      const download = await fetch(`${server.url}/r/${published.body.slug}/download/${format}`);
      expect(download.status, format).toBe(200);
      expect(fileName(download)).toBe(`${titlePart}.${format}`);
    }
    for (const format of ['pdf', 'docx', 'md']) {
      const exported = await page(`/api/v1/events/${cafe.id}/recaps/${draft.recapId}/export?format=${format}`);
      expect(exported.status, format).toBe(200);
      expect(fileName(exported)).toBe(`${titlePart}.${format}`);
    }
    expect(fileName(await page(`/api/v1/events/${cafe.id}/results.csv`))).toBe(`${titlePart}-results.csv`);
  });
});

describe('members and polls through the API', () => {
  it('does not list a member added without “listed”', async () => {
    const added = await api('POST', `/events/${eventId}/members`, { name: 'Quiet Guest' }, org);
    expect(added.status).toBe(201);
    const members = (await api('GET', `/events/${eventId}/members`, undefined, org)).body;
    expect(members.find((m: { name: string }) => m.name === 'Quiet Guest')).toMatchObject({ listed: false });
  });

  it('refuses to open a poll over an open one unless told to close it, and keeps every vote', async () => {
    const thesis = (await api('POST', `/events/${eventId}/theses`, { text: 'Agendas make meetings shorter.' }, org)).body;
    await api('POST', `/events/${eventId}/theses/${thesis.id}/start`, {}, org);
    const first = await api('POST', `/events/${eventId}/polls`, { thesisId: thesis.id, kind: 'agree5', phase: 'before' }, org);
    expect(first.status).toBe(201);
    const phone = await fetch(`${server.url}/api/v1/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kennisdag-device': crypto.randomUUID() },
      body: JSON.stringify({ code, name: 'Voter' })
    });
    const { token } = await phone.json();
    expect((await api('POST', `/events/${eventId}/polls/${first.body.id}/votes`, { value: 4 }, token)).status).toBe(200);

    const refused = await api('POST', `/events/${eventId}/polls`, { thesisId: thesis.id, kind: 'agree5', phase: 'after' }, org);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/already open/);
    expect((await api('GET', `/events/${eventId}/state`, undefined, token)).body.openPoll).toMatchObject({ id: first.body.id, myVote: { optionIndex: 4 } });

    const second = await api('POST', `/events/${eventId}/polls`, { thesisId: thesis.id, kind: 'agree5', phase: 'after', closeOpen: true }, org);
    expect(second.status).toBe(201);
    expect((await api('GET', `/events/${eventId}/polls/${first.body.id}/results`, undefined, org)).body).toMatchObject({ status: 'closed', counts: [0, 0, 0, 0, 1], total: 1 });
    const spec = (await api('GET', '/openapi.json')).body;
    expect(Object.keys(spec.paths['/api/v1/events/{eventId}/polls'].post.requestBody.content['application/json'].schema.properties)).toContain('closeOpen');
  });
});
