import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, operationIds, organiser, startServerWithOrganiser, type TestServer } from '../helpers/server';

let server: TestServer;
let api: Api;
let org: string;
let eventId: string;
let code: string;

const join = async (name: string, device = crypto.randomUUID()) => {
  const response = await fetch(`${server.url}/api/v1/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kennisdag-device': device },
    body: JSON.stringify({ code, name, organisation: 'Org', role: 'Tester', listed: true })
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; participantId: string; eventId: string };
};

beforeAll(async () => {
  ({ server, api, token: org } = await startServerWithOrganiser());
  const created = await api('POST', '/events', { title: 'API day', date: '2026-11-25', language: 'en', question: 'Does it work?' }, org);
  expect(created.status).toBe(201);
  ({ id: eventId, code } = created.body);
}, 300_000);
afterAll(() => server?.stop());

describe('the OpenAPI document', () => {
  it('describes every operation the day needs, with request fields', async () => {
    const { status, body } = await api('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const ids = operationIds(body);
    for (const id of ['signIn', 'createEvent', 'importEvent', 'exportEvent', 'joinEvent', 'getEventState', 'submitThesis', 'moderateThesis', 'startAgendaItem', 'startThesis', 'finishThesis', 'endDiscussion', 'openPoll', 'closePoll', 'castVote', 'getPollResults', 'addNote', 'streamEvent']) {
      expect(ids).toContain(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    const vote = body.paths['/api/v1/events/{eventId}/polls/{pollId}/votes'].post;
    expect(Object.keys(vote.requestBody.content['application/json'].schema.properties)).toEqual(['value', 'idempotencyKey']);
  });
});

describe('sign-in and joining', () => {
  it('refuses a wrong password with 401 and a malformed address with 400', async () => {
    expect((await api('POST', '/auth/sign-in', { ...organiser, password: 'wrong' })).status).toBe(401);
    const bad = await api('POST', '/auth/sign-in', { email: 'not-an-address', password: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/e-mail/i);
  });

  it('joins by code and reuses the device session when it joins again', async () => {
    const first = await join('Pat');
    expect(first.eventId).toBe(eventId);
    const again = await fetch(`${server.url}/api/v1/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${first.token}` },
      body: JSON.stringify({ code: code.toLowerCase(), name: 'Pat Again', organisation: '', role: '', listed: false })
    });
    expect((await again.json()).participantId).toBe(first.participantId);
    expect((await api('GET', `/join/${code}`)).body).toMatchObject({ id: eventId, title: 'API day' });
    expect((await api('GET', '/join/ZZZZZZ')).status).toBe(404);
    expect((await api('POST', '/join', { code: 'ZZZZZZ', name: 'Nobody' })).status).toBe(404);
    expect((await api('POST', '/join', { code, name: '' })).status).toBe(400);
  });

  it('gives a phone a token that lasts the day (30 days) and says when it expires; there is nothing to refresh', async () => {
    const joined = await join('Della');
    const expiresAt = (joined as unknown as { expiresAt: number }).expiresAt;
    expect(expiresAt).toBeGreaterThanOrEqual(Date.now() / 1000 + 29 * 24 * 3600);
    expect(joined).not.toHaveProperty('refreshToken');
    const refresh = await api('POST', '/auth/refresh', { refreshToken: 'anything' });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error.message).toMatch(/last 30 days/);
    expect((await api('POST', '/auth/refresh', {})).status).toBe(400);
  });

  it('limits joins per device, not per address', async () => {
    const device = crypto.randomUUID();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const r = await fetch(`${server.url}/api/v1/join/${code}`, { headers: { 'x-kennisdag-device': device } });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another phone behind the same address is not affected.
    expect((await fetch(`${server.url}/api/v1/join/${code}`, { headers: { 'x-kennisdag-device': crypto.randomUUID() } })).status).toBe(200);
  });
});

describe('a thesis session through the API', () => {
  it('runs agenda, theses, a poll, votes, notes and the end of the discussion, with the denials on the way', async () => {
    const phone = await join('Phone');
    const other = await join('Other');

    const item = await api('POST', `/events/${eventId}/agenda`, { title: 'Round table', kind: 'discussion', plannedMinutes: 60 }, org);
    expect(item.status).toBe(201);
    expect((await api('POST', `/events/${eventId}/agenda`, { title: 'Nope' }, phone.token)).status).toBe(403);
    expect((await api('POST', `/events/${eventId}/agenda/${item.body.id}/start`, {}, org)).status).toBe(200);
    expect((await api('POST', `/events/${eventId}/agenda/${item.body.id}/start`, {}, phone.token)).status).toBe(403);

    const submitted = await api('POST', `/events/${eventId}/theses`, { text: 'Remote work is here to stay.', idempotencyKey: 'phone-1' }, phone.token);
    expect(submitted.status).toBe(201);
    expect(submitted.body.status).toBe('submitted');
    const resent = await api('POST', `/events/${eventId}/theses`, { text: 'Remote work is here to stay.', idempotencyKey: 'phone-1' }, phone.token);
    expect(resent.body.id).toBe(submitted.body.id);
    const thesisId = submitted.body.id;
    expect((await api('PATCH', `/events/${eventId}/theses/${thesisId}`, { text: 'Remote work is here to stay!' }, phone.token)).status).toBe(200);
    expect((await api('PATCH', `/events/${eventId}/theses/${thesisId}`, { text: 'Hijack' }, other.token)).status).toBe(403);
    expect((await api('POST', `/events/${eventId}/theses/${thesisId}/moderate`, { status: 'approved' }, phone.token)).status).toBe(403);
    expect((await api('POST', `/events/${eventId}/theses/${thesisId}/moderate`, { status: 'approved', position: 0 }, org)).body.status).toBe('approved');
    const second = await api('POST', `/events/${eventId}/theses`, { text: 'Offices are for meeting.' }, org);
    expect((await api('POST', `/events/${eventId}/theses/order`, { ids: [second.body.id, thesisId] }, org)).status).toBe(200);
    expect((await api('POST', `/events/${eventId}/theses/${thesisId}/move`, { position: 0 }, org)).status).toBe(200);

    expect((await api('POST', `/events/${eventId}/theses/${thesisId}/start`, {}, phone.token)).status).toBe(403);
    expect((await api('POST', `/events/${eventId}/theses/${thesisId}/start`, {}, org)).body.status).toBe('in_discussion');
    expect((await api('POST', `/events/${eventId}/polls`, { thesisId, kind: 'agree5' }, phone.token)).status).toBe(403);
    const poll = await api('POST', `/events/${eventId}/polls`, { thesisId, kind: 'agree5' }, org);
    expect(poll.status).toBe(201);
    const pollId = poll.body.id;

    expect((await api('GET', `/events/${eventId}/polls/${pollId}/results`, undefined, phone.token)).status).toBe(403);
    expect((await api('POST', `/events/${eventId}/polls/${pollId}/votes`, { value: 4, idempotencyKey: 'v1' }, phone.token)).status).toBe(200);
    expect((await api('POST', `/events/${eventId}/polls/${pollId}/votes`, { value: 3 }, phone.token)).status).toBe(200);
    expect((await api('POST', `/events/${eventId}/polls/${pollId}/votes`, { value: 0 }, other.token)).status).toBe(200);
    expect((await api('POST', `/events/${eventId}/polls/${pollId}/votes`, { value: 9 }, other.token)).status).toBe(400);
    expect((await api('POST', `/events/${eventId}/polls/${pollId}/votes`, { value: 1 })).status).toBe(401);
    expect((await api('GET', `/events/${eventId}/polls/${pollId}/results`, undefined, phone.token)).body).toMatchObject({ counts: [1, 0, 0, 1, 0], total: 2 });
    expect((await api('GET', `/events/${eventId}/polls/${pollId}/results`, undefined, org)).body).toMatchObject({ counts: [1, 0, 0, 1, 0], total: 2 });
    const state = await api('GET', `/events/${eventId}/state`, undefined, phone.token);
    expect(state.body.openPoll).toMatchObject({ id: pollId, status: 'open', myVote: { optionIndex: 3 } });
    expect(state.body.currentThesis).toMatchObject({ id: thesisId });

    expect((await api('POST', `/events/${eventId}/polls/${pollId}/close`, {}, phone.token)).status).toBe(403);
    expect((await api('POST', `/events/${eventId}/polls/${pollId}/close`, {}, org)).body.status).toBe('closed');
    expect((await api('POST', `/events/${eventId}/polls/${pollId}/votes`, { value: 2 }, phone.token)).status).toBe(409);
    expect((await api('POST', `/events/${eventId}/polls/${pollId}/reveal`, {}, org)).status).toBe(200);

    const note = await api('POST', `/events/${eventId}/notes`, { thesisId, kind: 'quote', text: 'We never go back.', speaker: 'Pat' }, org);
    expect(note.status).toBe(201);
    expect((await api('POST', `/events/${eventId}/notes`, { thesisId, kind: 'note', text: 'Mine' }, phone.token)).status).toBe(403);
    expect((await api('GET', `/events/${eventId}/notes`, undefined, phone.token)).status).toBe(403);
    expect((await api('PUT', `/events/${eventId}/notes/${note.body.id}`, { kind: 'conclusion', text: 'Nobody goes back.' }, org)).body.kind).toBe('conclusion');
    expect((await api('GET', `/events/${eventId}/notes`, undefined, org)).body).toHaveLength(1);

    expect((await api('POST', `/events/${eventId}/theses/${thesisId}/finish`, {}, org)).body.status).toBe('discussed');
    expect((await api('POST', `/events/${eventId}/end-discussion`, {}, phone.token)).status).toBe(403);
    expect((await api('POST', `/events/${eventId}/end-discussion`, {}, org)).body).toEqual({ notDiscussed: 1 });
    expect((await api('DELETE', `/events/${eventId}/notes/${note.body.id}`, undefined, org)).status).toBe(200);

    const exported = await api('GET', `/events/${eventId}/export`, undefined, org);
    expect(exported.body.theses.map((t: { status: string }) => t.status)).toEqual(['discussed', 'not_discussed']);
    expect((await api('GET', `/events/${eventId}/export`, undefined, phone.token)).status).toBe(403);
  });

  it('answers 404 for an item of another event at this event’s address', async () => {
    const otherEvent = await api('POST', '/events', { title: 'Other', date: '2026-11-26', language: 'nl' }, org);
    const foreign = await api('POST', `/events/${otherEvent.body.id}/theses`, { text: 'Elders' }, org);
    expect((await api('POST', `/events/${eventId}/theses/${foreign.body.id}/start`, {}, org)).status).toBe(404);
    const poll = await api('POST', `/events/${otherEvent.body.id}/polls`, { thesisId: foreign.body.id }, org);
    expect((await api('POST', `/events/${eventId}/polls/${poll.body.id}/votes`, { value: 1 }, org)).status).toBe(404);
  });

  it('imports an archive, and names the first wrong field of a bad one with nothing half-imported', async () => {
    const good = { format: 'kennisdag/event-archive@1', event: { title: 'Imported', date: '2026-01-02', language: 'nl' }, theses: [{ text: 'Eén' }] };
    const imported = await api('POST', '/events/import', good, org);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ id: expect.any(String), code: expect.stringMatching(/^[A-Z2-9]{6}$/) });
    const before = (await api('GET', '/events', undefined, org)).body.length;
    const bad = await api('POST', '/events/import', { ...good, theses: [{ text: 'ok' }, { text: 'Twee', status: 'maybe' }] }, org);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^theses\.1\.status must be one of/);
    const missing = await api('POST', '/events/import', { event: { title: 'x', language: 'en' } }, org);
    expect(missing.body.error.message).toBe('event.date is missing.');
    expect((await api('POST', '/events/import', '{not json', org)).status).toBe(400);
    expect((await api('GET', '/events', undefined, org)).body.length).toBe(before);
    const phone = await join('Importer');
    expect((await api('POST', '/events/import', good, phone.token)).status).toBe(403);
  });
});

/** A NUL character in every text field an operation takes: PostgreSQL cannot store it (SQLSTATE 22021). */
const nul = 'text\u0000with a NUL';
const nulInEveryField = JSON.stringify(
  Object.fromEntries(
    ['text', 'name', 'title', 'question', 'venue', 'organisation', 'role', 'jobTitle', 'speaker', 'markdown', 'value', 'email', 'password', 'code', 'idempotencyKey', 'photosUrl', 'kind', 'status'].map((k) => [k, nul])
  )
);
const depth = 100_000;
const deepObject = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepArray = '['.repeat(depth) + ']'.repeat(depth);
const deepArchive = `{"format":"kennisdag/event-archive@1","event":{"title":"Deep","date":"2026-01-02","language":"en","x":${deepArray}}}`;
const invalidUtf8 = new Uint8Array([...new TextEncoder().encode('{"text":"'), 0xff, 0xfe, 0xc3, ...new TextEncoder().encode('","name":"x","title":"x"}')]);

describe('bad input never gets a 500', () => {
  it('answers garbage to every operation with a 4xx and a JSON error', async () => {
    const { body: spec } = await api('GET', '/openapi.json');
    const phone = await join('Fuzzer');
    const garbage: unknown[] = [
      '', '{', 'null', '[]', '"text"', '42',
      JSON.stringify({ value: { nested: true }, text: 7, kind: 'nonsense', ids: 'x', status: [], options: 5, email: 1, title: null, date: 'yesterday', language: 'fr', code: '!!!', thesisId: 'x', agendaItemId: 12, position: -5, markdown: 3, format: 'exe' }),
      nulInEveryField, deepObject, deepArray, deepArchive, invalidUtf8
    ];
    const ids = ['not-a-uuid', '00000000-0000-4000-8000-000000000000', eventId];
    const failures: string[] = [];
    // A session of its own, and signing out last: a well-formed body to signOut ends the session.
    const fuzzer = (await api('POST', '/auth/sign-in', organiser)).body.token;
    const paths = Object.entries(spec.paths as Record<string, Record<string, { operationId: string }>>).sort(([a], [b]) => Number(a.endsWith('/sign-out')) - Number(b.endsWith('/sign-out')));
    for (const [path, item] of paths) {
      for (const [method, operation] of Object.entries(item)) {
        if (operation.operationId === 'streamEvent') continue;
        for (const id of ids) {
          const url = path.replace('/api/v1', '').replace(/\{eventId\}/g, eventId).replace(/\{\w+\}/g, id);
          for (const token of [undefined, phone.token, fuzzer]) {
            for (const body of method === 'get' || method === 'delete' ? [undefined] : garbage) {
              const { status, body: answer } = await api(method.toUpperCase(), url, body as string | undefined, token);
              if (status >= 500 || (status >= 400 && !(answer as { error?: { message?: string } })?.error?.message)) {
                failures.push(`${operation.operationId} ${method} ${url} ${String(body).slice(0, 30)} → ${status}`);
              }
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('answers a body over the size limit with 413 for every operation that takes one', async () => {
    const { body: spec } = await api('GET', '/openapi.json');
    const huge = `{"text":"${'a'.repeat(11 * 1024 * 1024)}"}`;
    const failures: string[] = [];
    for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, { operationId: string }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'get' || method === 'delete') continue;
        const url = path.replace('/api/v1', '').replace(/\{eventId\}/g, eventId).replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
        const { status, body } = await api(method.toUpperCase(), url, huge, org);
        if (status !== 413 || !body?.error?.message) failures.push(`${operation.operationId} ${method} ${url} → ${status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('answers a malformed percent-encoding in a path or query with a 4xx and a JSON error', async () => {
    const { body: spec } = await api('GET', '/openapi.json');
    const failures: string[] = [];
    const check = async (method: string, url: string) => {
      const { status, body } = await api(method, url, method === 'GET' || method === 'DELETE' ? undefined : '{}', org);
      if (status >= 500 || status < 400 || !body?.error?.message) failures.push(`${method} ${url} → ${status}`);
    };
    await check('GET', '/join/%25');
    expect((await api('GET', '/join/%25')).status).toBe(400);
    for (const [path, item] of Object.entries(spec.paths as Record<string, Record<string, { operationId: string }>>)) {
      if (!path.includes('{')) continue;
      for (const method of Object.keys(item)) {
        for (const bad of ['%25', '%E0%A4%A', '%00', '%C0%AF']) await check(method.toUpperCase(), path.replace('/api/v1', '').replace(/\{\w+\}/, bad));
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('refuses a NUL character in a JSON body or query at the edge, in the event’s language, and stores nothing', async () => {
    const dutch = await api('POST', '/events', { title: 'Nachtdag', date: '2026-11-26', language: 'nl' }, org);
    const phone = await fetch(`${server.url}/api/v1/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: dutch.body.code, name: 'Piet' })
    }).then((r) => r.json());
    const thesis = await api('POST', `/events/${dutch.body.id}/theses`, { text: `Stelling ${nul}` }, phone.token);
    expect(thesis.status).toBe(400);
    expect(thesis.body.error.message).toMatch(/NUL-teken/);
    const english = await api('POST', `/events/${eventId}/theses`, { text: `Thesis ${nul}` }, org);
    expect(english.status).toBe(400);
    expect(english.body.error.message).toMatch(/NUL character/);
    expect((await api('PUT', `/events/${dutch.body.id}`, { title: `Titel ${nul}`, language: 'nl' }, org)).status).toBe(400);
    expect((await api('POST', '/join', { code: dutch.body.code, name: `Jan ${nul}` })).status).toBe(400);
    expect((await api('GET', `/events/${dutch.body.id}/state?x=${encodeURIComponent(nul)}`, undefined, org)).status).toBe(400);
    const state = await api('GET', `/events/${dutch.body.id}/state`, undefined, org);
    expect(state.body.event.title).toBe('Nachtdag');
    expect(state.body.theses).toEqual([]);
    const names = (await api('GET', `/events/${dutch.body.id}/members`, undefined, org)).body.map((m: { name: string }) => m.name);
    expect(names).toHaveLength(2);
    expect(names).toContain('Piet');
  });

  it('refuses an archive nested 100,000 levels deep, or with a property the format does not have, before it reaches the database', async () => {
    const before = (await api('GET', '/events', undefined, org)).body.length;
    const deep = await api('POST', '/events/import', deepArchive, org);
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/nested/i);
    const unknown = await api('POST', '/events/import', { format: 'kennisdag/event-archive@1', event: { title: 'x', date: '2026-01-02', language: 'en' }, theses: [{ text: 'a', colour: 'red' }] }, org);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('theses.0.colour is not part of an event archive.');
    expect((await api('GET', '/events', undefined, org)).body.length).toBe(before);
    // What the server exports, it imports again.
    const exported = await api('GET', `/events/${eventId}/export`, undefined, org);
    expect((await api('POST', '/events/import', exported.body, org)).status).toBe(201);
  });

  it('refuses invalid UTF-8 in a body with a 400 that says so', async () => {
    const answer = await api('POST', `/events/${eventId}/theses`, invalidUtf8, org);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/UTF-8/);
  });
});
