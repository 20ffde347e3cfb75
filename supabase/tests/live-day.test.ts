import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { serviceCaller, type SqlDatabase } from '../../src/lib/server/db/types';
import { backends, createUser, suiteDatabase, type TestUser } from './helpers';

/**
 * The live day's guarantees on every back end: a replayed request (a phone's outbox resending after
 * a lost answer, or the same request sent many times at once) answers as the original and changes
 * nothing, and a closed event takes no more votes.
 */

interface Day {
  eventId: string;
  code: string;
  thesisId: string;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e) => e
  );
  expect(error, 'expected a refusal').toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(backends)('the live day on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;

  /** A fresh event with a thesis under discussion and `phones` participants. */
  async function day(phones = 1): Promise<Day & { phones: TestUser[] }> {
    const event = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Live day', p_language: 'en' }, organiser.caller);
    const thesis = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: event.id, p_text: 'Meetings should be shorter.' }, organiser.caller);
    await db.rpc('start_thesis', { p_thesis_id: thesis.id }, organiser.caller);
    const users = await Promise.all(Array.from({ length: phones }, () => createUser(db, { anonymous: true })));
    for (const [i, user] of users.entries()) await db.rpc('join_event', { p_code: event.join_code, p_name: `Phone ${i + 1}` }, user.caller);
    return { eventId: event.id, code: event.join_code, thesisId: thesis.id, phones: users };
  }

  const openPoll = async (d: Day, kind = 'agree5') =>
    (await db.rpc<{ id: string }>('open_poll', { p_event_id: d.eventId, p_thesis_id: d.thesisId, p_kind: kind }, organiser.caller)).id;
  const results = (pollId: string) => db.rpc<{ counts: number[]; total: number }>('poll_results', { p_poll_id: pollId }, organiser.caller);
  const vote = (user: TestUser, pollId: string, option: number, key?: string) =>
    db.rpc<{ pollId: string; optionIndex: number | null }>('cast_vote', { p_poll_id: pollId, p_option_index: option, p_idempotency_key: key }, user.caller);

  suiteDatabase(backend, (suite) => ({ db, organiser } = suite), { organiser: { name: 'Olga Organiser' }, timeout: 120_000 });

  describe('a closed event', () => {
    it('closes its open poll and refuses votes, also on a poll reopened afterwards', async () => {
      const d = await day();
      const pollId = await openPoll(d);
      await vote(d.phones[0], pollId, 3);
      await db.rpc('set_event_status', { p_event_id: d.eventId, p_status: 'closed' }, organiser.caller);

      const polls = await db.withCaller(serviceCaller, (q) => q<{ status: string }>('select status from public.polls where id = $1', [pollId]));
      expect(polls).toEqual([{ status: 'closed' }]);
      const refused = await failure(vote(d.phones[0], pollId, 1));
      expect(refused.status).toBe(409);

      // Reopening the poll does not reopen the voting: the event itself is closed.
      await db.rpc('reopen_poll', { p_poll_id: pollId }, organiser.caller);
      const again = await failure(vote(d.phones[0], pollId, 1));
      expect(again.status).toBe(409);
      expect(again.message).toBe('This event is closed.');
      expect(await results(pollId)).toMatchObject({ counts: [0, 0, 0, 1, 0], total: 1 });
    });
  });

  describe('a replayed vote', () => {
    it('answers as the original and does not undo a newer vote', async () => {
      const d = await day();
      const phone = d.phones[0];
      const pollId = await openPoll(d);
      expect(await vote(phone, pollId, 0, 'k1')).toMatchObject({ optionIndex: 0 });
      expect(await vote(phone, pollId, 1, 'k2')).toMatchObject({ optionIndex: 1 });
      // A late copy of the first request arrives.
      expect(await vote(phone, pollId, 0, 'k1')).toMatchObject({ pollId, optionIndex: 0 });
      expect(await results(pollId)).toMatchObject({ counts: [0, 1, 0, 0, 0], total: 1 });
      // A copy with another body but the same key is the same request: it changes nothing either.
      expect(await vote(phone, pollId, 4, 'k2')).toMatchObject({ optionIndex: 1 });
      expect(await results(pollId)).toMatchObject({ counts: [0, 1, 0, 0, 0], total: 1 });
    });

    it('answers as the original after the poll closed, while a new vote is refused', async () => {
      const d = await day();
      const phone = d.phones[0];
      const pollId = await openPoll(d);
      await vote(phone, pollId, 2, 'before-close');
      await db.rpc('close_poll', { p_poll_id: pollId }, organiser.caller);
      expect(await vote(phone, pollId, 2, 'before-close')).toMatchObject({ optionIndex: 2 });
      expect((await failure(vote(phone, pollId, 2, 'after-close'))).status).toBe(409);
    });

    it('is counted once when the same request arrives twenty times at once', async () => {
      const d = await day(3);
      const pollId = await openPoll(d);
      const answers = await Promise.allSettled(
        d.phones.flatMap((phone, p) => Array.from({ length: 20 }, () => vote(phone, pollId, p, `same-${p}`)))
      );
      expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
      for (const [p] of d.phones.entries()) {
        const mine = answers.slice(p * 20, p * 20 + 20).map((a) => (a as PromiseFulfilledResult<{ optionIndex: number }>).value.optionIndex);
        expect(new Set(mine)).toEqual(new Set([p]));
      }
      expect(await results(pollId)).toMatchObject({ counts: [1, 1, 1, 0, 0], total: 3 });
    });
  });

  describe('what the server relays', () => {
    it('tells the server which phones voted, and nobody else', async () => {
      const d = await day(3);
      const pollId = await openPoll(d);
      await vote(d.phones[0], pollId, 1, 'r-1');
      await vote(d.phones[2], pollId, 2);
      const ids = d.phones.map((p) => p.id);
      const voters = await db.rpc<string[]>('live_poll_voters', { p_poll_id: pollId, p_user_ids: ids.slice(0, 2) }, serviceCaller);
      expect(voters).toEqual([ids[0]]);
      expect((await failure(db.rpc('live_poll_voters', { p_poll_id: pollId, p_user_ids: ids }, d.phones[0].caller))).status).toBe(403);
      expect((await failure(db.rpc('live_public_state', { p_event_id: d.eventId }, d.phones[0].caller))).status).toBe(403);
      // The receipts of requests are nobody's to read or write directly.
      await expect(db.withCaller(d.phones[0].caller, (q) => q('select * from public.vote_receipts'))).rejects.toMatchObject({ status: 403 });
      await expect(
        db.withCaller(d.phones[1].caller, (q) => q('insert into public.vote_receipts (poll_id, voter_id, idempotency_key, option_index) values ($1, $2, $3, 0)', [pollId, ids[1], 'forged']))
      ).rejects.toMatchObject({ status: 403 });
    });

    it('sends phones a small view: no agenda and no thesis texts, and the projector’s results', async () => {
      const d = await day(1);
      for (let i = 0; i < 30; i++) {
        await db.rpc('submit_thesis', { p_event_id: d.eventId, p_text: `Thesis ${i}: ${'long words about meetings '.repeat(38)}`.slice(0, 1000) }, organiser.caller);
      }
      const pollId = await openPoll(d);
      await vote(d.phones[0], pollId, 3);
      const full = await db.rpc<object>('get_projector_state', { p_event_id: d.eventId, p_token: await db.rpc('get_projector_token', { p_event_id: d.eventId }, organiser.caller) }, organiser.caller);
      const view = await db.rpc<{ theses: object[]; agenda?: unknown; openPoll: { results: { total: number } } }>('live_public_state', { p_event_id: d.eventId }, serviceCaller);
      expect(view.agenda).toBeUndefined();
      expect(view.theses).toHaveLength(31);
      expect(Object.keys(view.theses[0]).sort()).toEqual(['id', 'status']);
      expect(view.openPoll.results.total).toBe(1);
      expect(JSON.stringify(view).length).toBeLessThan(JSON.stringify(full).length / 8);
    });
  });

  describe('a replayed thesis', () => {
    it('is stored once and every copy of fifty sent at once answers as the original', async () => {
      const d = await day();
      const phone = d.phones[0];
      const answers = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          db.rpc<{ id: string; text: string }>('submit_thesis', { p_event_id: d.eventId, p_text: 'Fifty copies, one thesis.', p_idempotency_key: 'fifty' }, phone.caller)
        )
      );
      const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected').map((a) => String(a.reason));
      expect(refused).toEqual([]);
      const ids = new Set(answers.map((a) => (a as PromiseFulfilledResult<{ id: string }>).value.id));
      expect(ids.size).toBe(1);
      const stored = await db.withCaller(serviceCaller, (q) => q('select id from public.theses where idempotency_key = $1', ['fifty']));
      expect(stored).toHaveLength(1);
    });

    it('answers as the original when the copy waits on the first one’s uncommitted insert', async () => {
      const d = await day();
      const phone = d.phones[0];
      const submit = (key: string) =>
        db.rpc<{ id: string }>('submit_thesis', { p_event_id: d.eventId, p_text: 'Sent twice, kept once.', p_idempotency_key: key }, phone.caller);
      let second: Promise<{ id: string }> | undefined;
      let secondSettled = false;
      let settledBeforeCommit = false;
      // The first request's transaction has inserted the thesis but not committed when the copy arrives.
      const first = await db.withCaller(phone.caller, async (q) => {
        const [row] = await q<{ id: string }>('select (public.submit_thesis($1, $2, $3)).id', [d.eventId, 'Sent twice, kept once.', 'twice']);
        second = submit('twice');
        second.then(
          () => (secondSettled = true),
          () => (secondSettled = true)
        );
        await new Promise((r) => setTimeout(r, 500));
        // Read while the first transaction is still open: once it commits, the copy may answer at once.
        settledBeforeCommit = secondSettled;
        return row;
      });
      // On PostgreSQL the copy waited for the first transaction; PGlite runs one transaction at a time.
      if (backend.name === 'postgres') expect(settledBeforeCommit).toBe(false);
      const answer = await second!;
      expect(answer.id).toBe(first.id);
    });

    it('answers as the original after the event closed', async () => {
      const d = await day();
      const phone = d.phones[0];
      const original = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: d.eventId, p_text: 'Just in time.', p_idempotency_key: 'late' }, phone.caller);
      await db.rpc('set_event_status', { p_event_id: d.eventId, p_status: 'closed' }, organiser.caller);
      expect((await db.rpc<{ id: string }>('submit_thesis', { p_event_id: d.eventId, p_text: 'Just in time.', p_idempotency_key: 'late' }, phone.caller)).id).toBe(original.id);
      expect((await failure(db.rpc('submit_thesis', { p_event_id: d.eventId, p_text: 'Too late.', p_idempotency_key: 'later' }, phone.caller))).status).toBe(409);
    });
  });
});
