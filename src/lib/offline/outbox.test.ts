import { describe, expect, it } from 'vitest';
import { deliver, Outbox, type OutboxItem } from './outbox';

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
  // The outbox sends through the JSON API's delivery, as the http data port does.
  return { received, state, send: (item: OutboxItem) => deliver(item, fetcher) };
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

  it('drops an item the server refuses for good, and says why', async () => {
    const net = network();
    net.state.status = 409;
    const failures: string[] = [];
    const outbox = new Outbox(new MemoryStorage(), net.send, (_, failure) => failure && failures.push(failure.message));
    await outbox.add(vote('k1', 1));
    expect(outbox.pending).toHaveLength(0);
    expect(failures).toEqual(['This poll is closed.']);
  });
});
