import type { LiveTally } from '../../types';
import type { Broadcast, Database } from '../db/types';
import { serviceCaller } from '../db/types';

export type LiveAccess = 'staff' | 'member' | 'projector';

export interface LiveClient {
  eventId: string;
  access: LiveAccess;
  /** `json` is the message already serialised: a snapshot for 2,000 phones is stringified once. */
  send(event: string, json: string): void;
  /** The signed-in account behind the stream (none for the projector link). */
  userId?: string;
  /** Ends the stream, when its account is removed from the event. */
  close?(): void;
}

/** At most ten tallies a second per poll go to the chair and the projector. */
const tallyInterval = 100;
/** Phones get the room's tally at most once a second: they need the result, not every vote. */
const phoneTallyInterval = 1000;
/** State changes that come in a burst (end of discussion touches every thesis) make one snapshot. */
const stateDebounce = 30;

interface Pending {
  timer?: ReturnType<typeof setTimeout>;
  last: number;
}

const topicPattern = /^event:([0-9a-f-]{36})(:staff)?$/;

/**
 * Relays the database's broadcasts to the Server-Sent Event streams of this server. A vote never
 * becomes a message per phone: votes are coalesced into tallies per poll, and a state change is
 * read once as a public snapshot and sent to every member's screen.
 */
export class LiveHub {
  private readonly clients = new Map<string, Set<LiveClient>>();
  private readonly tallies = new Map<string, Pending>();
  private readonly phoneTallies = new Map<string, Pending>();
  private readonly snapshots = new Map<string, Pending>();
  private readonly stop: () => void;

  constructor(private readonly db: Database) {
    this.stop = db.onBroadcast((message) => this.receive(message));
  }

  get clientCount(): number {
    let n = 0;
    for (const set of this.clients.values()) n += set.size;
    return n;
  }

  /** Registers a stream; returns the unsubscribe. */
  add(client: LiveClient): () => void {
    let set = this.clients.get(client.eventId);
    if (!set) this.clients.set(client.eventId, (set = new Set()));
    set.add(client);
    return () => {
      set.delete(client);
      if (set.size === 0) this.clients.delete(client.eventId);
    };
  }

  close() {
    this.stop();
    for (const pending of [...this.tallies.values(), ...this.phoneTallies.values(), ...this.snapshots.values()]) clearTimeout(pending.timer);
  }

  private receive(message: Broadcast) {
    const match = topicPattern.exec(message.topic);
    if (!match) return;
    const [, eventId, staffTopic] = match;
    if (!this.clients.has(eventId)) return;
    if (message.event === 'removed') {
      for (const client of [...(this.clients.get(eventId) ?? [])]) if (client.userId && client.userId === message.payload.userId) client.close?.();
      return;
    }
    if (message.event === 'vote') {
      const pollId = String(message.payload.pollId ?? '');
      if (pollId) this.scheduleTally(eventId, pollId);
      return;
    }
    this.sendTo(eventId, ['staff'], 'change', message.payload);
    if (!staffTopic) this.schedule(this.snapshots, eventId, stateDebounce, () => this.sendSnapshot(eventId), false);
  }

  private sendTo(eventId: string, access: LiveAccess[], event: string, data: unknown) {
    const json = JSON.stringify(data);
    for (const client of this.clients.get(eventId) ?? []) if (access.includes(client.access)) client.send(event, json);
  }

  /** Runs `task` at most once per `interval` per key: at once after a quiet spell, else at the end of it. */
  private schedule(map: Map<string, Pending>, key: string, interval: number, task: () => Promise<void>, leading = true) {
    const pending = map.get(key) ?? { last: 0 };
    map.set(key, pending);
    if (pending.timer) return;
    const wait = leading ? Math.max(0, pending.last + interval - Date.now()) : interval;
    pending.timer = setTimeout(async () => {
      pending.last = Date.now();
      try {
        await task();
      } catch (error) {
        console.error('live update failed:', (error as Error).message);
      } finally {
        pending.timer = undefined;
      }
    }, wait);
  }

  private scheduleTally(eventId: string, pollId: string) {
    this.schedule(this.tallies, pollId, tallyInterval, async () => {
      const tally = await this.db.rpc<(LiveTally & { visible: boolean }) | null>('live_poll_tally', { p_poll_id: pollId }, serviceCaller);
      if (!tally) return;
      const { visible, ...data } = tally;
      this.sendTo(eventId, visible ? ['staff', 'projector'] : ['staff'], 'tally', data);
      if (visible) this.schedule(this.phoneTallies, pollId, phoneTallyInterval, async () => this.sendPhoneTally(eventId, pollId));
    });
  }

  private async sendPhoneTally(eventId: string, pollId: string) {
    const tally = await this.db.rpc<(LiveTally & { visible: boolean }) | null>('live_poll_tally', { p_poll_id: pollId }, serviceCaller);
    if (!tally?.visible) return;
    const { visible: _visible, ...data } = tally;
    this.sendTo(eventId, ['member'], 'tally', data);
  }

  private async sendSnapshot(eventId: string) {
    if (!this.clients.has(eventId)) return;
    const state = await this.db.rpc('live_public_state', { p_event_id: eventId }, serviceCaller);
    this.sendTo(eventId, ['member', 'projector'], 'state', state);
  }
}
