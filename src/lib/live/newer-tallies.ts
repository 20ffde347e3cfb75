import type { EventState, LiveTally, Poll, PollResults } from '../types';

/** What a live tally says of a poll's results. */
export const resultsOf = (tally: LiveTally): PollResults => ({ counts: tally.counts, total: tally.total, words: tally.words });

/**
 * A screen's state as a reload brought it, with the results of a live tally that is newer than the
 * reload's own: a reload that read the database before the last votes arrived would otherwise take
 * back a tally the screen already showed, and no tally follows until the next vote. A poll's votes
 * only grow while it is open, so the tally with more votes is the newer one. Tallies the reload has
 * caught up with are forgotten (`tallies` is pruned), so an older one never outlives a newer reload.
 */
export function withNewerTallies(state: EventState, tallies: Map<string, LiveTally>): EventState {
  const newer = (poll: Poll | null): Poll | null => {
    const tally = poll && tallies.get(poll.id);
    if (!poll || !tally) return poll;
    if (poll.results && poll.results.total >= tally.total) {
      tallies.delete(poll.id);
      return poll;
    }
    return { ...poll, results: resultsOf(tally) };
  };
  const openPoll = newer(state.openPoll);
  const lastPoll = newer(state.lastPoll);
  return openPoll === state.openPoll && lastPoll === state.lastPoll ? state : { ...state, openPoll, lastPoll };
}
