import { describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../src/lib/server/db/types';
import { serviceCaller } from '../../src/lib/server/db/types';
import { backends, createUser, suiteDatabase, type TestUser } from './helpers';

/**
 * A poll that is open holds the room's votes: opening another one must never replace it silently.
 * The chair either closes it first or says so (p_close_open), and no vote is ever thrown away.
 */
describe.each(backends)('one open poll at a time on $name', (backend) => {
  let db: SqlDatabase;
  let chair: TestUser;
  let eventId: string;
  let thesisId: string;
  const voters: TestUser[] = [];

  const votesOf = async (pollId: string) =>
    (await db.withCaller(serviceCaller, (q) => q<{ n: number }>('select count(*)::integer as n from public.votes where poll_id = $1', [pollId])))[0].n;
  const pollRow = async (pollId: string) =>
    (await db.withCaller(serviceCaller, (q) => q<{ status: string }>('select status from public.polls where id = $1', [pollId])))[0];

  suiteDatabase(backend, async (suite) => {
    ({ db, organiser: chair } = suite);
    const event = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Polls', p_language: 'en' }, chair.caller);
    eventId = event.id;
    thesisId = (await db.rpc<{ id: string }>('submit_thesis', { p_event_id: eventId, p_text: 'Meetings need a goal.' }, chair.caller)).id;
    await db.rpc('start_thesis', { p_thesis_id: thesisId }, chair.caller);
    for (const name of ['Ann', 'Ben', 'Cas']) {
      const voter = await createUser(db, { anonymous: true });
      await db.rpc('join_event', { p_code: event.join_code, p_name: name }, voter.caller);
      voters.push(voter);
    }
  }, { organiser: { name: 'Chris' } });

  it('refuses to open a poll while one is open, keeps it open with every vote, and opens the next one only when told to close it', async () => {
    const first = await db.rpc<{ id: string }>('open_poll', { p_event_id: eventId, p_thesis_id: thesisId, p_kind: 'agree5', p_phase: 'before' }, chair.caller);
    for (const [i, voter] of voters.entries()) await db.rpc('cast_vote', { p_poll_id: first.id, p_option_index: i }, voter.caller);

    await expect(db.rpc('open_poll', { p_event_id: eventId, p_thesis_id: thesisId, p_kind: 'agree5', p_phase: 'after' }, chair.caller)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/already open.*3 votes/)
    });
    expect(await pollRow(first.id)).toEqual({ status: 'open' });
    expect(await votesOf(first.id)).toBe(3);

    const second = await db.rpc<{ id: string; status: string }>(
      'open_poll',
      { p_event_id: eventId, p_thesis_id: thesisId, p_kind: 'agree5', p_phase: 'after', p_close_open: true },
      chair.caller
    );
    expect(second.status).toBe('open');
    expect(await pollRow(first.id)).toEqual({ status: 'closed' });
    expect(await votesOf(first.id)).toBe(3);
    const tally = await db.rpc<{ counts: number[] }>('poll_results', { p_poll_id: first.id }, chair.caller);
    expect(tally.counts).toEqual([1, 1, 1, 0, 0]);

    // Reopening the first poll would push the second one aside: refused the same way.
    await expect(db.rpc('reopen_poll', { p_poll_id: first.id }, chair.caller)).rejects.toMatchObject({ status: 409 });
    expect(await pollRow(second.id)).toEqual({ status: 'open' });
    await db.rpc('close_poll', { p_poll_id: second.id }, chair.caller);
    expect((await db.rpc<{ status: string }>('reopen_poll', { p_poll_id: first.id }, chair.caller)).status).toBe('open');
    expect(await votesOf(first.id)).toBe(3);
  });

  it('does not let a participant open or replace a poll', async () => {
    await expect(db.rpc('open_poll', { p_event_id: eventId, p_thesis_id: thesisId, p_close_open: true }, voters[0].caller)).rejects.toMatchObject({ status: 403 });
  });
});
