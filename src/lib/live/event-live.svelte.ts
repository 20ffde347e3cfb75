import type { EventState, LiveTally, Poll, Thesis } from '../types';
import type { Audience, DataPort } from '../client/data';
import type { LiveStatus } from './live-client';

/**
 * An event's state on one screen, kept current by the live connection. A phone gets public snapshots,
 * so what is its own (its membership, its vote, its unmoderated theses, the results it may see) is
 * kept from its own view.
 */
export class EventLive {
  #state = $state<EventState>() as EventState;
  #status = $state<LiveStatus>('connecting');
  #changes = $state(0);
  /** Kept apart from the state, so that connecting (inside an effect) does not depend on it. */
  private readonly eventId: string;

  constructor(
    initial: EventState,
    private readonly options: { port: DataPort; audience: Audience; onChange?: () => void }
  ) {
    this.#state = initial;
    this.eventId = initial.event.id;
  }

  get state(): EventState {
    return this.#state;
  }
  get status(): LiveStatus {
    return this.#status;
  }
  /** Counts the changes staff screens were told about, for a refetch. */
  get changes(): number {
    return this.#changes;
  }

  /** The poll on screen: the open one, else the last one of the current item. */
  get poll(): Poll | null {
    return this.#state.openPoll ?? this.#state.lastPoll ?? null;
  }

  replace(state: EventState) {
    this.#state = state;
  }

  setMyVote(pollId: string, value: number | string) {
    const poll = this.#state.openPoll;
    if (poll?.id === pollId) {
      poll.myVote = typeof value === 'number' ? { optionIndex: value, word: null } : { optionIndex: null, word: value };
    }
  }

  setResults(tally: LiveTally) {
    for (const poll of [this.#state.openPoll, this.#state.lastPoll]) {
      if (poll?.id === tally.pollId) poll.results = { counts: tally.counts, total: tally.total, words: tally.words };
    }
    if (typeof tally.present === 'number') this.#state.presentCount = tally.present;
  }

  private merge(snapshot: EventState) {
    const current = this.#state;
    const mine = new Map(current.theses.filter((t) => t.mine).map((t) => [t.id, t]));
    const theses: Thesis[] = snapshot.theses.map((t) => ({ ...t, mine: mine.has(t.id) }));
    for (const own of mine.values()) if (!theses.some((t) => t.id === own.id)) theses.push(own);
    // A snapshot leaves out what is the screen's own: its vote, and an open poll's results.
    const keepOwn = (poll: Poll | null, before: Poll | null) =>
      poll && before && poll.id === before.id ? { ...poll, myVote: before.myVote, results: poll.results ?? before.results } : poll;
    this.#state = {
      ...snapshot,
      theses,
      me: snapshot.me ?? current.me,
      openPoll: keepOwn(snapshot.openPoll, current.openPoll),
      lastPoll: keepOwn(snapshot.lastPoll, current.lastPoll ?? current.openPoll)
    };
  }

  /** Listens until the returned function is called. */
  connect(): () => void {
    return this.options.port.listen(this.eventId, this.options.audience, {
      state: (state) => (state.me === undefined || state.me === null ? this.merge(state) : (this.#state = state)),
      tally: (tally) => this.setResults(tally),
      change: () => {
        this.#changes += 1;
        this.options.onChange?.();
      },
      status: (status) => (this.#status = status)
    });
  }
}
