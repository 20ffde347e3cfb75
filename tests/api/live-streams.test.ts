import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startServerWithOrganiser, type TestServer } from '../helpers/server';
import { openSse, type SseMessage, type SseStream } from '../helpers/sse';

/**
 * The live stream against the built server: what each screen may receive (results after voting or
 * once closed, the staff's changes only while staff), and how many streams one member may hold.
 */
let server: TestServer;
let api: Api;
let org: string;
const streams: SseStream[] = [];

beforeAll(async () => {
  ({ server, api, token: org } = await startServerWithOrganiser());
}, 300_000);
afterAll(async () => {
  for (const s of streams) s.close();
  await server?.stop();
});

async function newEvent(title: string) {
  const created = await api('POST', '/events', { title, date: '2026-11-26', language: 'en' }, org);
  const thesis = await api('POST', `/events/${created.body.id}/theses`, { text: 'Every meeting needs a goal.' }, org);
  await api('POST', `/events/${created.body.id}/theses/${thesis.body.id}/start`, {}, org);
  return { eventId: created.body.id as string, code: created.body.code as string, thesisId: thesis.body.id as string };
}

async function join(code: string, name: string) {
  const joined = await api('POST', '/join', { code, name, organisation: '', role: '', listed: false });
  expect(joined.status).toBe(200);
  return joined.body as { token: string; participantId: string };
}

async function stream(eventId: string, token?: string, query = '') {
  const s = await openSse(`${server.url}/api/v1/events/${eventId}/stream${query}`, token ? { authorization: `Bearer ${token}` } : {});
  streams.push(s);
  return s;
}

/** Every poll a stream message carries, with the results it shows. */
function pollsIn(message: SseMessage): { id: string; status: string; results: unknown }[] {
  if (message.event === 'tally') return [{ id: message.data.pollId, status: message.data.status, results: message.data }];
  if (message.event !== 'state' && message.event !== 'view') return [];
  return [message.data.openPoll, message.data.lastPoll].filter(Boolean);
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('results on the stream', () => {
  it('reach a phone after it voted or once the poll closed, never before', async () => {
    const day = await newEvent('Results rule');
    const voter = await join(day.code, 'Voter');
    const waiter = await join(day.code, 'Waiter');
    const voterStream = await stream(day.eventId, voter.token);
    const waiterStream = await stream(day.eventId, waiter.token);
    const projector = await stream(day.eventId, undefined, `?projector=${new URL((await api('GET', `/events/${day.eventId}/projector`, undefined, org)).body.url).searchParams.get('token')}`);

    const poll = await api('POST', `/events/${day.eventId}/polls`, { thesisId: day.thesisId, kind: 'agree5' }, org);
    const pollId = poll.body.id as string;
    const opened = (m: SseMessage) => pollsIn(m).some((p) => p.id === pollId);
    await waiterStream.next(opened);
    expect((await api('POST', `/events/${day.eventId}/polls/${pollId}/votes`, { value: 4, idempotencyKey: 'voter-1' }, voter.token)).status).toBe(200);
    // Another change of the room after the vote: every screen gets the new view.
    const thesis = await api('POST', `/events/${day.eventId}/theses`, { text: 'Agendas are promises.' }, org);
    const showsThesis = (m: SseMessage) => (m.data?.theses ?? []).some((t: { id: string }) => t.id === thesis.body.id);
    await voterStream.next((m) => pollsIn(m).some((p) => p.id === pollId && p.results !== null && (p.results as { total: number }).total === 1));
    await projector.next((m) => m.event === 'tally' && m.data.pollId === pollId && m.data.total === 1);
    await waiterStream.next(showsThesis);
    await settle(1500); // phones get the room's tally at most once a second

    const leaked = waiterStream.messages.flatMap(pollsIn).filter((p) => p.id === pollId && p.results !== null);
    expect(leaked).toEqual([]);

    await api('POST', `/events/${day.eventId}/polls/${pollId}/close`, {}, org);
    await waiterStream.next((m) => pollsIn(m).some((p) => p.id === pollId && p.status === 'closed' && p.results !== null));
  });
});

describe('a member whose role changes', () => {
  it('loses the staff stream when demoted, and its reconnect is a participant’s', async () => {
    const day = await newEvent('Role change');
    const nora = await join(day.code, 'Nora');
    const pat = await join(day.code, 'Pat');
    expect((await api('POST', `/events/${day.eventId}/members/${nora.participantId}/role`, { role: 'note_taker' }, org)).status).toBe(200);
    const staffStream = await stream(day.eventId, nora.token);
    await api('POST', `/events/${day.eventId}/theses`, { text: 'Seen by the note-taker.' }, pat.token);
    await staffStream.next((m) => m.event === 'change' && m.data.table === 'theses');

    expect((await api('POST', `/events/${day.eventId}/members/${nora.participantId}/role`, { role: 'participant' }, org)).status).toBe(200);
    await staffStream.closed(5000);
    const before = staffStream.messages.length;
    await api('POST', `/events/${day.eventId}/theses`, { text: 'Not for a participant’s eyes.' }, pat.token);

    const again = await stream(day.eventId, nora.token);
    expect(again.status).toBe(200);
    await api('POST', `/events/${day.eventId}/theses`, { text: 'Also not for a participant.' }, pat.token);
    await settle(1000);
    expect(staffStream.messages.length).toBe(before);
    expect(again.messages.filter((m) => m.event === 'change')).toEqual([]);
    expect(again.messages[0]).toMatchObject({ event: 'state', data: { me: { role: 'participant' } } });
  });
});

describe('streams per member', () => {
  it('are capped with a 429 that says why; the same page reconnecting takes its own place', async () => {
    const day = await newEvent('Stream cap');
    const phone = await join(day.code, 'Tabs');
    const open = [];
    for (let tab = 1; tab <= 5; tab++) open.push(await stream(day.eventId, phone.token, `?client=tab-${tab}`));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);

    const sixth = await stream(day.eventId, phone.token, '?client=tab-6');
    expect(sixth.status).toBe(429);
    await sixth.closed();
    expect(sixth.body.error.message).toMatch(/too many live connections/i);

    // Tab 3 reconnects (its network dropped): the new stream replaces its old one.
    const reconnect = await stream(day.eventId, phone.token, '?client=tab-3');
    expect(reconnect.status).toBe(200);
    await open[2].closed(5000);

    // Another member is not affected.
    const other = await join(day.code, 'Other');
    expect((await stream(day.eventId, other.token, '?client=tab-1')).status).toBe(200);
  });

  it('are capped per projector link', async () => {
    const day = await newEvent('Projector cap');
    const token = new URL((await api('GET', `/events/${day.eventId}/projector`, undefined, org)).body.url).searchParams.get('token');
    const statuses = [];
    for (let screen = 1; screen <= 11; screen++) statuses.push((await stream(day.eventId, undefined, `?projector=${token}&client=screen-${screen}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
    // A wrong token takes no place: it is refused as before.
    expect((await stream(day.eventId, undefined, '?projector=wrong')).status).toBe(403);
  });
});

describe('a closed event', () => {
  it('closes its poll and refuses votes through the API', async () => {
    const day = await newEvent('Closing');
    const phone = await join(day.code, 'Late voter');
    const poll = await api('POST', `/events/${day.eventId}/polls`, { thesisId: day.thesisId, kind: 'yes_no' }, org);
    expect((await api('POST', `/events/${day.eventId}/status`, { status: 'closed' }, org)).status).toBe(200);
    const late = await api('POST', `/events/${day.eventId}/polls/${poll.body.id}/votes`, { value: 0 }, phone.token);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('This event is closed.');
    expect((await api('GET', `/events/${day.eventId}/polls/${poll.body.id}/results`, undefined, org)).body).toMatchObject({ status: 'closed', total: 0 });
  });
});
