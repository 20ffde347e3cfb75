import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAction, sessionCookie, urlencoded, type ActionAnswer } from '../helpers/forms';
import { type Api, startServerWithOrganiser, type TestServer } from '../helpers/server';

/**
 * Every form action of every page, found from the route files themselves (a new action is covered
 * without touching this test), gets the same garbage the API gets. None may answer 500; each
 * refusal is a 4xx with a sentence; and afterwards the event is exactly as it was.
 */
const routes = import.meta.glob<{ actions?: Record<string, unknown> }>('/src/routes/**/+page.server.ts');

const nul = 'text\u0000with a NUL';
const fieldNames = ['title', 'name', 'text', 'markdown', 'value', 'code', 'email', 'password', 'question', 'venue', 'speaker', 'organisation', 'role', 'jobTitle', 'kind', 'status', 'options', 'capacity'];
const encoder = new TextEncoder();
const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...encoder.encode(p)] : p)));

interface Garbage {
  name: string;
  contentType: string;
  body: () => BodyInit;
  expectStatus?: number;
  /** The refusal is the edge's, so it is said in the event's language (the event is Dutch). */
  dutch?: RegExp;
}

describe('form actions never answer 500', () => {
  let server: TestServer;
  let api: Api;
  let org: string;
  let phone: string;
  let eventId: string;
  let code: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ server, api, token: org } = await startServerWithOrganiser());
    const created = await api('POST', '/events', { title: 'Formulierdag', date: '2026-11-26', language: 'nl' }, org);
    ({ id: eventId, code } = created.body);
    phone = (await api('POST', '/join', { code, name: 'Telefoon' })).body.token;
    ids.agendaItemId = (await api('POST', `/events/${eventId}/agenda`, { title: 'Rondetafel', kind: 'discussion' }, org)).body.id;
    ids.thesisId = (await api('POST', `/events/${eventId}/theses`, { text: 'Stelling een' }, org)).body.id;
    await api('POST', `/events/${eventId}/theses/${ids.thesisId}/moderate`, { status: 'approved' }, org);
    await api('POST', `/events/${eventId}/theses/${ids.thesisId}/start`, {}, org);
    ids.pollId = (await api('POST', `/events/${eventId}/polls`, { thesisId: ids.thesisId, kind: 'agree5' }, org)).body.id;
    ids.noteId = (await api('POST', `/events/${eventId}/notes`, { thesisId: ids.thesisId, kind: 'note', text: 'Notitie' }, org)).body.id;
    ids.recapId = (await api('POST', `/events/${eventId}/recaps`, { engine: 'builtin' }, org)).body.recapId;
    ids.memberId = (await api('GET', `/events/${eventId}/members`, undefined, org)).body.find((m: { name: string }) => m.name === 'Telefoon').id;
  }, 300_000);
  afterAll(() => server?.stop());

  it('finds the actions in the route files', async () => {
    const found = await actionUrls();
    expect(found.map((a) => a.label)).toEqual(expect.arrayContaining(['/m/[eventId]?/thesis', '/e/[eventId]/recap?/save', '/signin', '/organise?/import', '/e/[eventId]?/removeMember']));
  });

  it('answers garbage to every action with a 4xx and a sentence, and changes nothing', async () => {
    const before = await snapshot();
    const withIds = { ...ids, eventId };
    const garbage: Garbage[] = [
      { name: 'malformed multipart', contentType: 'multipart/form-data; boundary=XYZ', body: () => 'this is not multipart at all' },
      { name: 'multipart without a boundary', contentType: 'multipart/form-data', body: () => '--\r\n\r\n' },
      { name: 'text/plain', contentType: 'text/plain', body: () => 'title=Plain&text=plain' },
      {
        name: 'a NUL in every field',
        contentType: 'application/x-www-form-urlencoded',
        body: () => urlencoded({ ...withIds, ...Object.fromEntries(fieldNames.map((f) => [f, nul])) }),
        expectStatus: 400,
        dutch: /NUL-teken/
      },
      {
        name: 'a NUL in every field (multipart)',
        contentType: '',
        body: () => {
          const form = new FormData();
          for (const [k, v] of Object.entries(withIds)) form.set(k, v);
          for (const f of fieldNames) form.set(f, nul);
          return form;
        },
        expectStatus: 400,
        dutch: /NUL-teken/
      },
      { name: 'invalid UTF-8 bytes', contentType: 'application/x-www-form-urlencoded', body: () => bytes('title=', [0xff, 0xfe], '&text=', [0xc3]), expectStatus: 400, dutch: /UTF-8/ },
      { name: 'invalid UTF-8 percent-encoded', contentType: 'application/x-www-form-urlencoded', body: () => 'title=%FF%FE&text=%C0%AF', expectStatus: 400 },
      { name: 'malformed percent-encoding', contentType: 'application/x-www-form-urlencoded', body: () => 'title=%E0%A4%A&text=100%', expectStatus: 400 },
      { name: '11 MB', contentType: 'application/x-www-form-urlencoded', body: () => `text=${'a'.repeat(11 * 1024 * 1024)}`, expectStatus: 413 }
    ];
    const sessions: Record<string, string | undefined> = { 'no session': undefined, phone: sessionCookie(phone), organiser: sessionCookie(org) };
    const failures: string[] = [];
    for (const action of await actionUrls()) {
      for (const [who, cookie] of Object.entries(sessions)) {
        for (const g of garbage) {
          const answer = await postAction(server.url, action.url(eventId, code), g.body(), { contentType: g.contentType || undefined, cookie });
          const problem = judge(answer, g, action.eventRoute);
          if (problem) failures.push(`${action.label} as ${who}, ${g.name}: ${problem}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 600_000);

  it('refuses an archive nested 100,000 levels deep in the import form', async () => {
    const form = new FormData();
    const deep = `{"format":"kennisdag/event-archive@1","event":{"title":"Deep","date":"2026-01-02","language":"en","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    form.set('archive', new File([deep], 'deep.json', { type: 'application/json' }));
    const before = (await api('GET', '/events', undefined, org)).body.length;
    const answer = await postAction(server.url, '/organise?/import', form, { cookie: sessionCookie(org) });
    expect(answer).toMatchObject({ type: 'failure', status: 400 });
    expect(String(answer.data?.importError)).toMatch(/nested|genest/);
    expect((await api('GET', '/events', undefined, org)).body.length).toBe(before);
  });

  function judge(answer: ActionAnswer, g: Garbage, eventRoute: boolean): string | null {
    if (answer.httpStatus >= 500 || (answer.type === 'error' && answer.status >= 500)) return `${answer.status} ${answer.text.slice(0, 120)}`;
    if (answer.type === 'failure' || answer.type === 'error' || answer.type === 'unparsed') {
      const message = answer.type === 'failure' ? Object.values(answer.data ?? {}).find((v) => typeof v === 'string' && /\w+ \w+/.test(v)) : answer.text;
      if (answer.status < 400) return `status ${answer.status}`;
      if (!message) return `${answer.status} without a sentence: ${answer.text.slice(0, 120)}`;
      if (g.expectStatus && answer.status !== g.expectStatus) return `${answer.status} instead of ${g.expectStatus}: ${String(message).slice(0, 120)}`;
      if (g.dutch && eventRoute && !g.dutch.test(String(message))) return `not in the event's language: ${String(message).slice(0, 120)}`;
      return null;
    }
    return `accepted (${answer.type} ${answer.status})`;
  }

  /** Everything an action could have changed. */
  async function snapshot() {
    const [exported, members, recaps, state] = await Promise.all([
      api('GET', `/events/${eventId}/export`, undefined, org),
      api('GET', `/events/${eventId}/members`, undefined, org),
      api('GET', `/events/${eventId}/recaps`, undefined, org),
      api('GET', `/events/${eventId}/state`, undefined, org)
    ]);
    return { archive: exported.body, members: members.body, recaps: recaps.body, openPoll: state.body.openPoll?.id, events: (await api('GET', '/events', undefined, org)).body };
  }
});

/** Each action's address, with the route's parameters filled in. */
async function actionUrls() {
  const found: { label: string; eventRoute: boolean; url: (eventId: string, code: string) => string }[] = [];
  for (const [file, load] of Object.entries(routes)) {
    const route = file.replace('/src/routes', '').replace(/\/\+page\.server\.ts$/, '') || '/';
    for (const name of Object.keys((await load()).actions ?? {})) {
      const query = name === 'default' ? '' : `?/${name}`;
      found.push({
        label: route + query,
        eventRoute: route.includes('[eventId]') || route.includes('[code]'),
        url: (eventId, code) => route.replace('[eventId]', eventId).replace('[code]', code).replace('[slug]', 'no-such-recap') + query
      });
    }
  }
  return found;
}
