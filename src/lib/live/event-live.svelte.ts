import type { EventState, LiveTally, LiveView, Poll } from '../types';
import type { Audience, DataPort } from '../client/data';
import type { LiveStatus } from './live-client';
import { resultsOf, withNewerTallies } from './newer-tallies';

/**
 * An event's state on one screen, kept current by the live connection (the data port's). Each
 * (re)connect brings the screen's own full state; in between, phones and the projector get the room's
 * public view, so what is the phone's own (its membership, its vote, its theses, the results it may
 * see) is kept from its own state.
 */
export class EventLive {
  readonly #source: () => EventState;
  /** The last live tally of each poll, until a reload of the source has caught up with it. */
  readonly #tallies = new Map<string, LiveTally>();
  /**
   * The screen's state follows its source (a page's data, reloaded after a change) and, until the
   * source changes again, what the live connection last said; deep state, so that a tally written into
   * a poll reaches the screen.
   */
  #loaded = $derived.by(() => {
    const current = $state({ state: withNewerTallies(this.#source(), this.#tallies) });
    return current;
  });
  get #state(): EventState {
    return this.#loaded.state;
  }
  set #state(state: EventState) {
    this.#loaded.state = state;
  }
  #status = $state<LiveStatus>('connecting');
  #changes = $state(0);
  #savedAt = $state<string | null>(null);
  /** Kept apart from the state, so that connecting (inside an effect) does not depend on it. */
  private readonly eventId: string;

  constructor(
    /** The state as the page loaded it; a function when the page reloads it (staff screens). */
    initial: EventState | (() => EventState),
    private readonly options: {
      port: DataPort;
      audience: Audience;
      onChange?: () => void;
      /** When the page is a saved copy (opened without a network), the time it was saved. */
      savedAt?: string | null;
      /** Called when the room's view changed one of this screen's own theses. */
      onOwnChange?: () => void;
    }
  ) {
    this.#source = typeof initial === 'function' ? initial : () => initial;
    this.eventId = this.#source().event.id;
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

  /** This screen's member upvoted a thesis, or took the upvote back. */
  setUpvoted(thesisId: string, upvoted: boolean) {
    const thesis = this.#state.theses.find((t) => t.id === thesisId);
    if (thesis) thesis.upvoted = upvoted;
  }

  setResults(tally: LiveTally) {
    this.#tallies.set(tally.pollId, tally);
    for (const poll of [this.#state.openPoll, this.#state.lastPoll]) {
      if (poll?.id === tally.pollId) poll.results = resultsOf(tally);
    }
    if (typeof tally.present === 'number') this.#state.presentCount = tally.present;
  }

  /** Reads the screen's own full state again (a phone, after something of its own changed). */
  async refresh(): Promise<void> {
    const state = await this.options.port.state(this.eventId).catch(() => null);
    if (state) this.replace(state);
  }

  private merge(view: LiveView) {
    const current = this.#state;
    const fromView = new Map(view.theses.map((t) => [t.id, t]));
    const known = new Set(current.theses.map((t) => t.id));
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
      upNext: view.upNext,
      countdown: view.countdown,
      recap: view.recap,
      beforePoll: view.beforePoll,
      // The view says how each public thesis stands (and, while the room may upvote, the queue's texts);
      // the screen keeps the theses it knows, its own among them, with its own upvotes.
      theses: [
        ...current.theses.map((t) => {
          const seen = fromView.get(t.id);
          return seen && (seen.status !== t.status || (seen.text !== undefined && seen.text !== t.text))
            ? { ...t, status: seen.status, text: seen.text ?? t.text, position: seen.position ?? t.position }
            : t;
        }),
        ...view.theses
          .filter((t) => !known.has(t.id) && t.text !== undefined)
          .map((t) => ({
            id: t.id, text: t.text!, status: t.status, position: t.position ?? 0, authorName: null, mine: false, mergedIntoId: null,
            discussedOrder: null, startedAt: null, finishedAt: null, upvoted: false
          }))
      ],
      openPoll: keep(view.openPoll, current.openPoll),
      lastPoll: keep(view.lastPoll, current.lastPoll ?? current.openPoll)
    };
    // One of the screen's own theses moved on (approved, merged…): its own state says into what.
    if (current.theses.some((t) => t.mine && fromView.has(t.id) && fromView.get(t.id)!.status !== t.status)) this.options.onOwnChange?.();
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
