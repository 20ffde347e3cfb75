import { describe, expect, it } from 'vitest';
import { randomId } from '../random-id';
import { deliver, Outbox, type OutboxItem, type OutboxReport } from './outbox';

/** The outbox sends through the JSON API's delivery, as the http data port does. */
const through = (fetcher: typeof fetch) => (item: OutboxItem) => deliver(item, fetcher);

class MemoryStorage {
  data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
}

/** A server that counts each idempotency key once, and a network that can be down or lose answers. */
function network() {
  const received = new Map<string, unknown>();
  const state = { down: false, loseAnswer: false, status: 200 };
  const fetcher = (async (_url: string, init: RequestInit) => {
    if (state.down) throw new TypeError('Failed to fetch');
    const body = JSON.parse(String(init.body));
    if (state.status !== 200) return new Response(JSON.stringify({ error: { message: 'This poll is closed.' } }), { status: state.status });
    if (!received.has(body.idempotencyKey)) received.set(body.idempotencyKey, body);
    if (state.loseAnswer) {
      state.loseAnswer = false;
      throw new TypeError('The connection dropped');
    }
    return new Response('{}', { status: 200 });
  }) as unknown as typeof fetch;
  return { received, state, send: through(fetcher) };
}

const vote = (key: string, value: number, pollId = 'p1'): OutboxItem => ({ kind: 'vote', key, eventId: 'e', pollId, value, queuedAt: 0 });

describe('the outbox', () => {
  it('keeps a vote made offline and delivers it once the network is back', async () => {
    const net = network();
    net.state.down = true;
    const storage = new MemoryStorage();
    const outbox = new Outbox(storage, net.send);
    await outbox.add(vote('k1', 3));
    expect(outbox.pending).toHaveLength(1);
    // The page is reloaded while still offline: the queue survives in storage.
    const reloaded = new Outbox(storage, net.send);
    expect(reloaded.pending).toHaveLength(1);
    net.state.down = false;
    await reloaded.flush();
    expect(reloaded.pending).toHaveLength(0);
    expect([...net.received.keys()]).toEqual(['k1']);
  });

  it('delivers exactly once when the answer to the first send was lost', async () => {
    const net = network();
    net.state.loseAnswer = true;
    const outbox = new Outbox(new MemoryStorage(), net.send);
    await outbox.add(vote('k1', 2));
    expect(outbox.pending).toHaveLength(1);
    await outbox.flush();
    await outbox.flush();
    expect(outbox.pending).toHaveLength(0);
    expect(net.received.size).toBe(1);
  });

  it('keeps only the latest vote per poll while offline, and theses in order', async () => {
    const net = network();
    net.state.down = true;
    const outbox = new Outbox(new MemoryStorage(), net.send);
    await outbox.add(vote('k1', 1));
    await outbox.add({ kind: 'thesis', key: 't1', eventId: 'e', text: 'First', queuedAt: 0 });
    await outbox.add(vote('k2', 4));
    await outbox.add(vote('k3', 0, 'p2'));
    expect(outbox.pending.map((i) => i.key)).toEqual(['t1', 'k2', 'k3']);
    net.state.down = false;
    await outbox.flush();
    expect([...net.received.values()]).toEqual([
      { text: 'First', idempotencyKey: 't1' },
      { value: 4, idempotencyKey: 'k2' },
      { value: 0, idempotencyKey: 'k3' }
    ]);
  });

  it('does not let an item the server fails on hold up the votes queued behind it', async () => {
    const received: string[] = [];
    let down = true;
    // The server fails on one thesis every time (a 500), and takes everything else.
    const fetcher = (async (_url: string, init: RequestInit) => {
      if (down) throw new TypeError('Failed to fetch');
      const body = JSON.parse(String(init.body));
      if (body.text === 'Poison\u0000') return new Response(JSON.stringify({ error: { message: 'Something went wrong on the server; nothing was changed.' } }), { status: 500 });
      received.push(body.idempotencyKey);
      return new Response('{}', { status: 200 });
    }) as unknown as typeof fetch;
    const reports: OutboxReport[] = [];
    let now = 0;
    const outbox = new Outbox(new MemoryStorage(), through(fetcher), (_, report) => report && reports.push(report), () => now);
    await outbox.add({ kind: 'thesis', key: 't-poison', eventId: 'e', text: 'Poison\u0000', queuedAt: 0 });
    await outbox.add(vote('k1', 1, 'p1'));
    await outbox.add(vote('k2', 3, 'p2'));
    down = false;
    await outbox.flush();
    expect(received).toEqual(['k1', 'k2']);
    expect(outbox.pending.map((i) => i.key)).toEqual(['t-poison']);
    // The phone can say which item is stuck, and that it is not given up.
    expect(reports).toEqual([{ item: expect.objectContaining({ key: 't-poison', kind: 'thesis', attempts: 1 }), message: 'Something went wrong on the server; nothing was changed.', final: false }]);

    // It waits before the next try, longer each time, while new votes go out at once.
    const tries = () => reports.filter((r) => r.item.key === 't-poison').length;
    now = 1000;
    await outbox.add(vote('k3', 0, 'p3'));
    expect(received).toEqual(['k1', 'k2', 'k3']);
    expect(tries()).toBe(1);
    now = 2000;
    await outbox.flush();
    expect(tries()).toBe(2);
    now = 5000;
    await outbox.flush();
    expect(tries()).toBe(2);
    now = 6000;
    await outbox.flush();
    expect(tries()).toBe(3);
    expect(outbox.pending.map((i) => i.key)).toEqual(['t-poison']);
  });

  it('drops only the item the server refuses and sends the rest', async () => {
    const received: string[] = [];
    const fetcher = (async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body));
      if (body.idempotencyKey === 'k-closed') return new Response(JSON.stringify({ error: { message: 'This poll is closed.' } }), { status: 409 });
      received.push(body.idempotencyKey);
      return new Response('{}', { status: 200 });
    }) as unknown as typeof fetch;
    const storage = new MemoryStorage();
    storage.setItem('kennisdag.outbox', JSON.stringify([vote('k-closed', 1, 'p1'), vote('k-open', 2, 'p2')]));
    const reports: OutboxReport[] = [];
    const outbox = new Outbox(storage, through(fetcher), (_, report) => report && reports.push(report));
    await outbox.flush();
    expect(received).toEqual(['k-open']);
    expect(outbox.pending).toEqual([]);
    expect(reports).toEqual([{ item: expect.objectContaining({ key: 'k-closed' }), message: 'This poll is closed.', final: true }]);
  });

  it('makes keys without https (crypto.randomUUID needs a secure page)', () => {
    const keys = new Set(Array.from({ length: 100 }, randomId));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('drops an item the server refuses for good, and says why', async () => {
    const net = network();
    net.state.status = 409;
    const failures: string[] = [];
    const outbox = new Outbox(new MemoryStorage(), net.send, (_, failure) => failure && failures.push(failure.message ?? ''));
    await outbox.add(vote('k1', 1));
    expect(outbox.pending).toHaveLength(0);
    expect(failures).toEqual(['This poll is closed.']);
  });
});
