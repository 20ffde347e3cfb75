import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Broadcast, Caller, Database, RpcArgs } from '../db/types';
import { LiveHub, type LiveAccess } from './hub';

const eventId = '11111111-1111-4111-8111-111111111111';
const pollId = '22222222-2222-4222-8222-222222222222';

/** A database that only broadcasts and answers the hub's two server calls. */
class FakeDatabase implements Database {
  readonly backend = 'pglite' as const;
  listener: ((m: Broadcast) => void) | undefined;
  calls: string[] = [];
  votes = 0;
  visible = true;
  async rpc<T>(fn: string, _args: RpcArgs, caller: Caller): Promise<T> {
    expect(caller.kind).toBe('service');
    this.calls.push(fn);
    if (fn === 'live_poll_tally') return { pollId, eventId, status: 'open', counts: [this.votes], total: this.votes, visible: this.visible } as T;
    return { event: { id: eventId }, snapshot: this.calls.length } as T;
  }
  onBroadcast(listener: (m: Broadcast) => void) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  async close() {}
  vote() {
    this.votes += 1;
    this.listener!({ topic: `event:${eventId}:staff`, event: 'vote', payload: { pollId }, private: true });
  }
}

function client(hub: LiveHub, access: LiveAccess) {
  const received: { event: string; data: unknown }[] = [];
  hub.add({ eventId, access, send: (event, json) => received.push({ event, data: JSON.parse(json) }) });
  return received;
}

describe('the live hub', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('coalesces a burst of votes into at most ten tallies a second for the projector', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const projector = client(hub, 'projector');
    const chair = client(hub, 'staff');

    for (let ms = 0; ms < 1000; ms += 2) {
      db.vote();
      await vi.advanceTimersByTimeAsync(2);
    }
    await vi.advanceTimersByTimeAsync(200);

    const tallies = projector.filter((m) => m.event === 'tally');
    expect(tallies.length).toBeGreaterThanOrEqual(9);
    expect(tallies.length).toBeLessThanOrEqual(12);
    // The last tally includes the last vote: nothing is left behind by the coalescing.
    expect(tallies.at(-1)!.data).toMatchObject({ total: 500 });
    expect(chair.filter((m) => m.event === 'tally').length).toBe(tallies.length);
    expect(JSON.stringify(tallies.at(-1)!.data)).not.toContain('visible');
  });

  it('sends phones the tally at most once a second, and hidden results to the staff only', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const phone = client(hub, 'member');
    const projector = client(hub, 'projector');

    for (let i = 0; i < 300; i++) {
      db.vote();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(1500);
    const phoneTallies = phone.filter((m) => m.event === 'tally');
    expect(phoneTallies.length).toBeGreaterThanOrEqual(2);
    expect(phoneTallies.length).toBeLessThanOrEqual(5);

    db.visible = false;
    const before = projector.length;
    const phoneBefore = phone.length;
    db.vote();
    await vi.advanceTimersByTimeAsync(1500);
    expect(projector.length).toBe(before);
    expect(phone.length).toBe(phoneBefore);
  });

  it('reads one public snapshot per burst of changes and sends it to every phone and the projector', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const phones = Array.from({ length: 50 }, () => client(hub, 'member'));
    const staff = client(hub, 'staff');

    for (let i = 0; i < 20; i++) {
      db.listener!({ topic: `event:${eventId}`, event: 'change', payload: { table: 'theses', op: 'update', id: String(i) }, private: true });
    }
    await vi.advanceTimersByTimeAsync(100);

    expect(db.calls.filter((c) => c === 'live_public_state')).toHaveLength(1);
    for (const phone of phones) expect(phone.map((m) => m.event)).toEqual(['state']);
    // Staff screens get each change and read their own, fuller view.
    expect(staff.filter((m) => m.event === 'change')).toHaveLength(20);
  });

  it('ignores other events and stops after the last client leaves', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    db.listener!({ topic: 'event:33333333-3333-4333-8333-333333333333', event: 'change', payload: {}, private: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(db.calls).toEqual([]);
    const leave = hub.add({ eventId, access: 'member', send: () => {} });
    expect(hub.clientCount).toBe(1);
    leave();
    expect(hub.clientCount).toBe(0);
  });

  it('closes the streams of an account removed from the event, and only those', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const closed: string[] = [];
    const stream = (userId: string) => hub.add({ eventId, access: 'member', userId, send: () => {}, close: () => closed.push(userId) });
    stream('removed-phone');
    stream('removed-phone');
    stream('other-phone');
    db.listener!({ topic: `event:${eventId}:staff`, event: 'removed', payload: { userId: 'removed-phone' }, private: true });
    expect(closed).toEqual(['removed-phone', 'removed-phone']);
  });
});
