import { describe, expect, it } from 'vitest';
import type { EventState, LiveTally, Poll } from '../types';
import { withNewerTallies } from './newer-tallies';

const poll = (id: string, total: number | null): Poll =>
  ({ id, kind: 'agree5', status: 'open', options: ['a', 'b'], question: null, phase: null, results: total === null ? null : { counts: [total, 0], total } }) as unknown as Poll;
const state = (openPoll: Poll | null, lastPoll: Poll | null = null) => ({ openPoll, lastPoll }) as unknown as EventState;
const tally = (pollId: string, total: number): LiveTally => ({ pollId, status: 'open', counts: [0, total], total });

describe('a reloaded screen and the live tallies it already showed', () => {
  it('keeps a tally with more votes than a reload that read the database before them', () => {
    const tallies = new Map([['p', tally('p', 3)]]);
    const loaded = state(poll('p', 1));
    const shown = withNewerTallies(loaded, tallies);
    expect(shown.openPoll?.results).toEqual({ counts: [0, 3], total: 3, words: undefined });
    // The page's data is left as it was.
    expect(loaded.openPoll?.results?.total).toBe(1);
    expect(tallies.has('p')).toBe(true);
  });

  it('takes the reload once it has caught up, and forgets the tally from then on', () => {
    const tallies = new Map([['p', tally('p', 3)]]);
    const caughtUp = state(poll('p', 3));
    expect(withNewerTallies(caughtUp, tallies)).toBe(caughtUp);
    expect(tallies.has('p')).toBe(false);
    // A later reload with fewer votes (an organiser discarded some) is not overruled by the old tally.
    const fewer = state(poll('p', 2));
    expect(withNewerTallies(fewer, tallies)).toBe(fewer);
  });

  it('fills in the results of the last poll too, and leaves other polls alone', () => {
    const tallies = new Map([['closed', tally('closed', 5)]]);
    const shown = withNewerTallies(state(poll('other', 0), poll('closed', null)), tallies);
    expect(shown.lastPoll?.results?.total).toBe(5);
    expect(shown.openPoll?.results?.total).toBe(0);
  });
});
