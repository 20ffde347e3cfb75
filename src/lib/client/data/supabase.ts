import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import type { EventState, GuestMatch, LiveTally, LiveView } from '../../types';
import type { LiveHandlers, LiveStatus } from '../../live/live-client';
import { throttle } from '../../live/live-client';
import type { Delivery, OutboxItem } from '../../offline/outbox';
import { DataError, type Audience, type DataPort, type JoinInput, type PortOptions } from './port';

export interface SupabasePortOptions extends PortOptions {
  /** Milliseconds before the n-th attempt to join a channel Realtime closed again. */
  rejoinDelay?: (attempt: number) => number;
}

/** A failed call is worth repeating after a network error, a server error, a limit or an expired token. */
/** A 401 is an expired token that the next attempt refreshes; like a 5xx, 408 or 429 it is tried again later. */
const tryLater = (status: number) => status === 401 || status === 408 || status === 429 || status >= 500;

/** Staff screens and the projector ask for the tally once this long has passed after the last one. */
const quietTallyMs = 1200;

/**
 * Supabase, straight from the browser with supabase-js: the phone signs in anonymously itself, calls
 * the domain functions with its own token (row-level security as everywhere), and listens to its
 * private Realtime channels. supabase-js refreshes the token before it expires and hands each new one
 * to Realtime (`realtime.setAuth`) when Auth and Realtime share the client, as here; a channel that
 * Realtime closes all the same (a phone that slept past its token's expiry) is joined again with a
 * fresh token, and every (re)join catches up with a fresh state. The app server is in none of this.
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
    return (this.loading ??= typeof this.source === 'function' ? this.source() : Promise.resolve(this.source));
  }

  /** Calls a domain function; a refusal becomes a DataError with the status it stands for. */
  async call<T>(fn: string, args: Record<string, unknown>): Promise<T> {
    const client = await this.client();
    const { data, error, status } = await client.rpc(fn, args);
    if (error) {
      // The domain functions raise KDnnn, which PostgREST answers with 400; the code says which refusal.
      const domain = /^KD(\d{3})$/.exec(error.code ?? '');
      throw new DataError(domain ? Number(domain[1]) : status, error.message);
    }
    return data as T;
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

  readonly findGuests = (code: string, name: string): Promise<GuestMatch[]> => this.call<GuestMatch[]>('find_guests', { p_code: code, p_name: name });

  async state(eventId: string): Promise<EventState> {
    const token = this.options.projectorToken;
    if (!token) return this.call<EventState>('get_event_state', { p_event_id: eventId });
    // The projector link's screen is a user of its own: it claims the event's projector, which is
    // idempotent and answers with what the projector shows.
    await this.signedIn();
    return this.call<EventState>('claim_projector', { p_event_id: eventId, p_token: token });
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
  private readonly everJoined = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private resultsPoll: string | null = null;
  private quietTimer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private lastStatus?: LiveStatus;
  private readonly catchUp = throttle(() => this.refreshState(), 300);
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
    // The projector claims its membership before Realtime checks it at the join.
    if (this.audience === 'projector') await this.refreshState();
    // Private channels are joined with the session's token: set it before the first join (otherwise
    // the first join goes out with the anon key and is refused).
    await this.client.realtime.setAuth();
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
    for (const topic of [...this.channels.keys()]) this.unwant(topic);
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
    if (!this.channels.has(topic)) this.subscribe(topic);
  }

  private unwant(topic: string) {
    this.wanted.delete(topic);
    this.joined.delete(topic);
    const channel = this.channels.get(topic);
    this.channels.delete(topic);
    if (channel) void this.client?.removeChannel(channel);
    this.report();
  }

  private subscribe(topic: string) {
    if (!this.client || this.stopped) return;
    const channel = this.client.channel(topic, { config: { private: true } });
    this.channels.set(topic, channel);
    channel.on('broadcast', { event: '*' }, (message) => this.receive(message.event, message.payload));
    channel.subscribe((status, error) => {
      if (this.stopped || this.channels.get(topic) !== channel) return;
      if (status === 'SUBSCRIBED') {
        this.joined.add(topic);
        this.attempts.delete(topic);
        this.report();
        this.joinedAgain(topic);
      } else if (status === 'CLOSED') {
        // Realtime closed the channel: the token expired, or the right to read it went. Join anew.
        this.joined.delete(topic);
        this.channels.delete(topic);
        this.report();
        this.rejoin(topic);
      } else {
        this.joined.delete(topic);
        this.report();
        if (topic.includes(':poll:') && /permission/i.test(error?.message ?? '')) return this.unwant(topic);
        // The socket rejoins by itself; a token that expired meanwhile is refreshed first, and the
        // projector claims its membership again (its first claim may have been lost to the network).
        void this.client?.realtime.setAuth();
        if (this.audience === 'projector') this.catchUp();
      }
    });
  }

  private rejoin(topic: string) {
    const attempt = (this.attempts.get(topic) ?? 0) + 1;
    this.attempts.set(topic, attempt);
    setTimeout(async () => {
      if (this.stopped || !this.wanted.has(topic) || this.channels.has(topic)) return;
      // Takes the session's token, refreshed if it expired, for the new join.
      await this.client?.realtime.setAuth();
      if (!this.stopped && this.wanted.has(topic) && !this.channels.has(topic)) this.subscribe(topic);
    }, this.rejoinDelay(attempt));
  }

  /** Whatever was missed while a channel was away: a fresh state, a fresh tally. */
  private joinedAgain(topic: string) {
    const again = this.everJoined.has(topic);
    this.everJoined.add(topic);
    if (topic === this.stateTopic) {
      if (this.audience === 'staff') {
        if (again) this.handlers.change?.({ table: 'events', op: 'update', id: this.eventId });
      } else if (this.audience === 'member' || again) this.catchUp();
    } else if (again && this.resultsPoll && topic === this.topic(`:poll:${this.resultsPoll}`)) {
      void this.port.results(this.eventId, this.resultsPoll).then((tally) => tally && this.handlers.tally?.(tally));
    }
  }

  /** Counts the room's views received, so a state read while one arrived is known to be older. */
  private viewsReceived = 0;

  private async refreshState() {
    try {
      // A view that arrives while the state is being read may be newer than what the read returns:
      // then the state is read again rather than put over the newer view.
      let state: EventState;
      for (let tries = 0; ; tries++) {
        const before = this.viewsReceived;
        state = await this.port.state(this.eventId);
        if (this.stopped) return;
        if (before === this.viewsReceived || tries === 2) break;
      }
      this.handlers.state?.(state);
      if (this.audience === 'member') this.followResults(state.openPoll?.myVote ? state.openPoll.id : null);
    } catch {
      // Offline or refused: the next join catches up.
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
