import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { serviceCaller, type Caller, type SqlDatabase } from '../../src/lib/server/db/types';
import { allBackends, createUser, suiteDatabase, type TestUser } from './helpers';

/**
 * The chair's and the organiser's tools on every back end: who counts as present, upvotes on the
 * queue (and what a participant must not be able to do with them), prepared theses and polls, the
 * countdown, the before/after shift, what comes next, the published recap in the room's view, and
 * the organiser's own name.
 */

interface EventRow {
  id: string;
  join_code: string;
}

interface Thesis {
  id: string;
  text: string;
  status: string;
  upvotes?: number | null;
  upvoted?: boolean | null;
  authorName?: string | null;
  mergedIntoText?: string | null;
}

interface State {
  theses: Thesis[];
  presentCount: number;
  preparedPolls?: { id: string; question: string; kind: string; options: string[]; phase: string | null }[] | null;
  openPoll: { id: string; question: string } | null;
  lastPoll: { id: string } | null;
  beforePoll: { id: string; results: { counts: number[] } | null } | null;
  countdown: { endsAt: string; seconds: number; for: 'poll' | 'item' } | null;
  upNext: { agendaItem: { title: string } | null; thesis: { text: string } | null };
  recap: { slug: string } | null;
  event: { allowUpvotes: boolean };
  me?: { name: string; role: string } | null;
}

async function refused(promise: Promise<unknown>, status: number): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e) => e
  );
  expect(error, 'expected a refusal').toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(status);
  return error as AppError;
}

describe.each(allBackends)('the chair’s and the organiser’s tools on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;

  const rows = (caller: Caller, sql: string, params: unknown[] = []) => db.withCaller(caller, (q) => q(sql, params));
  const state = (caller: Caller, eventId: string) => db.rpc<State>('get_event_state', { p_event_id: eventId }, caller);
  const createEvent = (title: string) => db.rpc<EventRow>('create_event', { p_title: title, p_language: 'en' }, organiser.caller);
  const join = async (event: EventRow, name: string) => {
    const user = await createUser(db, { anonymous: true });
    await db.rpc('join_event', { p_code: event.join_code, p_name: name }, user.caller);
    return user;
  };
  const setUpvotes = (eventId: string, on: boolean) =>
    db.rpc('update_event', { p_event_id: eventId, p_title: 'Upvotes', p_starts_on: null, p_language: 'en', p_question: null, p_venue: null, p_allow_upvotes: on }, organiser.caller);
  const memberId = async (eventId: string, name: string) =>
    (await db.rpc<{ id: string; name: string }[]>('list_members', { p_event_id: eventId }, organiser.caller)).find((m) => m.name === name)!.id;

  suiteDatabase(backend, (suite) => ({ db, organiser } = suite), { organiser: { email: 'org@example.test' }, timeout: 180_000 });

  describe('who is present', () => {
    it('counts the participants who joined, once each: not the organiser, the chair, the note-taker or names typed in', async () => {
      const event = await createEvent('Present');
      const [chair, noteTaker] = [await join(event, 'Chair'), await join(event, 'Nora')];
      await db.rpc('set_member_role', { p_member_id: await memberId(event.id, 'Chair'), p_role: 'chair' }, organiser.caller);
      await db.rpc('set_member_role', { p_member_id: await memberId(event.id, 'Nora'), p_role: 'note_taker' }, organiser.caller);
      const phone = await join(event, 'Ann');
      await join(event, 'Ben');
      // A phone that joins again (a reload of the join page) is still one person.
      await db.rpc('join_event', { p_code: event.join_code, p_name: 'Ann again' }, phone.caller);
      await db.rpc('add_member', { p_event_id: event.id, p_name: 'Typed In', p_role: 'participant' }, organiser.caller);

      expect((await state(organiser.caller, event.id)).presentCount).toBe(2);
      expect((await state(chair.caller, event.id)).presentCount).toBe(2);
      expect((await state(noteTaker.caller, event.id)).presentCount).toBe(2);
      expect((await db.rpc<State>('live_public_state', { p_event_id: event.id }, serviceCaller)).presentCount).toBe(2);
    });
  });

  describe('upvotes on the queue', () => {
    let event: EventRow;
    let other: EventRow;
    let queued: string;
    let second: string;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;

    beforeAll(async () => {
      event = await createEvent('Upvotes');
      other = await createEvent('Elsewhere');
      queued = (await db.rpc<{ id: string }>('add_thesis', { p_event_id: event.id, p_text: 'Meetings need a goal.' }, organiser.caller)).id;
      second = (await db.rpc<{ id: string }>('add_thesis', { p_event_id: event.id, p_text: 'E-mail is dead.' }, organiser.caller)).id;
      [alice, bob] = [await join(event, 'Alice'), await join(event, 'Bob')];
      carol = await join(other, 'Carol');
    });

    it('are refused while the organiser has not switched them on', async () => {
      await setUpvotes(event.id, false);
      await refused(db.rpc('upvote_thesis', { p_thesis_id: queued }, alice.caller), 409);
    });

    it('count one per member and thesis, however often it is sent, and can be taken back', async () => {
      await setUpvotes(event.id, true);
      await db.rpc('upvote_thesis', { p_thesis_id: second }, alice.caller);
      await db.rpc('upvote_thesis', { p_thesis_id: second }, alice.caller);
      await db.rpc('upvote_thesis', { p_thesis_id: second, p_upvoted: true }, bob.caller);
      await db.rpc('upvote_thesis', { p_thesis_id: queued }, bob.caller);
      let staff = await state(organiser.caller, event.id);
      expect(Object.fromEntries(staff.theses.map((t) => [t.text, t.upvotes]))).toEqual({ 'Meetings need a goal.': 1, 'E-mail is dead.': 2 });

      await db.rpc('upvote_thesis', { p_thesis_id: queued, p_upvoted: false }, bob.caller);
      await db.rpc('upvote_thesis', { p_thesis_id: queued, p_upvoted: false }, bob.caller);
      staff = await state(organiser.caller, event.id);
      expect(staff.theses.find((t) => t.id === queued)?.upvotes).toBe(0);
    });

    it('show a participant its own upvotes but neither the counts nor who else upvoted', async () => {
      const mine = await state(alice.caller, event.id);
      expect(mine.theses.find((t) => t.id === second)).toMatchObject({ upvoted: true, upvotes: null });
      expect(mine.theses.find((t) => t.id === queued)).toMatchObject({ upvoted: false, upvotes: null });
      await expect(rows(alice.caller, 'select * from public.thesis_upvotes')).rejects.toMatchObject({ status: 403 });
      await expect(rows(bob.caller, 'select voter_id from public.thesis_upvotes where thesis_id = $1', [second])).rejects.toMatchObject({ status: 403 });
      const view = JSON.stringify(await db.rpc('live_public_state', { p_event_id: event.id }, serviceCaller));
      expect(view).not.toContain(alice.id);
      expect(view).not.toContain('"upvotes"');
    });

    it('cannot be cast in another event, written straight into the table, or on a thesis outside the queue', async () => {
      await refused(db.rpc('upvote_thesis', { p_thesis_id: queued }, carol.caller), 403);
      await expect(
        rows(carol.caller, 'insert into public.thesis_upvotes (thesis_id, voter_id, event_id) values ($1, $2, $3)', [queued, carol.id, event.id])
      ).rejects.toMatchObject({ status: 403 });
      await expect(rows(alice.caller, 'delete from public.thesis_upvotes where thesis_id = $1', [second])).rejects.toMatchObject({ status: 403 });
      const submitted = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: event.id, p_text: 'Not yet moderated.' }, bob.caller);
      await refused(db.rpc('upvote_thesis', { p_thesis_id: submitted.id }, alice.caller), 409);
      expect((await state(organiser.caller, event.id)).theses.find((t) => t.id === second)?.upvotes).toBe(2);
    });

    it('let the chair sort the queue by them, and nobody else', async () => {
      await refused(db.rpc('sort_queue_by_upvotes', { p_event_id: event.id }, alice.caller), 403);
      await db.rpc('sort_queue_by_upvotes', { p_event_id: event.id }, organiser.caller);
      const queue = (await state(organiser.caller, event.id)).theses.filter((t) => t.status === 'approved').map((t) => t.text);
      expect(queue).toEqual(['E-mail is dead.', 'Meetings need a goal.']);
    });

    it('put the queue’s texts in the room’s view only while upvotes are on', async () => {
      type View = { theses: { id: string; text?: string }[] };
      const on = await db.rpc<View>('live_public_state', { p_event_id: event.id }, serviceCaller);
      expect(on.theses.find((t) => t.id === second)?.text).toBe('E-mail is dead.');
      await setUpvotes(event.id, false);
      const off = await db.rpc<View>('live_public_state', { p_event_id: event.id }, serviceCaller);
      expect(off.theses.every((t) => t.text === undefined)).toBe(true);
    });
  });

  describe('prepared theses', () => {
    it('are added with their author, corrected, ordered and deleted by the organiser, and not by a participant', async () => {
      const event = await createEvent('Prepared');
      const phone = await join(event, 'Phone');
      const first = await db.rpc<{ id: string; status: string; author_name: string }>(
        'add_thesis', { p_event_id: event.id, p_text: ' Hybrid   work is here to stay. ', p_author_name: 'Hanna' }, organiser.caller);
      expect(first).toMatchObject({ status: 'approved', author_name: 'Hanna', text: 'Hybrid work is here to stay.' });
      const second = await db.rpc<{ id: string }>('add_thesis', { p_event_id: event.id, p_text: 'Offices are for meeting.' }, organiser.caller);
      await db.rpc('update_thesis', { p_thesis_id: second.id, p_text: 'Offices are for meeting people.', p_author_name: 'Piet' }, organiser.caller);
      await db.rpc('move_thesis', { p_thesis_id: second.id, p_position: 0 }, organiser.caller);
      let theses = (await state(organiser.caller, event.id)).theses;
      expect(theses.map((t) => [t.text, t.authorName])).toEqual([['Offices are for meeting people.', 'Piet'], ['Hybrid work is here to stay.', 'Hanna']]);

      await refused(db.rpc('add_thesis', { p_event_id: event.id, p_text: 'Mine' }, phone.caller), 403);
      await refused(db.rpc('update_thesis', { p_thesis_id: first.id, p_text: 'Hijacked' }, phone.caller), 403);
      await refused(db.rpc('delete_thesis', { p_thesis_id: first.id }, phone.caller), 403);
      await refused(db.rpc('add_thesis', { p_event_id: event.id, p_text: '   ' }, organiser.caller), 400);

      await db.rpc('delete_thesis', { p_thesis_id: second.id }, organiser.caller);
      theses = (await state(organiser.caller, event.id)).theses;
      expect(theses.map((t) => t.text)).toEqual(['Hybrid work is here to stay.']);
    });

    it('keep the record of the day: a thesis with notes or votes, or that others were merged into, is not deleted', async () => {
      const event = await createEvent('Record');
      const phone = await join(event, 'Phone');
      const noted = await db.rpc<{ id: string }>('add_thesis', { p_event_id: event.id, p_text: 'Noted.' }, organiser.caller);
      await db.rpc('add_note', { p_event_id: event.id, p_thesis_id: noted.id, p_text: 'Said.' }, organiser.caller);
      expect((await refused(db.rpc('delete_thesis', { p_thesis_id: noted.id }, organiser.caller), 409)).message).toMatch(/Reject it instead/);

      const target = await db.rpc<{ id: string }>('add_thesis', { p_event_id: event.id, p_text: 'Target.' }, organiser.caller);
      const duplicate = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: event.id, p_text: 'Duplicate.' }, phone.caller);
      await db.rpc('moderate_thesis', { p_thesis_id: duplicate.id, p_status: 'merged', p_merged_into: target.id }, organiser.caller);
      await refused(db.rpc('delete_thesis', { p_thesis_id: target.id }, organiser.caller), 409);
      // The phone reads which thesis its own joined.
      const mine = (await state(phone.caller, event.id)).theses.find((t) => t.id === duplicate.id);
      expect(mine).toMatchObject({ status: 'merged', mergedIntoText: 'Target.' });
      // Undoing the merge sends it back to the chair's desk.
      await db.rpc('moderate_thesis', { p_thesis_id: duplicate.id, p_status: 'submitted' }, organiser.caller);
      await db.rpc('delete_thesis', { p_thesis_id: target.id }, organiser.caller);
    });
  });

  describe('prepared polls', () => {
    it('wait as drafts the staff see, open with one call, and replace an open poll only when the chair confirms', async () => {
      const event = await createEvent('Prepared polls');
      const phone = await join(event, 'Phone');
      const thesis = await db.rpc<{ id: string }>('add_thesis', { p_event_id: event.id, p_text: 'Pilots should fly less.' }, organiser.caller);
      const before = await db.rpc<{ id: string; status: string }>(
        'prepare_poll', { p_event_id: event.id, p_thesis_id: thesis.id, p_kind: 'agree5', p_phase: 'before' }, organiser.caller);
      const choice = await db.rpc<{ id: string; status: string; options: string[]; question: string }>(
        'prepare_poll',
        { p_event_id: event.id, p_thesis_id: thesis.id, p_kind: 'choice', p_options: ['Trains', ' Planes ', 'Video calls'], p_question: 'How do you travel?' },
        organiser.caller
      );
      expect(before.status).toBe('draft');
      expect(choice).toMatchObject({ status: 'draft', options: ['Trains', 'Planes', 'Video calls'], question: 'How do you travel?' });
      await refused(db.rpc('prepare_poll', { p_event_id: event.id, p_thesis_id: thesis.id, p_kind: 'choice', p_options: ['Only one'] }, organiser.caller), 400);

      const staff = await state(organiser.caller, event.id);
      expect(staff.preparedPolls?.map((p) => p.question)).toEqual(['Pilots should fly less.', 'How do you travel?']);
      // A participant sees no draft, by RPC or by table, and cannot prepare, open or delete one.
      expect((await state(phone.caller, event.id)).preparedPolls ?? null).toBeNull();
      expect(await rows(phone.caller, 'select id from public.polls where event_id = $1', [event.id])).toEqual([]);
      await refused(db.rpc('prepare_poll', { p_event_id: event.id, p_thesis_id: thesis.id }, phone.caller), 403);
      await refused(db.rpc('open_prepared_poll', { p_poll_id: before.id }, phone.caller), 403);
      await refused(db.rpc('delete_prepared_poll', { p_poll_id: before.id }, phone.caller), 403);

      await db.rpc('start_thesis', { p_thesis_id: thesis.id }, organiser.caller);
      expect((await db.rpc<{ status: string }>('open_prepared_poll', { p_poll_id: before.id }, organiser.caller)).status).toBe('open');
      await db.rpc('cast_vote', { p_poll_id: before.id, p_option_index: 4 }, phone.caller);
      expect((await refused(db.rpc('open_prepared_poll', { p_poll_id: choice.id }, organiser.caller), 409)).message).toMatch(/already open.*1 vote/);
      await db.rpc('open_prepared_poll', { p_poll_id: choice.id, p_close_open: true }, organiser.caller);
      const now = await state(phone.caller, event.id);
      expect(now.openPoll).toMatchObject({ id: choice.id, question: 'How do you travel?' });
      expect((await db.rpc<{ counts: number[] }>('poll_results', { p_poll_id: before.id }, organiser.caller)).counts).toEqual([0, 0, 0, 0, 1]);

      // An opened poll is part of the record: it cannot be deleted or opened as new again.
      await refused(db.rpc('delete_prepared_poll', { p_poll_id: before.id }, organiser.caller), 409);
      await refused(db.rpc('open_prepared_poll', { p_poll_id: before.id }, organiser.caller), 409);
      const spare = await db.rpc<{ id: string }>('prepare_poll', { p_event_id: event.id, p_thesis_id: thesis.id, p_kind: 'yes_no' }, organiser.caller);
      await db.rpc('delete_prepared_poll', { p_poll_id: spare.id }, organiser.caller);
      expect((await state(organiser.caller, event.id)).preparedPolls).toEqual([]);
    });
  });

  describe('the shift, what comes next and the countdown', () => {
    it('shows the before poll beside a closed after poll, the next item and thesis, and a countdown for the poll or the item', async () => {
      const event = await createEvent('Shift');
      const phone = await join(event, 'Phone');
      const opening = await db.rpc<{ id: string }>('add_agenda_item', { p_event_id: event.id, p_title: 'Opening' }, organiser.caller);
      await db.rpc('add_agenda_item', { p_event_id: event.id, p_title: 'Round table' }, organiser.caller);
      const first = await db.rpc<{ id: string }>('add_thesis', { p_event_id: event.id, p_text: 'First thesis.' }, organiser.caller);
      await db.rpc('add_thesis', { p_event_id: event.id, p_text: 'Second thesis.' }, organiser.caller);

      let view = await state(phone.caller, event.id);
      expect(view.upNext).toMatchObject({ agendaItem: { title: 'Opening' }, thesis: { text: 'First thesis.' } });
      await db.rpc('start_agenda_item', { p_agenda_item_id: opening.id }, organiser.caller);
      await refused(db.rpc('set_countdown', { p_event_id: event.id, p_seconds: 60, p_for: 'poll' }, organiser.caller), 409);
      await db.rpc('set_countdown', { p_event_id: event.id, p_seconds: 300 }, organiser.caller);
      view = await state(phone.caller, event.id);
      expect(view.upNext.agendaItem?.title).toBe('Round table');
      expect(view.countdown).toMatchObject({ seconds: 300, for: 'item' });
      const left = Date.parse(view.countdown!.endsAt) - Date.now();
      expect(left).toBeGreaterThan(200_000);
      expect(left).toBeLessThanOrEqual(300_000 + 5_000);

      // Starting the thesis moves on from the item: its countdown is no longer shown.
      await db.rpc('start_thesis', { p_thesis_id: first.id }, organiser.caller);
      expect((await state(phone.caller, event.id)).countdown).toBeNull();
      const before = await db.rpc<{ id: string }>('open_poll', { p_event_id: event.id, p_thesis_id: first.id, p_phase: 'before' }, organiser.caller);
      await db.rpc('set_countdown', { p_event_id: event.id, p_seconds: 30 }, organiser.caller);
      expect((await db.rpc<State>('live_public_state', { p_event_id: event.id }, serviceCaller)).countdown).toMatchObject({ seconds: 30, for: 'poll' });
      await db.rpc('cast_vote', { p_poll_id: before.id, p_option_index: 1 }, phone.caller);
      await db.rpc('close_poll', { p_poll_id: before.id }, organiser.caller);
      expect((await state(phone.caller, event.id)).countdown).toBeNull();
      expect((await state(phone.caller, event.id)).beforePoll).toBeNull();

      const after = await db.rpc<{ id: string }>('open_poll', { p_event_id: event.id, p_thesis_id: first.id, p_phase: 'after' }, organiser.caller);
      await db.rpc('cast_vote', { p_poll_id: after.id, p_option_index: 3 }, phone.caller);
      expect((await state(phone.caller, event.id)).beforePoll).toBeNull();
      await db.rpc('close_poll', { p_poll_id: after.id }, organiser.caller);
      view = await db.rpc<State>('live_public_state', { p_event_id: event.id }, serviceCaller);
      expect(view.lastPoll?.id).toBe(after.id);
      expect(view.beforePoll).toMatchObject({ id: before.id, results: { counts: [0, 1, 0, 0, 0] } });

      // Only the chair sets a countdown, and only a sensible one.
      await refused(db.rpc('set_countdown', { p_event_id: event.id, p_seconds: 30 }, phone.caller), 403);
      await refused(db.rpc('set_countdown', { p_event_id: event.id, p_seconds: -5 }, organiser.caller), 400);
      await refused(db.rpc('set_countdown', { p_event_id: event.id, p_seconds: 90_000 }, organiser.caller), 400);
      await db.rpc('set_countdown', { p_event_id: event.id, p_seconds: 120, p_for: 'item' }, organiser.caller);
      expect((await state(phone.caller, event.id)).countdown).toMatchObject({ for: 'item', seconds: 120 });
      await db.rpc('set_countdown', { p_event_id: event.id, p_seconds: 0 }, organiser.caller);
      expect((await state(phone.caller, event.id)).countdown).toBeNull();
    });
  });

  describe('the end of the day', () => {
    it('gives every screen the published recap’s address, and takes it away when unpublished', async () => {
      const event = await createEvent('The end');
      const phone = await join(event, 'Phone');
      await db.rpc('set_event_status', { p_event_id: event.id, p_status: 'closed' }, organiser.caller);
      expect((await state(phone.caller, event.id)).recap).toBeNull();
      const recap = await db.rpc<{ id: string }>('save_recap', { p_event_id: event.id, p_markdown: '# The end' }, organiser.caller);
      expect((await state(phone.caller, event.id)).recap).toBeNull();
      const published = await db.rpc<{ public_slug: string }>('publish_recap', { p_recap_id: recap.id }, organiser.caller);
      expect((await state(phone.caller, event.id)).recap).toMatchObject({ slug: published.public_slug });
      expect((await db.rpc<State>('live_public_state', { p_event_id: event.id }, serviceCaller)).recap?.slug).toBe(published.public_slug);
      await db.rpc('unpublish_recap', { p_recap_id: recap.id }, organiser.caller);
      expect((await state(phone.caller, event.id)).recap).toBeNull();
    });
  });

  describe('the organiser’s name', () => {
    it('replaces the e-mail’s first part in the events the organiser runs and in new ones; a participant has none to set', async () => {
      const before = await createEvent('Named');
      const phone = await join(before, 'Phone');
      expect((await db.rpc<{ name: string }>('get_my_account', {}, organiser.caller)).name).toBe('org');
      await refused(db.rpc('set_my_name', { p_name: '  ' }, organiser.caller), 400);
      expect(await db.rpc('set_my_name', { p_name: ' Olga  Organiser ' }, organiser.caller)).toMatchObject({ name: 'Olga Organiser', email: 'org@example.test' });
      const after = await createEvent('Named later');
      for (const eventId of [before.id, after.id]) {
        expect((await state(organiser.caller, eventId)).me).toMatchObject({ name: 'Olga Organiser', role: 'organiser' });
      }
      expect((await state(phone.caller, before.id)).me).toMatchObject({ name: 'Phone' });
      await refused(db.rpc('set_my_name', { p_name: 'Mallory' }, phone.caller), 403);
      await refused(db.rpc('get_my_account', {}, phone.caller), 403);
    });
  });
});
