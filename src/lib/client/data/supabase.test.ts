import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../../../supabase/tests/supabase-shape/cluster';
import { startSupabaseStandIn, type SupabaseStandIn } from '../../../../supabase/tests/supabase-shape/stand-in';
import type { EventState, LiveTally, LiveView } from '../../types';
import type { LiveStatus } from '../../live/live-client';
import type { OutboxItem } from '../../offline/outbox';
import { SupabaseDataPort } from './supabase';

/**
 * The Supabase adapter of the data port, with supabase-js as a browser runs it, against a stand-in
 * Supabase project whose access tokens last a few seconds: they expire during the session, Realtime
 * closes the channels at expiry as it does, and the screens stay live.
 */

const tokenSeconds = 4;

/** A browser's supabase-js on Node: the same client, with ws for the WebSocket (and the network's fetch). */
const browserClient = (stand: SupabaseStandIn, network: typeof fetch = fetch) =>
  createClient(stand.url, stand.anonKey, { auth: { persistSession: false }, realtime: { transport: WebSocket as never }, global: { fetch: network } });

function screen(port: SupabaseDataPort, eventId: string, audience: 'member' | 'projector') {
  // `states`: the screen's own state on each (re)join; `views`: the room's public view after each change.
  const seen = { states: [] as EventState[], views: [] as LiveView[], tallies: [] as LiveTally[], statuses: [] as LiveStatus[] };
  const stop = port.listen(eventId, audience, {
    state: (s) => seen.states.push(s),
    view: (v) => seen.views.push(v),
    tally: (t) => seen.tallies.push(t),
    status: (s) => seen.statuses.push(s)
  });
  return { ...seen, stop, last: () => seen.views.at(-1) ?? seen.states.at(-1) };
}

const until = async (check: () => unknown, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${check}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.runIf(postgresBinDir())('the Supabase data port', () => {
  let stand: SupabaseStandIn;
  let chair: SupabaseClient;
  let event: { id: string; join_code: string };
  let poll: string;
  const ports: SupabaseDataPort[] = [];
  const stops: (() => void)[] = [];

  beforeAll(async () => {
    stand = await startSupabaseStandIn({ accessTokenSeconds: tokenSeconds });
    const admin = createClient(stand.url, stand.serviceRoleKey, { auth: { persistSession: false }, realtime: { transport: WebSocket as never } });
    await admin.auth.admin.createUser({ email: 'chair@example.test', password: 'chair-password', email_confirm: true });
    await admin.rpc('server_grant_organiser', { p_email: 'chair@example.test' });
    chair = browserClient(stand);
    await chair.auth.signInWithPassword({ email: 'chair@example.test', password: 'chair-password' });
    event = (await chair.rpc('create_event', { p_title: 'Port day', p_language: 'en' })).data;
  }, 120_000);
  afterAll(async () => {
    for (const stop of stops) stop();
    await stand?.stop();
  });

  const newPort = (options = {}, network: typeof fetch = fetch) => {
    const port = new SupabaseDataPort(browserClient(stand, network), { rejoinDelay: () => 100, ...options });
    ports.push(port);
    return port;
  };
  const vote = (eventId: string, pollId: string, value: number, key: string): OutboxItem => ({ kind: 'vote', key, eventId, pollId, value, queuedAt: Date.now() });

  it('joins from the browser with an anonymous sign-in of its own, and refuses a wrong code with a sentence', async () => {
    const before = stand.requests.length;
    const port = newPort();
    await expect(port.join!('ZZZZZZ', { name: 'Nobody', organisation: '', role: '', listed: false })).rejects.toMatchObject({
      status: 404,
      message: 'No event has this code.'
    });
    const joined = await port.join!(event.join_code.toLowerCase(), { name: 'Pia', organisation: 'Org', role: '', listed: true });
    expect(joined.eventId).toBe(event.id);
    const calls = stand.requests.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]}`);
    expect(calls.filter((c) => c === 'POST /auth/v1/signup')).toHaveLength(1);
    expect(calls).toContain('POST /rest/v1/rpc/join_event');
  });

  it('looks up invited guests from a phone that has not signed in yet, as the join form does first', async () => {
    const port = newPort();
    // The join page asks whether the typed name fits an invited guest before it joins.
    await expect(port.findGuests!(event.join_code, 'Nobody invited')).resolves.toEqual([]);
    const joined = await port.join!(event.join_code, { name: 'Nobody invited', organisation: '', role: '', listed: false });
    expect(joined.eventId).toBe(event.id);
  });

  it('stays live across token expiries: Realtime closes the channel, the port joins again with a fresh token and catches up', async () => {
    const port = newPort();
    await port.join!(event.join_code, { name: 'Max', organisation: '', role: '', listed: false });
    const phone = screen(port, event.id, 'member');
    stops.push(phone.stop);
    await until(() => phone.statuses.at(-1) === 'open' && phone.states.length > 0);
    const me = phone.states.at(-1)!.me!;
    expect(me.name).toBe('Max');

    // Past the token's lifetime: Realtime shut the channel, and it was joined again.
    await new Promise((r) => setTimeout(r, (tokenSeconds + 1.5) * 1000));
    const closed = stand.realtime.log.filter((l) => l.kind === 'closed' && l.topic === `event:${event.id}:state`);
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(closed[0].reason).toMatch(/^Token has expired/);
    await until(() => stand.realtime.log.some((l) => l.kind === 'join' && l.topic === `event:${event.id}:state` && l.at > closed[0].at));
    expect(stand.requests.some((r) => r.path === '/auth/v1/token?grant_type=refresh_token' && r.status === 200)).toBe(true);
    await until(() => phone.statuses.at(-1) === 'open');

    // A change after the expiry reaches the phone.
    await chair.rpc('update_event', { p_event_id: event.id, p_title: 'Port day, after the expiry', p_starts_on: null, p_language: 'en', p_question: null, p_venue: null });
    await until(() => phone.last()?.event.title === 'Port day, after the expiry');
  }, 60_000);

  it('sends votes through the outbox delivery, and gets the tally only after voting', async () => {
    const thesis = (await chair.rpc('submit_thesis', { p_event_id: event.id, p_text: 'Ports make adapters easy.' })).data;
    poll = (await chair.rpc('open_poll', { p_event_id: event.id, p_thesis_id: thesis.id, p_kind: 'yes_no' })).data.id;
    const voters = [newPort(), newPort()];
    const screens: ReturnType<typeof screen>[] = [];
    for (const [i, port] of voters.entries()) {
      await port.join!(event.join_code, { name: `Voter ${i}`, organisation: '', role: '', listed: false });
      const s = screen(port, event.id, 'member');
      stops.push(s.stop);
      screens.push(s);
    }
    await until(() => screens.every((s) => s.statuses.at(-1) === 'open'));
    expect(await voters[0].results(event.id, poll)).toBeNull();
    expect(await voters[0].deliver(vote(event.id, poll, 0, 'v-0'))).toEqual({ ok: true });
    expect(await voters[0].results(event.id, poll)).toMatchObject({ counts: [1, 0], total: 1 });
    // The voter joined the poll's results channel; the other phone hears nothing of the tally.
    await until(() => stand.realtime.log.some((l) => l.kind === 'join' && l.topic === `event:${event.id}:poll:${poll}`));
    expect(await voters[1].deliver(vote(event.id, poll, 1, 'v-1'))).toEqual({ ok: true });
    await until(() => screens[0].tallies.some((t) => t.total === 2));
    expect(screens[0].tallies.at(-1)).toMatchObject({ pollId: poll, counts: [1, 1], total: 2 });
    // Sent again (the answer was lost): counted once. A closed poll refuses for good, with the reason.
    expect(await voters[1].deliver(vote(event.id, poll, 1, 'v-1'))).toEqual({ ok: true });
    await chair.rpc('close_poll', { p_poll_id: poll });
    expect(await voters[0].deliver(vote(event.id, poll, 1, 'v-late'))).toEqual({ ok: false, problem: 'refused', message: 'This poll is closed.' });
    await chair.rpc('reopen_poll', { p_poll_id: poll });
  }, 60_000);

  it('runs the projector link as a read-only member of its own, live across its token\'s expiry', async () => {
    const token = (await chair.rpc('get_projector_token', { p_event_id: event.id })).data as string;
    const port = newPort({ projectorToken: token });
    const projector = screen(port, event.id, 'projector');
    stops.push(projector.stop);
    await until(() => projector.statuses.at(-1) === 'open');
    expect(projector.states[0].event.id).toBe(event.id);
    expect(projector.states[0].me ?? null).toBeNull();
    const { data } = await (await port.client()).auth.getSession();
    const wall = stand.realtime.log.filter((l) => l.kind === 'join' && l.sub === data.session!.user.id);
    expect(wall.map((l) => l.topic).sort()).toEqual([`event:${event.id}:projector`, `event:${event.id}:state`]);
    // Past its token's lifetime, a vote still moves the projector's chart.
    await new Promise((r) => setTimeout(r, (tokenSeconds + 1.5) * 1000));
    const late = newPort();
    await late.join!(event.join_code, { name: 'Late voter', organisation: '', role: '', listed: false });
    expect(await late.deliver(vote(event.id, poll, 0, 'late-0'))).toEqual({ ok: true });
    await until(() => projector.tallies.some((t) => t.pollId === poll && t.total === 3));
    expect(projector.tallies.at(-1)!.present).toBeGreaterThanOrEqual(5);
  }, 60_000);

  /** The port's own user and access token. */
  const sessionOf = async (port: SupabaseDataPort) => (await (await port.client()).auth.getSession()).data.session!;
  /** Everything Realtime was asked since `since` on the event's channels. */
  const realtimeSince = (since: number) => stand.realtime.log.filter((l) => l.at >= since && l.topic.startsWith(`event:${event.id}`));
  /** Ends every session of the port's user, as signing out on another device with scope=global does. */
  const endSessionElsewhere = async (port: SupabaseDataPort) => {
    const session = await sessionOf(port);
    const response = await fetch(`${stand.url}/auth/v1/logout?scope=global`, {
      method: 'POST', headers: { apikey: stand.anonKey, authorization: `Bearer ${session.access_token}` }
    });
    expect(response.status).toBe(204);
    return session.user.id;
  };
  /** Screens of earlier tests leave, so that what Realtime hears next is this test's screens' doing. */
  const quiet = () => {
    for (const stop of stops.splice(0)) stop();
  };

  it('never knocks on a private channel with the anon key: a phone whose session ended says it is connecting', async () => {
    quiet();
    const port = newPort();
    await port.join!(event.join_code, { name: 'Signed out elsewhere', organisation: '', role: '', listed: false });
    const phone = screen(port, event.id, 'member');
    stops.push(phone.stop);
    await until(() => phone.statuses.at(-1) === 'open');
    const since = Date.now();
    const user = await endSessionElsewhere(port);
    // Realtime closes the channel at the token's expiry, and the session cannot be refreshed any more.
    await until(() => realtimeSince(since).some((l) => l.kind === 'closed' && l.sub === user));
    await new Promise((r) => setTimeout(r, 2000));
    expect(realtimeSince(since).filter((l) => l.kind === 'refused' || (l.kind === 'join' && l.sub !== user))).toEqual([]);
    expect(phone.statuses.at(-1)).toBe('connecting');
  }, 60_000);

  it('signs the projector in again when its session ended, and claims the projector before it joins', async () => {
    quiet();
    const token = (await chair.rpc('get_projector_token', { p_event_id: event.id })).data as string;
    const port = newPort({ projectorToken: token });
    const projector = screen(port, event.id, 'projector');
    stops.push(projector.stop);
    await until(() => projector.statuses.at(-1) === 'open');
    const since = Date.now();
    const before = await endSessionElsewhere(port);
    await until(() => realtimeSince(since).some((l) => l.kind === 'join' && l.sub !== before && l.topic === `event:${event.id}:projector`));
    await until(() => projector.statuses.at(-1) === 'open');
    const joins = realtimeSince(since).filter((l) => l.kind === 'join' || l.kind === 'refused');
    expect(joins.filter((l) => l.kind === 'refused')).toEqual([]);
    expect(joins.every((l) => typeof l.sub === 'string' && l.sub !== before)).toBe(true);
  }, 60_000);

  it('shows the poll that opened while a phone was away, even when its first reads to catch up fail', async () => {
    quiet();
    let failReads = 0;
    const network: typeof fetch = async (input, init) => {
      if (failReads > 0 && String(input).endsWith('/rpc/get_event_state')) {
        failReads -= 1;
        throw new TypeError('fetch failed');
      }
      return fetch(input, init);
    };
    const port = newPort({}, network);
    // A token that outlives the test: only the outage takes the phone away.
    stand.auth.accessTokenSeconds = 3600;
    try {
      await port.join!(event.join_code, { name: 'Away', organisation: '', role: '', listed: false });
    } finally {
      stand.auth.accessTokenSeconds = tokenSeconds;
    }
    const phone = screen(port, event.id, 'member');
    stops.push(phone.stop);
    await until(() => phone.statuses.at(-1) === 'open' && phone.states.length > 0);
    // The phone is cut off; meanwhile the chair moves on to a new poll, and the phone's first reads fail.
    stand.realtime.interrupt(2500);
    await until(() => phone.statuses.at(-1) !== 'open');
    await chair.rpc('close_poll', { p_poll_id: poll });
    const thesis = (await chair.rpc('submit_thesis', { p_event_id: event.id, p_text: 'Phones catch up after a gap.' })).data;
    const next = (await chair.rpc('open_poll', { p_event_id: event.id, p_thesis_id: thesis.id, p_kind: 'yes_no' })).data.id as string;
    failReads = 2;
    await until(() => phone.statuses.at(-1) === 'open', 30_000);
    await until(() => phone.last()?.openPoll?.id === next);
    expect(failReads).toBe(0);
  }, 60_000);

  it('keeps a session whose refresh answer was lost, and ends one whose old refresh token comes back too late, as Supabase Auth does', async () => {
    const grant = async (refreshToken: string) => {
      const response = await fetch(`${stand.url}/auth/v1/token?grant_type=refresh_token`, {
        method: 'POST', headers: { apikey: stand.anonKey, 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: refreshToken })
      });
      return { status: response.status, body: await response.json() };
    };
    const signedUp = await fetch(`${stand.url}/auth/v1/signup`, { method: 'POST', headers: { apikey: stand.anonKey, 'content-type': 'application/json' }, body: '{}' });
    const first = (await signedUp.json()).refresh_token as string;
    stand.auth.refreshTokenReuseSeconds = 1;
    try {
      const second = (await grant(first)).body.refresh_token as string;
      await new Promise((r) => setTimeout(r, 1200));
      // Past the reuse interval, the parent of the active token still gets the active token (the answer was lost).
      expect(await grant(first)).toMatchObject({ status: 200, body: { refresh_token: second } });
      const third = (await grant(second)).body.refresh_token as string;
      await new Promise((r) => setTimeout(r, 1200));
      // A token two behind, past the interval: refused, and the session's tokens are revoked with it, so
      // the holder of the latest one has only the reuse interval left to refresh.
      expect(await grant(first)).toMatchObject({ status: 400, body: { code: 'refresh_token_already_used' } });
      await new Promise((r) => setTimeout(r, 1200));
      expect(await grant(third)).toMatchObject({ status: 400, body: { code: 'refresh_token_already_used' } });
    } finally {
      stand.auth.refreshTokenReuseSeconds = 10;
    }
  });
});
