import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, organiser, startServer, type TestServer } from '../helpers/server';
import { openSse, type SseStream } from '../helpers/sse';

/**
 * Phones that hold their stream but stop reading (a locked screen, a phone in a pocket on bad wifi)
 * must not grow the server: a few hundred of them, through a hundred changes of the room, measured
 * as the server's resident memory before and during the changes in the same run.
 */
const stalledPhones = 300;
const theses = 40;
const megabyte = 2 ** 20;

let server: TestServer;
let api: ReturnType<typeof apiClient>;
const streams: SseStream[] = [];

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  server = await startServer();
  api = apiClient(server.url);
}, 300_000);
afterAll(async () => {
  for (const s of streams) s.close();
  await server?.stop();
});

describe.runIf(process.platform === 'linux')('stalled phones', () => {
  it('keep the server’s memory bounded while the room changes a hundred times', async () => {
    const org = (await api('POST', '/auth/sign-in', organiser)).body.token;
    // A full day's queue: forty long theses, as in a real round table.
    const archive = {
      format: 'kennisdag/event-archive@1',
      event: { title: 'Stalled phones', date: '2026-11-26', language: 'en' },
      theses: Array.from({ length: theses }, (_, i) => ({ text: `Thesis ${i + 1}: ${'a long argument about hybrid work '.repeat(28)}`.slice(0, 1000), status: 'approved' }))
    };
    const event = (await api('POST', '/events/import', archive, org)).body as { id: string; code: string };
    const state = (await api('GET', `/events/${event.id}/state`, undefined, org)).body as { theses: { id: string }[] };
    const url = `${server.url}/api/v1/events/${event.id}/stream`;

    const tokens: string[] = [];
    for (let i = 0; i < stalledPhones + 1; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, stalledPhones + 1 - i) }, (_, j) =>
          api('POST', '/join', { code: event.code, name: `Phone ${i + j + 1}`, organisation: '', role: '', listed: false })
        )
      );
      tokens.push(...batch.map((b) => b.body.token as string));
    }
    // One phone keeps reading; the others stop reading as soon as their stream is open.
    const reader = await openSse(url, { authorization: `Bearer ${tokens[0]}` });
    streams.push(reader);
    for (let i = 1; i < tokens.length; i += 25) {
      const opened = await Promise.all(tokens.slice(i, i + 25).map((token) => openSse(url, { authorization: `Bearer ${token}` })));
      for (const s of opened) {
        s.stall();
        expect(s.status).toBe(200);
      }
      streams.push(...opened);
    }
    await settle(2000);
    const before = rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 100);

    // A hundred and twenty changes: each thesis started, a poll opened and closed on it.
    let lastPoll = '';
    for (const thesis of state.theses) {
      expect((await api('POST', `/events/${event.id}/theses/${thesis.id}/start`, {}, org)).status).toBe(200);
      await settle(40);
      lastPoll = (await api('POST', `/events/${event.id}/polls`, { thesisId: thesis.id, kind: 'yes_no' }, org)).body.id;
      await settle(40);
      await api('POST', `/events/${event.id}/polls/${lastPoll}/close`, {}, org);
      await settle(40);
    }
    // The phone that reads follows the room to the end.
    await reader.next((m) => m.data?.lastPoll?.id === lastPoll && m.data.lastPoll.status === 'closed', 15_000);
    await settle(1000);
    clearInterval(sampler);
    const after = rss();
    peak = Math.max(peak, after);
    const grewBy = (peak - before) / megabyte;
    console.log(
      `${stalledPhones} stalled streams, ${theses * 3} changes: server RSS ${(before / megabyte).toFixed(0)} MiB before, ` +
        `peak ${(peak / megabyte).toFixed(0)} MiB (+${grewBy.toFixed(1)} MiB), ${(after / megabyte).toFixed(0)} MiB after`
    );
    expect(grewBy).toBeLessThan(64);

    // A stalled phone that reads again catches up with the room, from small messages.
    const stalled = streams[1];
    stalled.resume();
    await stalled.next((m) => m.data?.lastPoll?.id === lastPoll && m.data.lastPoll.status === 'closed', 15_000);
    console.log(`a stalled phone that reads again receives ${(stalled.received / 1024).toFixed(0)} KiB in all`);
    expect(stalled.received).toBeLessThan(megabyte);
  }, 300_000);
});
