import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { anonCaller, serviceCaller, type Caller, type SqlDatabase } from '../../src/lib/server/db/types';
import { backends, createUser, suiteDatabase, type TestUser } from './helpers';

/**
 * Group commit on the embedded back ends: votes that arrive together are written in one transaction
 * by private.cast_votes, each as its own voter, and each answers exactly as the same vote alone would.
 */

interface Event {
  eventId: string;
  pollId: string;
  closedPollId: string;
  phones: TestUser[];
}

type Answer = { ok: true; value: unknown } | { ok: false; status: number; message: string };

describe.each(backends)('group commit of votes on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let stranger: TestUser;

  /** An event with `phones` participants, an open poll, and a poll that has been closed. */
  async function event(phones: number): Promise<Event> {
    const created = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Group commit', p_language: 'en' }, organiser.caller);
    const thesis = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: created.id, p_text: 'Everyone votes at once.' }, organiser.caller);
    await db.rpc('start_thesis', { p_thesis_id: thesis.id }, organiser.caller);
    const open = (kind: string) => db.rpc<{ id: string }>('open_poll', { p_event_id: created.id, p_thesis_id: thesis.id, p_kind: kind }, organiser.caller);
    const closedPollId = (await open('yes_no')).id;
    await db.rpc('close_poll', { p_poll_id: closedPollId }, organiser.caller);
    const pollId = (await open('agree5')).id;
    const users = await Promise.all(Array.from({ length: phones }, () => createUser(db, { anonymous: true })));
    for (const [i, user] of users.entries()) await db.rpc('join_event', { p_code: created.join_code, p_name: `Phone ${i + 1}` }, user.caller);
    return { eventId: created.id, pollId, closedPollId, phones: users };
  }

  const answer = (settled: PromiseSettledResult<unknown>): Answer =>
    settled.status === 'fulfilled'
      ? { ok: true, value: settled.value }
      : settled.reason instanceof AppError
        ? { ok: false, status: settled.reason.status, message: settled.reason.message }
        : { ok: false, status: 500, message: String(settled.reason) };

  /** The moments the poll's receipts were written: one per transaction (now() is the transaction's start). */
  const transactions = async (pollId: string) =>
    (await db.withCaller(serviceCaller, (q) => q<{ n: number }>('select count(distinct created_at)::integer as n from public.vote_receipts where poll_id = $1', [pollId])))[0].n;

  suiteDatabase(
    backend,
    async (suite) => {
      ({ db, organiser } = suite);
      stranger = await createUser(db, { anonymous: true });
    },
    { organiser: { name: 'Olga Organiser' }, timeout: 120_000 }
  );

  it('writes votes that arrive together in one transaction, each as its own voter', async () => {
    const e = await event(30);
    // The votes arrive while the database is busy with the organiser's transaction, as in a hall.
    let votes: Promise<{ optionIndex: number }[]> | undefined;
    await db.withCaller(organiser.caller, async (q) => {
      await q('select 1');
      votes = Promise.all(
        e.phones.map((phone, i) => db.rpc<{ optionIndex: number }>('cast_vote', { p_poll_id: e.pollId, p_option_index: i % 5, p_idempotency_key: `vote-${i}` }, phone.caller))
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    const answers = await votes!;
    expect(answers.map((a) => a.optionIndex)).toEqual(e.phones.map((_, i) => i % 5));
    expect(await transactions(e.pollId)).toBe(1);
    const rows = await db.withCaller(serviceCaller, (q) => q<{ voter_id: string; option_index: number }>('select voter_id, option_index from public.votes where poll_id = $1', [e.pollId]));
    expect(Object.fromEntries(rows.map((r) => [r.voter_id, r.option_index]))).toEqual(Object.fromEntries(e.phones.map((phone, i) => [phone.id, i % 5])));
    // Each voter reads back only their own vote, as row-level security allows.
    const mine = await db.withCaller(e.phones[7].caller, (q) => q<{ option_index: number }>('select option_index from public.votes where poll_id = $1', [e.pollId]));
    expect(mine).toEqual([{ option_index: 2 }]);
  });

  it('answers every vote of a batch as the same vote alone, and a refused vote fails alone', async () => {
    const cases = (e: Event): [string, Record<string, unknown>, Caller][] => [
      ['a vote', { p_poll_id: e.pollId, p_option_index: 2 }, e.phones[0].caller],
      ['an option that does not exist', { p_poll_id: e.pollId, p_option_index: 7 }, e.phones[1].caller],
      ['a stranger', { p_poll_id: e.pollId, p_option_index: 1 }, stranger.caller],
      ['a visitor without an account', { p_poll_id: e.pollId, p_option_index: 1 }, anonCaller],
      ['the server itself', { p_poll_id: e.pollId, p_option_index: 1 }, serviceCaller],
      ['a closed poll', { p_poll_id: e.closedPollId, p_option_index: 0 }, e.phones[2].caller],
      ['a poll of another event', { p_poll_id: e.pollId, p_option_index: 0, p_event_id: randomUUID() }, e.phones[3].caller],
      ['not a poll id', { p_poll_id: 'not-an-id', p_option_index: 0 }, e.phones[4].caller],
      ['a word on an option poll', { p_poll_id: e.pollId, p_word: 'maybe' }, e.phones[5].caller],
      ['a form’s option number', { p_poll_id: e.pollId, p_word: ' 4 ' }, e.phones[6].caller],
      ['another vote', { p_poll_id: e.pollId, p_option_index: 3, p_idempotency_key: 'k' }, e.phones[7].caller],
      ['a removed member', { p_poll_id: e.pollId, p_option_index: 1 }, e.phones[8].caller],
      ['a copy of a vote written before', { p_poll_id: e.pollId, p_option_index: 4, p_idempotency_key: 'earlier' }, e.phones[9].caller]
    ];
    /** An event for the cases: its ninth phone was removed by the organiser, its tenth voted before. */
    const prepared = async () => {
      const e = await event(10);
      const [member] = await db.withCaller(serviceCaller, (q) =>
        q<{ id: string }>('select id from public.event_members where event_id = $1 and user_id = $2', [e.eventId, e.phones[8].id])
      );
      await db.rpc('remove_member', { p_member_id: member.id }, organiser.caller);
      await db.rpc('cast_vote', { p_poll_id: e.pollId, p_option_index: 0, p_idempotency_key: 'earlier' }, e.phones[9].caller);
      return e;
    };
    // The same votes one at a time, each in a transaction of its own as PostgREST would run it.
    const castAlone = async (args: Record<string, unknown>, caller: Caller) => {
      const names = Object.keys(args);
      const text = `select public.cast_vote(${names.map((name, i) => `${name} => $${i + 1}`).join(', ')}) as result`;
      const [row] = await db.withCaller(caller, (q) => q<{ result: unknown }>(text, Object.values(args)));
      return row.result;
    };
    const alone = await prepared();
    const single: Answer[] = [];
    for (const [, args, caller] of cases(alone)) single.push(answer((await Promise.allSettled([castAlone(args, caller)]))[0]));
    const together = await prepared();
    const batched = (await Promise.allSettled(cases(together).map(([, args, caller]) => db.rpc('cast_vote', args, caller)))).map(answer);

    const named = (answers: Answer[], e: Event) =>
      Object.fromEntries(cases(e).map(([name], i) => [name, JSON.parse(JSON.stringify(answers[i]).replaceAll(e.pollId, 'POLL').replaceAll(e.closedPollId, 'CLOSED'))]));
    expect(named(batched, together)).toEqual(named(single, alone));
    expect(named(batched, together)).toMatchObject({
      'a vote': { ok: true, value: { optionIndex: 2 } },
      'an option that does not exist': { ok: false, status: 400, message: 'Choose an option from 0 to 4.' },
      'a stranger': { ok: false, status: 403, message: 'You are not a member of this event.' },
      'a visitor without an account': { ok: false, status: 403 },
      'the server itself': { ok: false, status: 401, message: 'Sign in first.' },
      'a closed poll': { ok: false, status: 409, message: 'This poll is closed.' },
      'a poll of another event': { ok: false, status: 404 },
      'not a poll id': { ok: false, status: 400 },
      'a word on an option poll': { ok: false, status: 400 },
      'a form’s option number': { ok: true, value: { optionIndex: 4 } },
      'another vote': { ok: true, value: { optionIndex: 3 } },
      'a removed member': { ok: false, status: 403, message: 'You are not a member of this event.' },
      'a copy of a vote written before': { ok: true, value: { optionIndex: 0 } }
    });
    // The refused votes left nothing behind; the accepted ones were written together.
    const results = await db.rpc<{ counts: number[]; total: number }>('poll_results', { p_poll_id: together.pollId }, organiser.caller);
    expect(results).toMatchObject({ counts: [1, 0, 1, 1, 1], total: 4 });
    // The vote written before, and the batch.
    expect(await transactions(together.pollId)).toBe(2);
  });

  it('counts copies of one request in one batch once, and answers each as the original', async () => {
    const e = await event(2);
    const [phone, other] = e.phones;
    // They arrive while the database is busy, so they wait together for the next batch however the
    // worker's messages are spread over its event loop.
    let copies: Promise<unknown[]> | undefined;
    await db.withCaller(organiser.caller, async (q) => {
      await q('select 1');
      copies = Promise.all([
        db.rpc('cast_vote', { p_poll_id: e.pollId, p_option_index: 1, p_idempotency_key: 'twice' }, phone.caller),
        db.rpc('cast_vote', { p_poll_id: e.pollId, p_option_index: 4, p_idempotency_key: 'other' }, other.caller),
        db.rpc('cast_vote', { p_poll_id: e.pollId, p_option_index: 1, p_idempotency_key: 'twice' }, phone.caller),
        // Another body under the same key is the same request.
        db.rpc('cast_vote', { p_poll_id: e.pollId, p_option_index: 3, p_idempotency_key: 'twice' }, phone.caller)
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    const answers = await copies!;
    expect(answers).toMatchObject([{ optionIndex: 1 }, { optionIndex: 4 }, { optionIndex: 1 }, { optionIndex: 1 }]);
    expect(await db.rpc('poll_results', { p_poll_id: e.pollId }, organiser.caller)).toMatchObject({ counts: [0, 1, 0, 0, 1], total: 2 });
    const receipts = await db.withCaller(serviceCaller, (q) => q('select idempotency_key from public.vote_receipts where poll_id = $1 order by 1', [e.pollId]));
    expect(receipts).toEqual([{ idempotency_key: 'other' }, { idempotency_key: 'twice' }]);
    expect(await transactions(e.pollId)).toBe(1);
  });

  it('never writes a vote inside another caller’s open transaction', async () => {
    const e = await event(1);
    let vote: Promise<unknown> | undefined;
    await expect(
      db.withCaller(organiser.caller, async (q) => {
        await q('select 1');
        vote = db.rpc('cast_vote', { p_poll_id: e.pollId, p_option_index: 3 }, e.phones[0].caller);
        await new Promise((resolve) => setTimeout(resolve, 300));
        throw new Error('The organiser’s transaction fails.');
      })
    ).rejects.toThrow('The organiser’s transaction fails.');
    await expect(vote).resolves.toMatchObject({ optionIndex: 3 });
    expect(await db.rpc('poll_results', { p_poll_id: e.pollId }, organiser.caller)).toMatchObject({ counts: [0, 0, 0, 1, 0], total: 1 });
  });

  it('cannot be run by any API role, so nobody casts votes under claims they choose', async () => {
    const e = await event(2);
    const [phone, victim] = e.phones;
    const forged = JSON.stringify([{ role: 'authenticated', claims: JSON.stringify({ sub: victim.id, role: 'authenticated' }), p_poll_id: e.pollId, p_option_index: 0 }]);
    for (const caller of [phone.caller, anonCaller, serviceCaller, organiser.caller]) {
      await expect(db.withCaller(caller, (q) => q('select private.cast_votes($1::jsonb)', [forged]))).rejects.toMatchObject({ status: 403 });
    }
    await expect(db.rpc('cast_votes', { p_calls: forged }, phone.caller)).rejects.toThrow();
    expect(await db.rpc('poll_results', { p_poll_id: e.pollId }, organiser.caller)).toMatchObject({ total: 0 });
  });
});
