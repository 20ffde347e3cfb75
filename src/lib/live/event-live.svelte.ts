import type { EventState, LiveTally, LiveView, Poll } from '../types';
import type { Audience, DataPort } from '../client/data';
import type { LiveStatus } from './live-client';

/**
 * An event's state on one screen, kept current by the live connection (the data port's). Each
 * (re)connect brings the screen's own full state; in between, phones and the projector get the room's
 * public view, so what is the phone's own (its membership, its vote, its theses, the results it may
 * see) is kept from its own state.
 */
export class EventLive {
  #state = $state<EventState>() as EventState;
  #status = $state<LiveStatus>('connecting');
  #changes = $state(0);
  #savedAt = $state<string | null>(null);
  /** Kept apart from the state, so that connecting (inside an effect) does not depend on it. */
  private readonly eventId: string;

  constructor(
    initial: EventState,
    private readonly options: {
      port: DataPort;
      audience: Audience;
      onChange?: () => void;
      /** When the page is a saved copy (opened without a network), the time it was saved. */
      savedAt?: string | null;
    }
  ) {
    this.#state = initial;
    this.eventId = initial.event.id;
    this.#savedAt = options.savedAt ?? null;
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
  /** Set while the screen shows a saved copy: what it shows may have changed since. */
  get savedAt(): string | null {
    return this.#savedAt;
  }

  /** The poll on screen: the open one, else the last one of the current item. */
  get poll(): Poll | null {
    return this.#state.openPoll ?? this.#state.lastPoll ?? null;
  }

  replace(state: EventState) {
    this.#state = state;
    this.#savedAt = null;
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

  private merge(view: LiveView) {
    const current = this.#state;
    const status = new Map(view.theses.map((t) => [t.id, t.status]));
    // The screen's own vote, and the results it saw after voting, stay with the same poll.
    const keep = (poll: Poll | null, before: Poll | null) =>
      poll && before && poll.id === before.id
        ? { ...poll, myVote: before.myVote, results: poll.results ?? (before.myVote ? before.results : null) }
        : poll;
    this.#state = {
      ...current,
      event: view.event,
      currentAgendaItem: view.currentAgendaItem,
      currentThesis: view.currentThesis,
      presentCount: view.presentCount,
      // The view says how each public thesis stands; the screen keeps the theses it knows, its own among them.
      theses: current.theses.map((t) => (status.has(t.id) && status.get(t.id) !== t.status ? { ...t, status: status.get(t.id)! } : t)),
      openPoll: keep(view.openPoll, current.openPoll),
      lastPoll: keep(view.lastPoll, current.lastPoll ?? current.openPoll)
    };
  }

  /** Listens until the returned function is called. */
  connect(): () => void {
    return this.options.port.listen(this.eventId, this.options.audience, {
      state: (state) => this.replace(state),
      view: (view) => this.merge(view),
      tally: (tally) => this.setResults(tally),
      change: () => {
        this.#changes += 1;
        this.options.onChange?.();
      },
      status: (status) => (this.#status = status)
    });
  }
}
