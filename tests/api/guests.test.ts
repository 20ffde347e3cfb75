import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, operationIds, startServerWithOrganiser, type TestServer } from '../helpers/server';

/** The guest list through the JSON API: what an integration calls, and what it is refused. */
let server: TestServer;
let api: Api;
let org: string;
let eventId: string;
let code: string;

const today = new Date().toISOString().slice(0, 10);

/** A phone's request with its own device id, as the app sends it. */
async function phoneCall(method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      'x-kennisdag-device': crypto.randomUUID(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {})
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  ({ server, api, token: org } = await startServerWithOrganiser());
  const created = await api('POST', '/events', { title: 'Gastendag', date: today, language: 'nl' }, org);
  ({ id: eventId, code } = created.body);
}, 300_000);
afterAll(() => server?.stop());

describe('the guest list through the API', () => {
  it('describes the guest operations in the OpenAPI document', async () => {
    const { body } = await api('GET', '/openapi.json');
    const ids = operationIds(body);
    for (const id of ['listGuests', 'addGuests', 'updateGuest', 'releaseGuest', 'setAttendance', 'mergeMembers', 'findGuests', 'getInvitation', 'acceptInvitation', 'checkIn']) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    const merge = body.paths['/api/v1/events/{eventId}/members/merge'].post;
    expect(Object.keys(merge.requestBody.content['application/json'].schema.properties)).toEqual(['keepMemberId', 'mergeMemberId']);
    expect(body.paths['/api/v1/join/{code}/guests'].get.security).toEqual([]);
  });

  it('adds a pasted list, refuses a bad line in the event’s language and keeps the list as it was', async () => {
    const pasted = 'Naam\tOrganisatie\tFunctie\tE-mail\nJan de Vries\tRabobank\tCIO\tjan@example.nl\nÉva Ébène\tErasmus MC\tCISO\t\nPieter Bakker\tASML\tarchitect\t';
    const added = await api('POST', `/events/${eventId}/guests`, { guests: pasted }, org);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ added: 3, updated: 0 });
    const bad = await api('POST', `/events/${eventId}/guests`, { guests: 'Sanne Kuipers; Gemeente\n; zonder naam' }, org);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Regel 2 heeft geen naam.');
    expect((await api('POST', `/events/${eventId}/guests`, { guests: [{ name: 'Iemand', email: 'geen-adres' }] }, org)).status).toBe(400);
    expect((await api('POST', `/events/${eventId}/guests`, { guests: 42 }, org)).status).toBe(400);
    const list = await api('GET', `/events/${eventId}/guests`, undefined, org);
    expect(list.body.map((g: { name: string }) => g.name)).toEqual(['Jan de Vries', 'Éva Ébène', 'Pieter Bakker']);
    expect(list.body[0]).toMatchObject({ email: 'jan@example.nl', organisation: 'Rabobank', jobTitle: 'CIO', claimed: false, attended: false });
    expect(list.body[0].invitationUrl).toMatch(new RegExp(`/i/${list.body[0].token}$`));
  });

  it('lets a phone find its name and claim it once; a second phone gets a sentence it understands', async () => {
    const found = await phoneCall('GET', `/join/${code}/guests?name=${encodeURIComponent('j. de vries')}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual([expect.objectContaining({ name: 'Jan de Vries', organisation: 'Rabobank', claimed: false, exact: false })]);
    expect((await phoneCall('GET', `/join/${code}/guests?name=Vries`)).body).toEqual([]);
    expect((await phoneCall('GET', `/join/${code}/guests`)).status).toBe(400);

    const first = await phoneCall('POST', '/join', { code, name: 'j. de vries', guestId: found.body[0].id, listed: true });
    expect(first.status).toBe(200);
    expect(first.body.participantId).toBe(found.body[0].id);
    const second = await phoneCall('POST', '/join', { code, name: 'Jan de Vries', guestId: found.body[0].id });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe('Jan de Vries doet al mee op een andere telefoon. Bent u dat, vraag dan de organisator de naam vrij te geven.');
    // The participant sees nothing of the guest list.
    expect((await api('GET', `/events/${eventId}/guests`, undefined, first.body.token)).status).toBe(403);
    const state = await api('GET', `/events/${eventId}/state`, undefined, first.body.token);
    expect(state.body.me).toMatchObject({ name: 'Jan de Vries', organisation: 'Rabobank', listed: true });

    // The organiser releases the name; then the second phone can claim it.
    const member = found.body[0].id;
    expect((await api('POST', `/events/${eventId}/guests/${member}/release`, { memberId: member }, org)).body).toMatchObject({ claimed: false });
    expect((await api('GET', `/events/${eventId}/state`, undefined, first.body.token)).status).toBe(403);
    expect((await phoneCall('POST', '/join', { code, name: 'Jan de Vries', guestId: member })).status).toBe(200);
  });

  it('opens an invitation with no account, takes it on this phone, and checks the phone in on the day', async () => {
    const list = await api('GET', `/events/${eventId}/guests`, undefined, org);
    const eva = list.body.find((g: { name: string }) => g.name === 'Éva Ébène');
    const seen = await phoneCall('GET', `/invitations/${eva.token}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ event: { id: eventId, title: 'Gastendag', language: 'nl' }, guest: { name: 'Éva Ébène', organisation: 'Erasmus MC' }, mine: false });
    expect(JSON.stringify(seen.body)).not.toMatch(/Jan de Vries|example\.nl/);
    const accepted = await phoneCall('POST', `/invitations/${eva.token}/accept`, { listed: true });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ eventId, participantId: eva.id, attended: true });
    expect((await phoneCall('GET', `/invitations/${eva.token}`, undefined, accepted.body.token)).body).toMatchObject({ mine: true });
    expect((await api('POST', `/events/${eventId}/check-in`, {}, accepted.body.token)).body).toEqual({ attended: true });
    const unknown = await phoneCall('GET', `/invitations/${'A'.repeat(22)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/invitation link is not valid|uitnodigingslink is niet geldig/);
    expect((await phoneCall('GET', '/invitations/short')).status).toBe(400);
  });

  it('merges a walk-in into the guest and records attendance by hand, refusing what does not fit', async () => {
    const walkIn = await phoneCall('POST', '/join', { code, name: 'Piet B.', listed: true });
    const list = await api('GET', `/events/${eventId}/guests`, undefined, org);
    const pieter = list.body.find((g: { name: string }) => g.name === 'Pieter Bakker');
    const thesis = await api('POST', `/events/${eventId}/theses`, { text: 'Chips vragen open standaarden.' }, walkIn.body.token);
    expect(thesis.status).toBe(201);
    expect((await api('POST', `/events/${eventId}/members/merge`, { keepMemberId: pieter.id, mergeMemberId: 'nope' }, org)).status).toBe(400);
    expect((await api('POST', `/events/${eventId}/members/merge`, { keepMemberId: pieter.id, mergeMemberId: walkIn.body.participantId }, walkIn.body.token)).status).toBe(403);
    const merged = await api('POST', `/events/${eventId}/members/merge`, { keepMemberId: pieter.id, mergeMemberId: walkIn.body.participantId }, org);
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ memberId: pieter.id, name: 'Pieter Bakker', theses: 1, attended: true, listed: true });
    const state = await api('GET', `/events/${eventId}/state`, undefined, walkIn.body.token);
    expect(state.body.me).toMatchObject({ memberId: pieter.id, name: 'Pieter Bakker' });
    expect(state.body.theses).toEqual([expect.objectContaining({ id: thesis.body.id, mine: true })]);

    const attendance = await api('PUT', `/events/${eventId}/members/${pieter.id}/attendance`, { memberId: pieter.id, attended: false }, org);
    expect(attendance.body).toMatchObject({ attended: false });
    expect((await api('PUT', `/events/${eventId}/members/${pieter.id}/attendance`, { memberId: pieter.id, attended: 'maybe' }, org)).status).toBe(400);
    const members = await api('GET', `/events/${eventId}/members`, undefined, org);
    expect(members.body.filter((m: { name: string }) => m.name.startsWith('Pie')).map((m: { name: string; attended: boolean }) => [m.name, m.attended])).toEqual([['Pieter Bakker', false]]);
  });

  it('keeps one event’s guests out of another event’s addresses', async () => {
    const other = (await api('POST', '/events', { title: 'Andere dag', date: today, language: 'nl' }, org)).body;
    const list = await api('GET', `/events/${eventId}/guests`, undefined, org);
    const guest = list.body[0];
    expect((await api('POST', `/events/${other.id}/guests/${guest.id}/release`, { memberId: guest.id }, org)).status).toBe(404);
    expect((await api('PUT', `/events/${other.id}/members/${guest.id}/attendance`, { memberId: guest.id, attended: true }, org)).status).toBe(404);
    expect((await phoneCall('GET', `/join/${other.code}/guests?name=${encodeURIComponent('Jan de Vries')}`)).body).toEqual([]);
    const exported = await api('GET', `/events/${eventId}/export`, undefined, org);
    const names = exported.body.participants.map((p: { name: string }) => p.name);
    expect(names).toEqual(['Jan de Vries', 'Éva Ébène', 'Pieter Bakker']);
  });

  it('gives an accepted invitation a token with its expiry, as a phone that joins by code gets', async () => {
    const list = await api('GET', `/events/${eventId}/guests`, undefined, org);
    const pieter = list.body.find((g: { name: string }) => g.name === 'Pieter Bakker');
    const accepted = await phoneCall('POST', `/invitations/${pieter.token}/accept`, { listed: false });
    const byCode = await phoneCall('POST', '/join', { code, name: 'Iemand Anders' });
    expect(accepted.status).toBe(200);
    expect(Object.keys(accepted.body)).toEqual(expect.arrayContaining(Object.keys(byCode.body).filter((key) => key !== 'participantId')));
    expect(accepted.body.expiresAt).toBeGreaterThanOrEqual(Date.now() / 1000 + 29 * 24 * 3600);
  });
});
