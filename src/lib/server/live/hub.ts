import { userError } from '../../errors';
import type { LiveTally, LiveView } from '../../types';
import type { Broadcast, Database } from '../db/types';
import { serviceCaller } from '../db/types';

export type LiveAccess = 'staff' | 'member' | 'projector';

/** One message for screens, serialised once for every screen that gets it. */
export type LiveMessage = { event: 'view' | 'change'; json: string } | { event: 'tally'; pollId: string; json: string };

export interface LiveClient {
  readonly eventId: string;
  readonly access: LiveAccess;
  /** The signed-in user behind a member's or staff screen; null for the projector link. */
  readonly userId: string | null;
  /** Tells one open page from another: the same page reconnecting takes its old stream's place. */
  readonly clientId: string;
  /** The membership whose changes (a new role) the hub watches, once the stream knows it. */
  memberId: string | null;
  offer(message: LiveMessage): void;
  /** Asks again how this screen may listen, after its membership changed; null when it may not. */
  recheck(): Promise<LiveAccess | null>;
  close(): void;
}

/** A handful of open pages per member (phone, laptop, a second tab); a projector link may drive several screens. */
export const streamsPerMember = 5;
export const streamsPerProjectorLink = 10;

/** At most ten tallies a second per poll go to the chair and the projector. */
const tallyInterval = 100;
/** Phones get the room's tally at most once a second: they need the result, not every vote. */
const phoneTallyInterval = 1000;
/** State changes that come in a burst (end of discussion touches every thesis) make one view. */
const stateDebounce = 30;

interface Pending {
  /** A run is due (its timer set, or about to start) or running. */
  scheduled?: boolean;
  timer?: ReturnType<typeof setTimeout>;
  last: number;
  running?: boolean;
  /** Asked for again while the task ran: what it read may predate the change, so it runs once more. */
  again?: boolean;
}

type Tally = LiveTally & { visible: boolean };

const topicPattern = /^event:([0-9a-f-]{36})(:staff)?$/;

/** Whose streams count together towards a cap: a member's, or the event's projector link's. */
const ownerOf = (client: LiveClient) => (client.access === 'projector' ? 'projector' : `user:${client.userId}`);

/**
 * Relays the database's broadcasts to the Server-Sent Event streams of this server. A vote never
 * becomes a message per phone: votes are coalesced into tallies per poll, and a state change is
 * read once as a small public view and sent to every member's screen. An open poll's results go
 * only to the phones of those who voted (the hub asks which, for all phones at once).
 */
export class LiveHub {
  private readonly clients = new Map<string, Set<LiveClient>>();
  private readonly tallies = new Map<string, Pending>();
  private readonly phoneTallies = new Map<string, Pending>();
  private readonly views = new Map<string, Pending>();
  /** Per event, its open poll and the members known to have voted on it (a vote is never taken back). */
  private readonly voters = new Map<string, { pollId: string; users: Set<string> }>();
  private readonly stop: () => void;
  private closed = false;

  constructor(private readonly db: Database) {
    this.stop = db.onBroadcast((message) => this.receive(message));
  }

  get clientCount(): number {
    let n = 0;
    for (const set of this.clients.values()) n += set.size;
    return n;
  }

  /**
   * Registers a stream and returns the unsubscribe. A page that reconnects replaces its own old
   * stream; beyond the cap of open pages per member or projector link, a new one is refused.
   */
  add(client: LiveClient): () => void {
    const owner = ownerOf(client);
    const own = [...(this.clients.get(client.eventId) ?? [])].filter((c) => ownerOf(c) === owner);
    const previous = own.find((c) => c.clientId === client.clientId);
    const projector = client.access === 'projector';
    if (previous) previous.close();
    else if (own.length >= (projector ? streamsPerProjectorLink : streamsPerMember)) {
      throw userError(429, 'too_many_streams', projector ? 'refusal.streamsProjector' : 'refusal.streamsMember');
    }
    let set = this.clients.get(client.eventId);
    if (!set) this.clients.set(client.eventId, (set = new Set()));
    set.add(client);
    return () => {
      set.delete(client);
      if (set.size === 0 && this.clients.get(client.eventId) === set) {
        this.clients.delete(client.eventId);
        this.voters.delete(client.eventId);
      }
    };
  }

  close() {
    this.closed = true;
    this.stop();
    for (const pending of [...this.tallies.values(), ...this.phoneTallies.values(), ...this.views.values()]) clearTimeout(pending.timer);
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
    if (message.payload.table === 'event_members') void this.recheckMember(eventId, String(message.payload.id ?? ''));
    this.offerTo(eventId, ['staff'], { event: 'change', json: JSON.stringify(message.payload) });
    if (!staffTopic) this.schedule(this.views, eventId, stateDebounce, () => this.sendView(eventId), false);
  }

  private offerTo(eventId: string, access: LiveAccess[], message: LiveMessage) {
    for (const client of this.clients.get(eventId) ?? []) if (access.includes(client.access)) client.offer(message);
  }

  /**
   * Runs `task` at most once per `interval` per key: at once after a quiet spell, else at the end of it.
   * A change that comes while the task is running gets a run of its own after it. "At once" is in this
   * turn of the event loop, not on a timer: on a server busy with a hall's votes a timer's next turn
   * can be tens of milliseconds away, and the projector waits for each.
   */
  private schedule(map: Map<string, Pending>, key: string, interval: number, task: () => Promise<void>, leading = true) {
    const pending = map.get(key) ?? { last: 0 };
    map.set(key, pending);
    if (pending.scheduled) {
      if (pending.running) pending.again = true;
      return;
    }
    pending.scheduled = true;
    const run = async () => {
      if (this.closed) return;
      pending.timer = undefined;
      pending.last = Date.now();
      pending.running = true;
      try {
        await task();
      } catch (error) {
        console.error('live update failed:', (error as Error).message);
      } finally {
        pending.scheduled = false;
        pending.running = false;
        if (pending.again && !this.closed) {
          pending.again = false;
          this.schedule(map, key, interval, task, leading);
        }
      }
    };
    const wait = leading ? Math.max(0, pending.last + interval - Date.now()) : interval;
    if (wait > 0) pending.timer = setTimeout(run, wait);
    else queueMicrotask(run);
  }

  private readTally(pollId: string) {
    return this.db.rpc<Tally | null>('live_poll_tally', { p_poll_id: pollId }, serviceCaller);
  }

  private scheduleTally(eventId: string, pollId: string) {
    this.schedule(this.tallies, pollId, tallyInterval, async () => {
      const tally = await this.readTally(pollId);
      if (!tally) return;
      const { visible, ...data } = tally;
      this.offerTo(eventId, visible ? ['staff', 'projector'] : ['staff'], { event: 'tally', pollId, json: JSON.stringify(data) });
      if (visible) this.schedule(this.phoneTallies, pollId, phoneTallyInterval, async () => this.sendPhoneTally(eventId, pollId));
    });
  }

  private async sendPhoneTally(eventId: string, pollId: string) {
    const tally = await this.readTally(pollId);
    if (!tally?.visible) return;
    const { visible: _visible, ...data } = tally;
    const maySee = tally.status === 'open' ? await this.votersOf(eventId, pollId) : () => true;
    const message: LiveMessage = { event: 'tally', pollId, json: JSON.stringify(data) };
    for (const client of this.clients.get(eventId) ?? []) if (client.access === 'member' && maySee(client)) client.offer(message);
  }

  /** The public view after a change, serialised once with an open poll's results and once without. */
  private async sendView(eventId: string) {
    if (!this.clients.has(eventId)) return;
    const view = await this.db.rpc<LiveView>('live_public_state', { p_event_id: eventId }, serviceCaller);
    const json = JSON.stringify(view);
    const poll = view.openPoll;
    let withoutResults = json;
    let maySee = (_client: LiveClient) => true;
    if (poll?.results) {
      withoutResults = JSON.stringify({ ...view, openPoll: { ...poll, results: null } });
      maySee = await this.votersOf(eventId, poll.id);
    }
    for (const client of this.clients.get(eventId) ?? []) {
      if (client.access === 'staff') continue;
      client.offer({ event: 'view', json: client.access === 'member' && !maySee(client) ? withoutResults : json });
    }
  }

  /**
   * Which member screens may see an open poll's results: those whose user voted on it. The hub
   * remembers who voted and asks the database only about the others, in one query for all phones.
   */
  private async votersOf(eventId: string, pollId: string): Promise<(client: LiveClient) => boolean> {
    let known = this.voters.get(eventId);
    if (known?.pollId !== pollId) this.voters.set(eventId, (known = { pollId, users: new Set() }));
    const users = known.users;
    const undecided = new Set<string>();
    for (const client of this.clients.get(eventId) ?? []) {
      if (client.access === 'member' && client.userId && !users.has(client.userId)) undecided.add(client.userId);
    }
    if (undecided.size) {
      const voted = await this.db.rpc<string[]>('live_poll_voters', { p_poll_id: pollId, p_user_ids: [...undecided] }, serviceCaller);
      for (const user of voted) users.add(user);
    }
    return (client) => client.userId !== null && users.has(client.userId);
  }

  /** A membership changed (a new role, or removed): its open streams that may no longer listen as they do close. */
  private async recheckMember(eventId: string, memberId: string) {
    const affected = [...(this.clients.get(eventId) ?? [])].filter((client) => client.memberId === memberId);
    await Promise.all(
      affected.map(async (client) => {
        const access = await client.recheck().catch(() => null);
        if (access !== client.access) client.close();
      })
    );
  }
}
