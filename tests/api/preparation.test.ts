import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../helpers/files';
import { joinByApi } from '../helpers/screen';
import { type Api, operationIds, organiser, startServerWithOrganiser, type TestServer } from '../helpers/server';

/**
 * The chair's and the organiser's tools through the JSON API: what each accepts, what it refuses with
 * a sentence (a 4xx, never a 500), and who may call it.
 */
let server: TestServer;
let api: Api;
let org: string;
let event: { id: string; code: string };
let phone: { token: string; participantId: string };

const state = async () => (await api('GET', `/events/${event.id}/state`, undefined, org)).body;

beforeAll(async () => {
  ({ server, api, token: org } = await startServerWithOrganiser());
  event = (await api('POST', '/events', { title: 'Tools day', date: '2026-11-26', language: 'en' }, org)).body;
  phone = await joinByApi(server.url, event.code, 'Phone');
}, 300_000);
afterAll(() => server?.stop());

describe('the OpenAPI document', () => {
  it('describes the new operations', async () => {
    const { body } = await api('GET', '/openapi.json');
    const ids = operationIds(body);
    for (const id of ['addThesis', 'updateThesis', 'deleteThesis', 'upvoteThesis', 'sortQueueByUpvotes', 'preparePoll', 'openPreparedPoll', 'deletePreparedPoll', 'setCountdown', 'exportResults', 'joinPoster', 'getAccount', 'setAccountName']) {
      expect(ids, id).toContain(id);
    }
  });
});

describe('prepared theses', () => {
  it('are added with an author, corrected and deleted by the organiser; bad input is a 400 with a sentence', async () => {
    const added = await api('POST', `/events/${event.id}/queue`, { text: 'Prepared thesis.', authorName: 'Hanna' }, org);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ text: 'Prepared thesis.', status: 'approved' });
    for (const body of [{ text: '   ' }, { text: 'x'.repeat(1001) }, { text: 'Fine.', authorName: 'y'.repeat(201) }, { authorName: 'Nobody' }]) {
      const refused = await api('POST', `/events/${event.id}/queue`, body, org);
      expect(refused.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(refused.body.error.message).toMatch(/thesis|Author|text/i);
    }
    expect((await api('POST', `/events/${event.id}/queue`, { text: 'Mine.' }, phone.token)).status).toBe(403);

    const changed = await api('PUT', `/events/${event.id}/theses/${added.body.id}`, { text: 'Prepared, and corrected.', authorName: 'Hanna H.' }, org);
    expect(changed.status).toBe(200);
    expect((await state()).theses.find((t: { id: string }) => t.id === added.body.id)).toMatchObject({ text: 'Prepared, and corrected.', authorName: 'Hanna H.' });
    const other = (await api('POST', '/events', { title: 'Other', language: 'en' }, org)).body;
    expect((await api('PUT', `/events/${other.id}/theses/${added.body.id}`, { text: 'Elsewhere.' }, org)).status).toBe(404);
    expect((await api('DELETE', `/events/${event.id}/theses/${added.body.id}`, undefined, phone.token)).status).toBe(403);
    expect((await api('DELETE', `/events/${event.id}/theses/${added.body.id}`, undefined, org)).status).toBe(200);
    expect((await state()).theses.some((t: { id: string }) => t.id === added.body.id)).toBe(false);
  });
});

describe('prepared polls and the countdown', () => {
  it('keeps prepared polls as drafts, opens one only over an open poll when told to, and times it', async () => {
    const thesis = (await api('POST', `/events/${event.id}/queue`, { text: 'Polls can be prepared.' }, org)).body.id;
    const prepared = await api('POST', `/events/${event.id}/polls/prepared`, { thesisId: thesis, kind: 'choice', options: ['A', 'B'], question: 'Which?' }, org);
    expect(prepared.status).toBe(201);
    expect(prepared.body).toMatchObject({ status: 'draft', options: ['A', 'B'], question: 'Which?' });
    expect((await api('POST', `/events/${event.id}/polls/prepared`, { thesisId: thesis, kind: 'choice', options: ['Only'] }, org)).status).toBe(400);
    expect((await api('POST', `/events/${event.id}/polls/prepared`, { kind: 'yes_no' }, org)).status).toBe(400);
    expect((await api('POST', `/events/${event.id}/polls/prepared`, { thesisId: thesis }, phone.token)).status).toBe(403);
    // The phone does not see the draft.
    expect((await api('GET', `/events/${event.id}/state`, undefined, phone.token)).body.preparedPolls ?? null).toBeNull();

    await api('POST', `/events/${event.id}/theses/${thesis}/start`, {}, org);
    const open = await api('POST', `/events/${event.id}/polls`, { thesisId: thesis, kind: 'yes_no' }, org);
    const conflict = await api('POST', `/events/${event.id}/polls/${prepared.body.id}/open`, {}, org);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toMatch(/already open/);
    const opened = await api('POST', `/events/${event.id}/polls/${prepared.body.id}/open`, { closeOpen: true }, org);
    expect(opened.body).toMatchObject({ status: 'open' });
    expect((await api('GET', `/events/${event.id}/polls/${open.body.id}/results`, undefined, org)).body.status).toBe('closed');
    expect((await api('DELETE', `/events/${event.id}/polls/${prepared.body.id}`, undefined, org)).status).toBe(409);

    for (const [seconds, expected] of [['2:30', 150], ['5', 300], [45, 45]] as const) {
      const set = await api('PUT', `/events/${event.id}/countdown`, { seconds }, org);
      expect(set.status).toBe(200);
      expect(set.body.countdown).toMatchObject({ seconds: expected, for: 'poll' });
    }
    for (const seconds of ['two minutes', '1:75', 90_000, -1, 1.5]) {
      const refused = await api('PUT', `/events/${event.id}/countdown`, { seconds }, org);
      expect(refused.status, String(seconds)).toBe(400);
      expect(refused.body.error.message).toMatch(/countdown/i);
    }
    expect((await api('PUT', `/events/${event.id}/countdown`, { seconds: 30, for: 'lunch' }, org)).status).toBe(400);
    expect((await api('PUT', `/events/${event.id}/countdown`, { seconds: 30 }, phone.token)).status).toBe(403);
    expect((await api('GET', `/events/${event.id}/state`, undefined, phone.token)).body.countdown).toMatchObject({ seconds: 45, for: 'poll' });
    expect((await api('PUT', `/events/${event.id}/countdown`, { seconds: 0 }, org)).body).toEqual({ countdown: null });
    expect((await state()).countdown).toBeNull();
  });
});

describe('upvotes', () => {
  it('are refused while off, counted once per phone when on, taken back, and sorted by', async () => {
    const [low, high] = [
      (await api('POST', `/events/${event.id}/queue`, { text: 'Fewer upvotes.' }, org)).body.id,
      (await api('POST', `/events/${event.id}/queue`, { text: 'More upvotes.' }, org)).body.id
    ];
    expect((await api('PUT', `/events/${event.id}/theses/${high}/upvote`, {}, phone.token)).status).toBe(409);
    const details = { title: 'Tools day', date: '2026-11-26', language: 'en', allowUpvotes: true };
    expect((await api('PUT', `/events/${event.id}`, details, org)).body).toMatchObject({ id: event.id });
    const second = await joinByApi(server.url, event.code, 'Second phone');
    for (let i = 0; i < 3; i++) expect((await api('PUT', `/events/${event.id}/theses/${high}/upvote`, { upvoted: true }, phone.token)).status).toBe(200);
    await api('PUT', `/events/${event.id}/theses/${high}/upvote`, {}, second.token);
    await api('PUT', `/events/${event.id}/theses/${low}/upvote`, {}, second.token);
    await api('PUT', `/events/${event.id}/theses/${low}/upvote`, { upvoted: false }, second.token);
    const counts = Object.fromEntries((await state()).theses.map((t: { id: string; upvotes: number }) => [t.id, t.upvotes]));
    expect([counts[low], counts[high]]).toEqual([0, 2]);
    expect((await api('PUT', `/events/${event.id}/theses/${high}/upvote`, { upvoted: 'maybe' }, phone.token)).status).toBe(400);

    // A phone of another event cannot upvote here, even with the right thesis id.
    const other = (await api('POST', '/events', { title: 'Elsewhere', language: 'en' }, org)).body;
    const stranger = await joinByApi(server.url, other.code, 'Stranger');
    expect((await api('PUT', `/events/${event.id}/theses/${high}/upvote`, {}, stranger.token)).status).toBe(403);
    expect((await api('PUT', `/events/${other.id}/theses/${high}/upvote`, {}, stranger.token)).status).toBe(404);
    expect((await api('POST', `/events/${event.id}/queue/sort-by-upvotes`, {}, phone.token)).status).toBe(403);
    expect((await api('POST', `/events/${event.id}/queue/sort-by-upvotes`, {}, org)).status).toBe(200);
    const queue = (await state()).theses.filter((t: { status: string }) => t.status === 'approved').map((t: { id: string }) => t.id);
    expect(queue.indexOf(high)).toBeLessThan(queue.indexOf(low));
  });
});

describe('files for the organiser', () => {
  it('serves the results as CSV and the poster as PDF to the staff, and to nobody else', async () => {
    const csv = await fetch(`${server.url}/api/v1/events/${event.id}/results.csv`, { headers: { authorization: `Bearer ${org}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).split('\r\n')[0]).toBe('Thesis or item,Question,Phase,Option,Votes,Percentage');
    expect((await api('GET', `/events/${event.id}/results.csv`, undefined, phone.token)).status).toBe(403);

    const poster = await fetch(`${server.url}/api/v1/events/${event.id}/poster.pdf`, { headers: { authorization: `Bearer ${org}` } });
    expect(poster.status).toBe(200);
    const text = pdfText(Buffer.from(await poster.arrayBuffer()));
    expect(text).toContain(event.code);
    expect(text).toContain('Tools day');
    expect((await api('GET', `/events/${event.id}/poster.pdf`, undefined, phone.token)).status).toBe(403);
  });
});

describe('the organiser’s account', () => {
  it('has a name the organiser sets; a phone has no account here', async () => {
    expect((await api('GET', '/account', undefined, org)).body).toMatchObject({ email: organiser.email });
    expect((await api('PUT', '/account', { name: '  ' }, org)).status).toBe(400);
    expect((await api('PUT', '/account', { name: 'Olga' }, org)).body).toMatchObject({ name: 'Olga', email: organiser.email });
    expect((await state()).me).toMatchObject({ name: 'Olga', role: 'organiser' });
    expect((await api('GET', '/account', undefined, phone.token)).status).toBe(403);
    expect((await api('PUT', '/account', { name: 'Mallory' }, phone.token)).status).toBe(403);
  });
});

describe('the language-model draft', () => {
  it('says why the built-in draft was used, by reason and in a sentence', async () => {
    const refused = await api('POST', `/events/${event.id}/recaps`, { engine: 'llm' }, org);
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({ engine: 'builtin', fallback: { reason: 'not_allowed' } });
    expect(refused.body.warning).toMatch(/does not allow/);
    expect((await api('POST', `/events/${event.id}/recaps`, { engine: 'builtin' }, org)).body.fallback).toBeUndefined();
  });
});
