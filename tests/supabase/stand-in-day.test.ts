import { chromiumPath, hasChromium } from '../helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../supabase/tests/supabase-shape/cluster';
import { startSupabaseStandIn, type SupabaseStandIn } from '../../supabase/tests/supabase-shape/stand-in';
import { appServerInLivePath, emptyReport, runDay } from './day';

/**
 * The day script against the stand-in Supabase project, whose access tokens last twelve seconds, so
 * they expire several times during the day: the built app on Supabase, in Chromium.
 */
const tokenSeconds = 12;

describe.runIf(hasChromium && postgresBinDir())('a knowledge day on (a stand-in for) Supabase', () => {
  let stand: SupabaseStandIn;
  const day = emptyReport();
  const votes: { voter_id: string; created_at: Date }[] = [];

  beforeAll(async () => {
    stand = await startSupabaseStandIn({ accessTokenSeconds: tokenSeconds });
  }, 120_000);
  afterAll(() => stand?.stop());

  it('runs from sign-in to a published recap, phones and projector live throughout', async () => {
    await runDay(
      { url: stand.url, anonKey: stand.anonKey, serviceRoleKey: stand.serviceRoleKey },
      {
        browserPhones: 3,
        nodePhones: 6,
        chromiumPath,
        // The room idles past the tokens' lifetime: nothing refreshes them, so Realtime closes the channels.
        pause: () => new Promise((resolve) => setTimeout(resolve, (tokenSeconds + 4) * 1000)),
        beforeCleanUp: async (eventId) => {
          votes.push(...(await stand.admin`select voter_id, created_at from public.votes where event_id = ${eventId}`) as never[]);
        }
      },
      day
    );
    // Everything the day made is gone again.
    expect((await stand.admin`select count(*)::integer as n from public.events where id = ${day.eventId}`)[0].n).toBe(0);
    expect((await stand.admin`select count(*)::integer as n from auth.users where id in ${stand.admin(day.userIds)}`)[0].n).toBe(0);
  }, 240_000);

  it('keeps the app server out of the vote path: no join, vote, thesis, state, tally or stream went through it', () => {
    expect(day.appRequests.length).toBeGreaterThan(0);
    expect(appServerInLivePath(day)).toEqual([]);
  });

  it('signs every phone and the projector in from its own browser, not from the app server', () => {
    const signUps = stand.requests.filter((r) => r.method === 'POST' && r.path === '/auth/v1/signup');
    const fromBrowsers = signUps.filter((r) => r.origin === day.appOrigin && /Chrome/.test(r.userAgent ?? ''));
    expect(fromBrowsers.length).toBe(3 + 1);
    // The rest are the Node phones, which are browsers of their own here too.
    expect(signUps.length).toBe(3 + 1 + 6);
  });

  it('lets a phone hear a poll\'s tally only once it voted, and no screen ever knocked on a channel it may not join', () => {
    expect(stand.realtime.log.filter((l) => l.kind === 'refused')).toEqual([]);
    const resultJoins = stand.realtime.log.filter((l) => l.kind === 'join' && l.topic.includes(':poll:'));
    expect(resultJoins.length).toBeGreaterThanOrEqual(3 + 6);
    for (const join of resultJoins) {
      const vote = votes.find((v) => v.voter_id === join.sub);
      expect(vote, `a results channel joined by ${join.sub} without a vote`).toBeDefined();
      expect(join.at).toBeGreaterThanOrEqual(vote!.created_at.getTime() - 1000);
    }
  });

  it('outlives the access tokens: Realtime closed channels at expiry, they were joined again, and the screens stayed live after', () => {
    const expired = stand.realtime.log.filter((l) => l.kind === 'closed' && /^Token has expired/.test(l.reason ?? ''));
    expect(expired.length).toBeGreaterThan(0);
    for (const closed of expired) {
      const rejoined = stand.realtime.log.some((l) => l.kind === 'join' && l.topic === closed.topic && l.sub === closed.sub && l.at > closed.at);
      expect(rejoined, `${closed.topic} of ${closed.sub} was not joined again`).toBe(true);
    }
    const firstExpiry = Math.min(...expired.map((l) => l.at));
    expect(day.liveChecks.filter((c) => c.at > firstExpiry).length).toBeGreaterThan(0);
    // Refreshed tokens also reached channels that stayed open.
    expect(stand.requests.filter((r) => r.path === '/auth/v1/token?grant_type=refresh_token' && r.origin === day.appOrigin).length).toBeGreaterThan(0);
    const rate = stand.realtime.eventRate();
    console.log(`Realtime events: ${rate.total} in all, at most ${rate.peak} in one second`);
  });
});
