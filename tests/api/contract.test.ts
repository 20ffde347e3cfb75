import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, fixtureNames, fixturePath } from '../fixtures';
import { type Api, organiser, startServerWithOrganiser, type TestServer } from '../helpers/server';

let server: TestServer;
let api: Api;
let org: string;

beforeAll(async () => {
  ({ server, api, token: org } = await startServerWithOrganiser());
}, 300_000);
afterAll(() => server?.stop());

/** Calls the API and insists on a success, so a broken step names itself. */
async function ok<T = any>(method: string, path: string, body?: unknown, token = org): Promise<T> {
  const { status, body: answer } = await api<T>(method, path, body, token);
  if (status >= 400) throw new Error(`${method} ${path} → ${status} ${JSON.stringify(answer).slice(0, 300)}`);
  return answer;
}

const longWords = (text: string) => new Set(text.toLowerCase().match(/[a-zà-ÿ]{6,}/g) ?? []);

/**
 * Each fixture day replayed through the JSON API as an integration would run it: the event as it stood
 * before the day is imported, phones join and vote on every thesis the day discussed, the note-takers'
 * notes go in, the discussion ends, and the recap is drafted, exported and published.
 */
describe('the fixture days replayed through the API', () => {
  it.each(fixtureNames)('replays %s through the whole day and the recap', async (name) => {
    const day = fixture(name);
    const nl = day.event.language === 'nl';
    const thesisWord = nl ? 'Stelling' : 'Thesis';
    type Note = { kind: string; text: string; author?: string };
    const discussed: { text: string; notes?: Note[] }[] = day.theses.filter((t: { status: string }) => t.status === 'discussed');
    const notDiscussed: { text: string }[] = day.theses.filter((t: { status: string }) => t.status !== 'discussed');
    const before = {
      ...day,
      agenda: day.agenda.map((item: object) => ({ ...item, notes: [], polls: [] })),
      theses: day.theses.map((t: { text: string }) => ({ text: t.text, status: 'approved' }))
    };
    const { id: eventId, code } = await ok('POST', '/events/import', before);

    const phones: string[] = [];
    for (let k = 0; k < 6; k++) {
      const joined = await fetch(`${server.url}/api/v1/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kennisdag-device': crypto.randomUUID() },
        body: JSON.stringify({ code, name: `Phone ${k + 1}`, listed: k % 2 === 0 })
      });
      expect(joined.status).toBe(200);
      phones.push((await joined.json()).token);
    }

    let state = await ok('GET', `/events/${eventId}/state`);
    const agendaIds: string[] = state.agenda.map((a: { id: string }) => a.id);
    for (const [i, item] of day.agenda.entries()) {
      await ok('POST', `/events/${eventId}/agenda/${agendaIds[i]}/start`, {});
      for (const note of (item.notes ?? []) as Note[]) {
        await ok('POST', `/events/${eventId}/notes`, { agendaItemId: agendaIds[i], kind: note.kind, text: note.text, ...(note.author ? { speaker: note.author } : {}) });
      }
    }

    const idOf = (text: string) => state.theses.find((t: { text: string }) => t.text === text).id as string;
    const expected: { counts: number[] }[] = [];
    for (const [i, thesis] of discussed.entries()) {
      const thesisId = idOf(thesis.text);
      await ok('POST', `/events/${eventId}/theses/${thesisId}/start`, {});
      const poll = await ok('POST', `/events/${eventId}/polls`, { thesisId, kind: 'agree5' });
      const counts = [0, 0, 0, 0, 0];
      for (const [k, phone] of phones.entries()) {
        const value = (k * 3 + i) % 5;
        await ok('POST', `/events/${eventId}/polls/${poll.id}/votes`, { value }, phone);
        counts[value]++;
      }
      expect((await ok('GET', `/events/${eventId}/polls/${poll.id}/results`)).counts).toEqual(counts);
      await ok('POST', `/events/${eventId}/polls/${poll.id}/close`, {});
      for (const note of thesis.notes ?? []) {
        await ok('POST', `/events/${eventId}/notes`, { thesisId, kind: note.kind, text: note.text, ...(note.author ? { speaker: note.author } : {}) });
      }
      await ok('POST', `/events/${eventId}/theses/${thesisId}/finish`, {});
      expected.push({ counts });
    }
    await ok('POST', `/events/${eventId}/end-discussion`, {});
    state = await ok('GET', `/events/${eventId}/state`);
    const status = (text: string) => state.theses.find((t: { text: string }) => t.text === text)?.status;
    expect(discussed.map((t) => status(t.text))).toEqual(discussed.map(() => 'discussed'));
    expect(notDiscussed.map((t) => status(t.text))).toEqual(notDiscussed.map(() => 'not_discussed'));

    const draft = await ok('POST', `/events/${eventId}/recaps`, { engine: 'builtin' });
    const markdown: string = draft.markdown;
    expect(markdown).toContain(`# ${day.event.title}`);
    let last = -1;
    for (const [i, thesis] of discussed.entries()) {
      const heading = new RegExp(`^### ${thesisWord} ${i + 1}: (.*)$`, 'm').exec(markdown);
      expect(heading?.[1]).toBe(thesis.text);
      expect(heading!.index).toBeGreaterThan(last);
      last = heading!.index;
      const rest = markdown.slice(heading!.index + heading![0].length);
      const section = rest.slice(0, /^#{1,3} /m.exec(rest)?.index ?? rest.length);
      const { counts } = expected[i];
      expect(section).toContain(`${Math.round((100 * (counts[3] + counts[4])) / phones.length)}%`);
      for (const word of longWords((thesis.notes ?? []).map((n) => n.text).join(' '))) expect(section.toLowerCase()).toContain(word);
    }
    for (const thesis of notDiscussed) expect(markdown).toContain(thesis.text);
    expect(markdown).toMatch(nl ? /^## Conclusies$/m : /^## Conclusions$/m);

    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    for (const format of ['md', 'html', 'pdf', 'docx'] as const) {
      const response = await fetch(`${server.url}/api/v1/events/${eventId}/recaps/${draft.recapId}/export?format=${format}`, { headers: { authorization: `Bearer ${org}` } });
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      const magic = { md: `# ${day.event.title}`, html: '<!doctype html>', pdf: '%PDF', docx: 'PK' }[format];
      expect(body.subarray(0, Buffer.byteLength(magic)).toString()).toBe(magic);
      if (format === 'pdf') {
        writeFileSync(join(dir, 'recap.pdf'), body);
        const text = execFileSync('pdftotext', [join(dir, 'recap.pdf'), '-']).toString();
        expect(text).toContain(day.event.title.slice(0, 30));
        if (discussed.length) expect(text).toContain(`${thesisWord} ${discussed.length}`);
      }
    }

    const published = await ok('POST', `/events/${eventId}/recaps/${draft.recapId}/publish`, { recapId: draft.recapId });
    // The public address is the one the projector's QR code gives the room.
    const projector = await ok('GET', `/events/${eventId}/projector`);
    expect(new URL(published.url).origin).toBe(new URL(projector.url).origin);
    const page = await fetch(published.url.replace(/^https?:\/\/[^/]+/, server.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(nl ? 'Inleiding' : 'Introduction');
    for (const [i] of discussed.entries()) expect(html).toContain(`${thesisWord} ${i + 1}:`);
  });
});

/**
 * The shared contract checker, when it is present beside the repository (../shared/contract-check):
 * an outside integration's replay of the same days. Without it there is nothing to run here.
 */
const checker = new URL('../../../shared/contract-check/day.mjs', import.meta.url).pathname;
if (existsSync(checker)) {
  const run = promisify(execFile);
  describe('the shared contract checker', () => {
    it.each(fixtureNames)('replays %s through the whole day and the recap', async (name) => {
      const result = await run(process.execPath, [checker, fixturePath(name), 'all'], {
        env: { ...process.env, BASE: server.url, ORG_EMAIL: organiser.email, ORG_PASSWORD: organiser.password },
        timeout: 120_000
      }).catch((error: { stdout: string; stderr: string }) => error);
      const failures = result.stdout.split('\n').filter((line) => line.startsWith('FAIL'));
      // The checker looks for "Thesis 1" in the PDF and on the public page even when an event had no
      // theses (the Dutch day is a day of talks); a recap cannot honestly contain it then.
      const expected = fixture(name).theses.length ? [] : ['FAIL the PDF text holds the theses', 'FAIL the published recap is public'];
      expect(failures).toEqual(expected);
      expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!).failures).toBe(expected.length);
    });
  });
}
