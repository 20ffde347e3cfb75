import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../errors';
import type { Broadcast, Caller, Database, RpcArgs } from '../db/types';
import { LiveHub, streamsPerMember, streamsPerProjectorLink, type LiveAccess, type LiveClient, type LiveMessage } from './hub';

const eventId = '11111111-1111-4111-8111-111111111111';
const pollId = '22222222-2222-4222-8222-222222222222';

/** A database that only broadcasts and answers the hub's server calls. */
class FakeDatabase implements Database {
  readonly backend = 'pglite' as const;
  listener: ((m: Broadcast) => void) | undefined;
  calls: { fn: string; args: RpcArgs }[] = [];
  votes = 0;
  visible = true;
  pollStatus: 'open' | 'closed' = 'open';
  voters = new Set<string>();
  /** How long a tally read takes; it counts the votes there were when it started, as a query does. */
  tallyReadMs = 0;
  async rpc<T>(fn: string, args: RpcArgs, caller: Caller): Promise<T> {
    expect(caller.kind).toBe('service');
    this.calls.push({ fn, args });
    if (fn === 'live_poll_tally') {
      const votes = this.votes;
      if (this.tallyReadMs) await new Promise((resolve) => setTimeout(resolve, this.tallyReadMs));
      return { pollId, eventId, status: this.pollStatus, counts: [votes], total: votes, visible: this.visible } as T;
    }
    if (fn === 'live_poll_voters') return (args.p_user_ids as string[]).filter((id) => this.voters.has(id)) as T;
    const poll = { id: pollId, status: this.pollStatus, results: this.visible ? { counts: [this.votes], total: this.votes } : null };
    return { event: { id: eventId }, openPoll: this.pollStatus === 'open' ? poll : null, lastPoll: this.pollStatus === 'closed' ? poll : null, snapshot: this.calls.length } as T;
  }
  onBroadcast(listener: (m: Broadcast) => void) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  async close() {}
  count(fn: string) {
    return this.calls.filter((c) => c.fn === fn).length;
  }
  vote(userId = 'someone') {
    this.votes += 1;
    this.voters.add(userId);
    this.listener!({ topic: `event:${eventId}:staff`, event: 'vote', payload: { pollId }, private: true });
  }
  change(table = 'theses', id = 't', staff = false) {
    this.listener!({ topic: `event:${eventId}${staff ? ':staff' : ''}`, event: 'change', payload: { table, op: 'update', id }, private: true });
  }
}

interface TestClient extends LiveClient {
  received: { event: string; data: any }[];
  closed: boolean;
  access: LiveAccess;
}

let pages = 0;
function client(hub: LiveHub, access: LiveAccess, options: { userId?: string; memberId?: string; clientId?: string; recheck?: () => Promise<LiveAccess | null> } = {}): TestClient {
  let leave = () => {};
  const c: TestClient = {
    eventId,
    access,
    userId: access === 'projector' ? null : (options.userId ?? `user-${++pages}`),
    clientId: options.clientId ?? `page-${++pages}`,
    memberId: options.memberId ?? null,
    received: [],
    closed: false,
    offer: (message: LiveMessage) => c.received.push({ event: message.event, data: JSON.parse(message.json) }),
    recheck: options.recheck ?? (async () => access),
    close: () => {
      c.closed = true;
      leave();
    }
  };
  leave = hub.add(c);
  return c;
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

    const tallies = projector.received.filter((m) => m.event === 'tally');
    expect(tallies.length).toBeGreaterThanOrEqual(9);
    expect(tallies.length).toBeLessThanOrEqual(12);
    // The last tally includes the last vote: nothing is left behind by the coalescing.
    expect(tallies.at(-1)!.data).toMatchObject({ total: 500 });
    expect(chair.received.filter((m) => m.event === 'tally').length).toBe(tallies.length);
    expect(JSON.stringify(tallies.at(-1)!.data)).not.toContain('visible');
  });

  it('reads and sends the tally of a vote after a quiet spell at once, without waiting for a timer', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const projector = client(hub, 'projector');

    db.vote();
    // No timer advances: a busy server's next timer turn can be far away.
    for (let turn = 0; turn < 5; turn++) await Promise.resolve();

    expect(projector.received.filter((m) => m.event === 'tally').map((t) => t.data.total)).toEqual([1]);
  });

  it('sends a vote that arrives while a tally is being read in the tally after it', async () => {
    const db = new FakeDatabase();
    db.tallyReadMs = 300;
    const hub = new LiveHub(db);
    const projector = client(hub, 'projector');

    db.vote();
    await vi.advanceTimersByTimeAsync(50);
    // The read of the first vote's tally is under way: this vote is not in it.
    db.vote();
    await vi.advanceTimersByTimeAsync(2000);

    const tallies = projector.received.filter((m) => m.event === 'tally');
    expect(tallies.map((t) => t.data.total)).toEqual([1, 2]);
  });

  it('sends a phone that voted the tally at most once a second, and hidden results to the staff only', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const phone = client(hub, 'member', { userId: 'voter' });
    const projector = client(hub, 'projector');

    db.vote('voter');
    for (let i = 0; i < 300; i++) {
      db.vote();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(1500);
    const phoneTallies = phone.received.filter((m) => m.event === 'tally');
    expect(phoneTallies.length).toBeGreaterThanOrEqual(2);
    expect(phoneTallies.length).toBeLessThanOrEqual(5);

    db.visible = false;
    const before = projector.received.length;
    const phoneBefore = phone.received.length;
    db.vote();
    await vi.advanceTimersByTimeAsync(1500);
    expect(projector.received.length).toBe(before);
    expect(phone.received.length).toBe(phoneBefore);
  });

  it('keeps an open poll’s results from phones that have not voted, in tallies and views, until it closes', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const voter = client(hub, 'member', { userId: 'voter' });
    const waiter = client(hub, 'member', { userId: 'waiter' });
    const projector = client(hub, 'projector');

    db.vote('voter');
    await vi.advanceTimersByTimeAsync(1500);
    db.change();
    await vi.advanceTimersByTimeAsync(100);

    expect(voter.received.filter((m) => m.event === 'tally')).not.toEqual([]);
    expect(waiter.received.filter((m) => m.event === 'tally')).toEqual([]);
    expect(voter.received.find((m) => m.event === 'view')!.data.openPoll.results).toEqual({ counts: [1], total: 1 });
    expect(waiter.received.find((m) => m.event === 'view')!.data.openPoll.results).toBeNull();
    expect(projector.received.find((m) => m.event === 'view')!.data.openPoll.results).toEqual({ counts: [1], total: 1 });

    // The waiter votes: from then on it sees the room's result.
    db.vote('waiter');
    await vi.advanceTimersByTimeAsync(1500);
    expect(waiter.received.filter((m) => m.event === 'tally').at(-1)!.data).toMatchObject({ total: 2 });

    // Once closed, everyone sees the result.
    const late = client(hub, 'member', { userId: 'late' });
    db.pollStatus = 'closed';
    db.change('polls');
    await vi.advanceTimersByTimeAsync(100);
    expect(late.received.find((m) => m.event === 'view')!.data.lastPoll.results).toEqual({ counts: [2], total: 2 });
  });

  it('asks once per view which phones voted, and never again about a known voter', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const phones = Array.from({ length: 200 }, (_, i) => client(hub, 'member', { userId: `phone-${i}` }));
    for (let i = 0; i < 150; i++) db.voters.add(`phone-${i}`);

    db.change();
    await vi.advanceTimersByTimeAsync(100);
    expect(db.count('live_public_state')).toBe(1);
    expect(db.count('live_poll_voters')).toBe(1);
    expect((db.calls.find((c) => c.fn === 'live_poll_voters')!.args.p_user_ids as string[]).length).toBe(200);

    db.change();
    await vi.advanceTimersByTimeAsync(100);
    const asked = db.calls.filter((c) => c.fn === 'live_poll_voters').at(-1)!.args.p_user_ids as string[];
    expect(asked).toHaveLength(50);
    expect(phones.filter((p) => p.received.at(-1)!.data.openPoll.results !== null)).toHaveLength(150);
  });

  it('reads one public view per burst of changes and sends it to every phone and the projector', async () => {
    const db = new FakeDatabase();
    db.visible = false;
    const hub = new LiveHub(db);
    const phones = Array.from({ length: 50 }, () => client(hub, 'member'));
    const staff = client(hub, 'staff');

    for (let i = 0; i < 20; i++) db.change('theses', String(i));
    await vi.advanceTimersByTimeAsync(100);

    expect(db.count('live_public_state')).toBe(1);
    for (const phone of phones) expect(phone.received.map((m) => m.event)).toEqual(['view']);
    // Staff screens get each change and read their own, fuller view.
    expect(staff.received.filter((m) => m.event === 'change')).toHaveLength(20);
  });

  it('closes the streams of a member whose role changed, and keeps those whose access stayed', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    let role: LiveAccess | null = 'staff';
    const demoted = client(hub, 'staff', { memberId: 'nora', recheck: async () => role });
    const other = client(hub, 'staff', { memberId: 'olga' });
    const phone = client(hub, 'member', { memberId: 'pat' });

    db.change('event_members', 'nora', true);
    await vi.advanceTimersByTimeAsync(10);
    expect(demoted.closed).toBe(false);

    role = 'member';
    db.change('event_members', 'nora', true);
    await vi.advanceTimersByTimeAsync(10);
    expect(demoted.closed).toBe(true);
    expect([other.closed, phone.closed]).toEqual([false, false]);
    db.change('theses', 'secret', true);
    expect(demoted.received.filter((m) => m.data.id === 'secret')).toEqual([]);
    expect(other.received.filter((m) => m.data.id === 'secret')).toHaveLength(1);

    // Removed from the event: the check fails, the stream closes.
    const removed = client(hub, 'member', { memberId: 'gone', recheck: () => Promise.reject(new AppError(403, 'forbidden', 'You are not a member of this event.')) });
    db.change('event_members', 'gone', true);
    await vi.advanceTimersByTimeAsync(10);
    expect(removed.closed).toBe(true);
  });

  it('caps open streams per member and per projector link; a page that reconnects takes its own place', () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const tabs = Array.from({ length: streamsPerMember }, (_, i) => client(hub, 'member', { userId: 'pat', clientId: `tab-${i}` }));
    expect(() => client(hub, 'member', { userId: 'pat', clientId: 'one-more' })).toThrow(expect.objectContaining({ status: 429 }));

    const reconnect = client(hub, 'member', { userId: 'pat', clientId: 'tab-2' });
    expect(tabs[2].closed).toBe(true);
    expect(reconnect.closed).toBe(false);
    expect(hub.clientCount).toBe(streamsPerMember);
    client(hub, 'member', { userId: 'someone-else' });

    for (let i = 0; i < streamsPerProjectorLink; i++) client(hub, 'projector', { clientId: `screen-${i}` });
    expect(() => client(hub, 'projector', { clientId: 'screen-x' })).toThrow(expect.objectContaining({ status: 429 }));
  });

  it('ignores other events and stops after the last client leaves', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    db.listener!({ topic: 'event:33333333-3333-4333-8333-333333333333', event: 'change', payload: {}, private: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(db.calls).toEqual([]);
    const phone = client(hub, 'member');
    expect(hub.clientCount).toBe(1);
    phone.close();
    expect(hub.clientCount).toBe(0);
  });

  it('closes the streams of an account removed from the event, and only those', async () => {
    const db = new FakeDatabase();
    const hub = new LiveHub(db);
    const streams = [client(hub, 'member', { userId: 'removed-phone' }), client(hub, 'member', { userId: 'removed-phone' }), client(hub, 'member', { userId: 'other-phone' })];
    db.listener!({ topic: `event:${eventId}:staff`, event: 'removed', payload: { userId: 'removed-phone' }, private: true });
    expect(streams.map((s) => s.closed)).toEqual([true, true, false]);
  });
});
