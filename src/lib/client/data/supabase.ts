import type { RealtimeChannel, Session, SupabaseClient } from '@supabase/supabase-js';
import type { EventState, GuestMatch, LiveTally, LiveView } from '../../types';
import type { LiveHandlers, LiveStatus } from '../../live/live-client';
import type { Delivery, OutboxItem } from '../../offline/outbox';
import { DataError, type Audience, type DataPort, type JoinInput, type PortOptions } from './port';

export interface SupabasePortOptions extends PortOptions {
  /** Milliseconds before the n-th attempt to join a channel again, or to read the state again. */
  rejoinDelay?: (attempt: number) => number;
}

/** A 401 is an expired token that the next attempt refreshes; like a 5xx, 408 or 429 it is tried again later. */
const tryLater = (status: number) => status === 401 || status === 408 || status === 429 || status >= 500;

/** Staff screens and the projector ask for the tally once this long has passed after the last one. */
const quietTallyMs = 1200;

const secondsLeft = (session: Session) => (session.expires_at ?? 0) - Date.now() / 1000;

/**
 * A token is sent with at least this much of its life left (a third of its lifetime, at most five
 * seconds), so that a join or a call still arrives valid on a slow network.
 */
const tokenMargin = (session: Session) => Math.min(5, (session.expires_in || 3600) / 3);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * realtime-js asks supabase-js for a token by itself (on heartbeats, on sign-out), and supabase-js
 * answers with the anon key whenever it has no session at that moment: a refresh that failed or was
 * discarded, a session that ended. Realtime would be handed the anon key for private channels. Here
 * it gets the session's own token or nothing, and then keeps the token it has.
 */
function sessionTokensOnly(client: SupabaseClient): SupabaseClient {
  client.realtime.accessToken = async () => {
    const { data } = await client.auth.getSession();
    if (!data.session || secondsLeft(data.session) <= 0) throw new Error('No session to read private channels with');
    return data.session.access_token;
  };
  return client;
}

/**
 * Supabase, straight from the browser with supabase-js: the phone signs in anonymously itself, calls
 * the domain functions with its own token (row-level security as everywhere), and listens to its
 * private Realtime channels. supabase-js refreshes the token before it expires and hands each new one
 * to Realtime (`realtime.setAuth`) when Auth and Realtime share the client, as here. Every join goes
 * out with the session's own token, fresh, set on Realtime just before: a channel Realtime closes (a
 * phone that slept past its token's expiry), refuses or loses with the socket is joined again that
 * way, never by realtime-js's own rejoin with whatever token it holds, and every (re)join catches up
 * with a fresh state. The app server is in none of this.
 */
export class SupabaseDataPort implements DataPort {
  readonly kind = 'supabase' as const;
  private loading?: Promise<SupabaseClient>;
  private readonly listeners = new Set<RealtimeListener>();

  constructor(
    private readonly source: SupabaseClient | (() => Promise<SupabaseClient>),
    private readonly options: SupabasePortOptions = {}
  ) {}

  client(): Promise<SupabaseClient> {
    return (this.loading ??= (typeof this.source === 'function' ? this.source() : Promise.resolve(this.source)).then(sessionTokensOnly));
  }

  /**
   * The session, with enough of its token's life left to send it (refreshed first when it has
   * less), or null: signed out, or Auth cannot renew it just now.
   */
  async freshSession(): Promise<Session | null> {
    const client = await this.client();
    let { session } = (await client.auth.getSession()).data;
    if (session && secondsLeft(session) < tokenMargin(session)) ({ session } = (await client.auth.refreshSession()).data);
    return session && secondsLeft(session) >= tokenMargin(session) ? session : null;
  }

  /**
   * Calls a domain function with the session's own token (never the anon key supabase-js would send
   * without a session); a refusal becomes a DataError with the status it stands for.
   */
  async call<T>(fn: string, args: Record<string, unknown>): Promise<T> {
    return (await this.callAs<T>(fn, args)).data;
  }

  /** A call, and the user it was made as. */
  private async callAs<T>(fn: string, args: Record<string, unknown>): Promise<{ data: T; userId: string }> {
    const client = await this.client();
    const session = await this.freshSession();
    if (!session) throw new DataError(401, 'Not signed in');
    const { data, error, status } = await client.rpc(fn, args).setHeader('Authorization', `Bearer ${session.access_token}`);
    if (error) {
      // The domain functions raise KDnnn, which PostgREST answers with 400; the code says which refusal.
      const domain = /^KD(\d{3})$/.exec(error.code ?? '');
      throw new DataError(domain ? Number(domain[1]) : status, error.message);
    }
    return { data: data as T, userId: session.user.id };
  }

  /** An existing session, or an anonymous sign-in from this browser. */
  private async signedIn(): Promise<void> {
    const client = await this.client();
    const { data } = await client.auth.getSession();
    if (data.session) return;
    const { error } = await client.auth.signInAnonymously();
    if (error) throw new DataError(error.status === 429 ? 429 : 503, 'Joining is not possible right now; try again in a moment.');
  }

  readonly join = async (code: string, input: JoinInput): Promise<{ eventId: string }> => {
    await this.signedIn();
    const member = await this.call<{ event_id: string }>('join_event', {
      p_code: code, p_name: input.name, p_organisation: input.organisation, p_job_title: input.role, p_listed: input.listed,
      ...(input.guestId ? { p_guest_id: input.guestId } : {})
    });
    return { eventId: member.event_id };
  };

  /** The join form asks this before joining, so a phone that has not joined yet signs in for it. */
  readonly findGuests = async (code: string, name: string): Promise<GuestMatch[]> => {
    await this.signedIn();
    return this.call<GuestMatch[]>('find_guests', { p_code: code, p_name: name });
  };

  async state(eventId: string): Promise<EventState> {
    return (await this.ownState(eventId)).state;
  }

  /** The caller's own view, and whose it is (for the projector: the user that claimed the projector). */
  async ownState(eventId: string): Promise<{ state: EventState; userId: string }> {
    const token = this.options.projectorToken;
    const read = token
      ? // The projector link's screen is a user of its own (signed in anew if its session ended): it
        // claims the event's projector, which is idempotent and answers with what the projector shows.
        await this.signedIn().then(() => this.callAs<EventState>('claim_projector', { p_event_id: eventId, p_token: token }))
      : await this.callAs<EventState>('get_event_state', { p_event_id: eventId });
    return { state: read.data, userId: read.userId };
  }

  async upvote(_eventId: string, thesisId: string, upvoted: boolean): Promise<boolean> {
    return this.call('upvote_thesis', { p_thesis_id: thesisId, p_upvoted: upvoted }).then(
      () => true,
      () => false
    );
  }

  async results(_eventId: string, pollId: string): Promise<LiveTally | null> {
    return this.call<LiveTally>('poll_results', { p_poll_id: pollId }).catch(() => null);
  }

  async deliver(item: OutboxItem): Promise<Delivery> {
    try {
      if (item.kind === 'vote') {
        await this.call('cast_vote', {
          p_poll_id: item.pollId,
          ...(typeof item.value === 'number' ? { p_option_index: item.value } : { p_word: item.value }),
          p_idempotency_key: item.key,
          p_event_id: item.eventId
        });
        for (const listener of this.listeners) listener.voted(item.pollId);
      } else {
        await this.call('submit_thesis', { p_event_id: item.eventId, p_text: item.text, p_idempotency_key: item.key });
      }
      return { ok: true };
    } catch (error) {
      if (!(error instanceof DataError) || error.status === 0) return { ok: false, problem: 'offline' };
      // A session being renewed is no reason the user can act on: the page says it will try again.
      if (error.status === 401) return { ok: false, problem: 'failed' };
      return { ok: false, problem: tryLater(error.status) ? 'failed' : 'refused', message: error.message };
    }
  }

  listen(eventId: string, audience: Audience, handlers: LiveHandlers): () => void {
    const listener = new RealtimeListener(this, eventId, audience, handlers, this.options.rejoinDelay ?? ((n) => Math.min(250 * 2 ** (n - 1), 10_000)));
    this.listeners.add(listener);
    // Without supabase-js (offline on the first visit) the screen says so; the next visit starts over.
    void listener.start().catch(() => handlers.status?.('offline'));
    return () => {
      this.listeners.delete(listener);
      listener.stop();
    };
  }
}

/** The channels one screen listens to, kept joined. */
class RealtimeListener {
  private client?: SupabaseClient;
  private readonly channels = new Map<string, RealtimeChannel>();
  private readonly joined = new Set<string>();
  private readonly wanted = new Set<string>();
  /** Topics whose join waits for a token or for the socket. */
  private readonly joining = new Set<string>();
  private readonly everJoined = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private resultsPoll: string | null = null;
  private quietTimer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private lastStatus?: LiveStatus;
  /** The user whose claim on the projector went through: a user signed in anew claims it again first. */
  private claimedBy?: string;
  /** Counts the room's views received, so a state read while one arrived is known to be older. */
  private viewsReceived = 0;
  private reading?: Promise<void>;
  private readAgain = false;
  private readonly onOffline = () => this.report();

  constructor(
    private readonly port: SupabaseDataPort,
    private readonly eventId: string,
    private readonly audience: Audience,
    private readonly handlers: LiveHandlers,
    private readonly rejoinDelay: (attempt: number) => number
  ) {}

  private topic(suffix = '') {
    return `event:${this.eventId}${suffix}`;
  }

  private get stateTopic() {
    return this.audience === 'staff' ? this.topic() : this.topic(':state');
  }

  async start() {
    this.report();
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', this.onOffline);
      window.addEventListener('online', this.onOffline);
    }
    this.client = await this.port.client();
    if (this.stopped) return;
    const topics = { member: [':state'], staff: ['', ':staff'], projector: [':state', ':projector'] }[this.audience];
    for (const suffix of topics) this.want(this.topic(suffix));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.quietTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', this.onOffline);
      window.removeEventListener('online', this.onOffline);
    }
    for (const topic of [...this.wanted]) this.unwant(topic);
  }

  /** This phone's vote went in: it may see the poll's results from now on. */
  voted(pollId: string) {
    if (this.audience === 'member') this.followResults(pollId);
  }

  private followResults(pollId: string | null) {
    if (pollId === this.resultsPoll) return;
    if (this.resultsPoll) this.unwant(this.topic(`:poll:${this.resultsPoll}`));
    this.resultsPoll = pollId;
    if (pollId) this.want(this.topic(`:poll:${pollId}`));
  }

  private want(topic: string) {
    this.wanted.add(topic);
    this.report();
    void this.join(topic);
  }

  private unwant(topic: string) {
    this.wanted.delete(topic);
    this.joined.delete(topic);
    const channel = this.channels.get(topic);
    this.channels.delete(topic);
    if (channel) void this.client?.removeChannel(channel);
    this.report();
  }

  /**
   * Joins `topic` with the session's own token, fresh enough to arrive valid and set on Realtime
   * just before, on an open socket (a join that waited for the socket would go out with whatever
   * token Realtime holds by then). Without a session, a fresh token or the socket it tries again
   * later; meanwhile the screen says it is connecting.
   */
  private async join(topic: string) {
    const needed = () => !this.stopped && this.wanted.has(topic) && !this.channels.has(topic);
    if (!this.client || this.joining.has(topic) || !needed()) return;
    this.joining.add(topic);
    try {
      const realtime = this.client.realtime;
      // realtime-js still holds a channel of this topic that is leaving: join once it has left.
      const leaving = realtime.getChannels().some((channel) => channel.topic === `realtime:${topic}`);
      const session = !leaving && (await this.socketOpen()) ? await this.sessionToJoinWith() : null;
      if (!needed()) return;
      if (!session || !realtime.isConnected()) return this.retry(topic);
      await realtime.setAuth(session.access_token);
      if (needed()) this.subscribe(topic);
    } finally {
      this.joining.delete(topic);
    }
  }

  private retry(topic: string) {
    const attempt = (this.attempts.get(topic) ?? 0) + 1;
    this.attempts.set(topic, attempt);
    setTimeout(() => void this.join(topic), this.rejoinDelay(attempt));
  }

  /** Realtime's socket, connected (or false after a while: the caller tries again later). */
  private async socketOpen(): Promise<boolean> {
    const realtime = this.client!.realtime;
    if (!realtime.isConnected()) realtime.connect();
    for (let waited = 0; !realtime.isConnected(); waited += 100) {
      if (this.stopped || waited >= 5000) return false;
      await sleep(100);
    }
    return true;
  }

  /** The projector claims its place (again, as a user signed in anew) before Realtime checks it at the join. */
  private async sessionToJoinWith(): Promise<Session | null> {
    const session = await this.port.freshSession();
    if (this.audience !== 'projector' || (session && session.user.id === this.claimedBy)) return session;
    await this.catchUp();
    const again = await this.port.freshSession();
    return again && again.user.id === this.claimedBy ? again : null;
  }

  private subscribe(topic: string) {
    const channel = this.client!.channel(topic, { config: { private: true } });
    this.channels.set(topic, channel);
    channel.on('broadcast', { event: '*' }, (message) => this.receive(message.event, message.payload));
    channel.subscribe((status, error) => {
      if (this.stopped || this.channels.get(topic) !== channel) return;
      if (status === 'SUBSCRIBED') {
        this.joined.add(topic);
        this.attempts.delete(topic);
        this.report();
        this.joinedAgain(topic);
        return;
      }
      // Realtime closed the channel (its token expired, the right to read it went) or refused the
      // join, or the join or the socket failed. realtime-js would join it again by itself with the
      // token it holds then (expired, or the anon key): it is dropped instead and joined anew here.
      this.joined.delete(topic);
      this.channels.delete(topic);
      if (status !== 'CLOSED') void this.client?.removeChannel(channel);
      this.report();
      const refused = status === 'CHANNEL_ERROR' && /permission/i.test(error?.message ?? '');
      if (refused && topic.includes(':poll:')) return this.unwant(topic);
      // The projector's claim may be gone (its first one lost to the network): it claims again.
      if (refused) this.claimedBy = undefined;
      this.retry(topic);
    });
  }

  /** Whatever was missed while a channel was away (or before its first join): a fresh state, a fresh tally. */
  private joinedAgain(topic: string) {
    const again = this.everJoined.has(topic);
    this.everJoined.add(topic);
    if (topic === this.stateTopic) {
      if (this.audience !== 'staff') void this.catchUp();
      else if (again) this.handlers.change?.({ table: 'events', op: 'update', id: this.eventId });
    } else if (again && this.resultsPoll && topic === this.topic(`:poll:${this.resultsPoll}`)) {
      void this.port.results(this.eventId, this.resultsPoll).then((tally) => tally && this.handlers.tally?.(tally));
    }
  }

  /** Reads the screen's own state (once more if a read is under way); resolves when one has landed. */
  private catchUp(): Promise<void> {
    this.readAgain = true;
    return (this.reading ??= this.readState().finally(() => {
      this.reading = undefined;
      if (this.readAgain && !this.stopped) void this.catchUp();
    }));
  }

  /**
   * Reads the state until a read lands: again after a failure (offline, or the session being
   * renewed), and again when a view arrived during the read, which may be newer than what the read
   * returns (a few times at most: the next view brings the rest).
   */
  private async readState() {
    let failures = 0;
    let overtaken = 0;
    while (this.readAgain && !this.stopped) {
      this.readAgain = false;
      const views = this.viewsReceived;
      try {
        const { state, userId } = await this.port.ownState(this.eventId);
        if (this.stopped) return;
        if (views !== this.viewsReceived && ++overtaken < 5) {
          this.readAgain = true;
          continue;
        }
        if (this.audience === 'projector') this.claimedBy = userId;
        this.handlers.state?.(state);
        if (this.audience === 'member') this.followResults(state.openPoll?.myVote ? state.openPoll.id : null);
      } catch {
        this.readAgain = true;
        await sleep(this.rejoinDelay(++failures));
      }
    }
  }

  private receive(event: string, payload: unknown) {
    if (this.stopped) return;
    if (event === 'state') {
      // The database's snapshot is the room's public view: the screen keeps what is its own.
      const snapshot = payload as LiveView;
      this.viewsReceived += 1;
      this.handlers.view?.(snapshot);
      // A new poll opened: the last one's results channel is done with.
      if (this.audience === 'member' && this.resultsPoll && snapshot.openPoll?.id !== this.resultsPoll) this.followResults(null);
    } else if (event === 'change') {
      this.handlers.change?.(payload as Parameters<NonNullable<LiveHandlers['change']>>[0]);
    } else if (event === 'tally') {
      const tally = payload as LiveTally;
      this.handlers.tally?.(tally);
      if (this.audience !== 'member' && tally.status === 'open') this.askWhenQuiet(tally.pollId);
    }
  }

  /** The database throttles tallies; the votes of a burst's last moment go out when a screen asks. */
  private askWhenQuiet(pollId: string) {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => {
      void this.port
        .call<LiveTally | null>('refresh_poll_tally', { p_poll_id: pollId })
        .then((tally) => tally && !this.stopped && this.handlers.tally?.(tally))
        .catch(() => {});
    }, quietTallyMs);
  }

  private report() {
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    const open = [...this.wanted].every((topic) => this.joined.has(topic)) && this.wanted.size > 0;
    const status: LiveStatus = offline ? 'offline' : open ? 'open' : 'connecting';
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      this.handlers.status?.(status);
    }
  }
}
