import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { anonCaller, type Caller, type SqlDatabase } from '../../src/lib/server/db/types';
import { allBackends, createUser, suiteDatabase, type TestUser } from './helpers';

/**
 * What each role must NOT be able to do, on every back end: through the domain functions (RPC) and
 * through direct table access, which is what PostgREST exposes on Supabase. Each denial is paired
 * with the allowed case nearby, so a policy that denies everything would fail too.
 */

interface World {
  db: SqlDatabase;
  organiser: TestUser;
  chair: TestUser;
  noteTaker: TestUser;
  otherNoteTaker: TestUser;
  alice: TestUser; // participant of event A
  bob: TestUser; // participant of event A
  carol: TestUser; // participant of event B only
  stranger: TestUser; // registered, member of nothing
  eventA: string;
  eventB: string;
  codeA: string;
  codeB: string;
  projectorTokenA: string;
  thesisA: string; // approved thesis of A
  bobsSubmission: string; // bob's unmoderated thesis in A
  thesisB: string;
  itemA: string;
  pollA: string; // open poll on thesisA
  pollB: string; // open poll in B
  noteA: string; // note by noteTaker in A
  recapA: string; // unpublished recap of A
}

async function denied(promise: Promise<unknown>, status: number) {
  const error = await promise.then(
    () => undefined,
    (e) => e
  );
  expect(error, 'expected a denial').toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(status);
}

const rows = (db: SqlDatabase, caller: Caller, sql: string, params: unknown[] = []) => db.withCaller(caller, (q) => q(sql, params));

describe.each(allBackends)('security matrix on $name', (backend) => {
  let w: World;

  suiteDatabase(backend, async ({ db, organiser }) => {
    const [chair, noteTaker, otherNoteTaker, stranger] = await Promise.all([createUser(db), createUser(db), createUser(db), createUser(db)]);
    const [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => createUser(db, { anonymous: true })));

    const a = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Event A', p_language: 'en' }, organiser.caller);
    const b = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Event B', p_language: 'nl' }, organiser.caller);
    for (const [user, name] of [[chair, 'Chair'], [noteTaker, 'Nora'], [otherNoteTaker, 'Otto'], [alice, 'Alice'], [bob, 'Bob']] as const) {
      await db.rpc('join_event', { p_code: a.join_code, p_name: name }, user.caller);
    }
    await db.rpc('join_event', { p_code: b.join_code, p_name: 'Carol' }, carol.caller);
    const members = await db.rpc<{ id: string; name: string }[]>('list_members', { p_event_id: a.id }, organiser.caller);
    const memberId = (name: string) => members.find((m) => m.name === name)!.id;
    await db.rpc('set_member_role', { p_member_id: memberId('Chair'), p_role: 'chair' }, organiser.caller);
    await db.rpc('set_member_role', { p_member_id: memberId('Nora'), p_role: 'note_taker' }, organiser.caller);
    await db.rpc('set_member_role', { p_member_id: memberId('Otto'), p_role: 'note_taker' }, organiser.caller);

    const thesisA = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: a.id, p_text: 'Meetings should be shorter.' }, chair.caller);
    const bobsSubmission = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: a.id, p_text: 'Bob thinks e-mail is dead.' }, bob.caller);
    const thesisB = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: b.id, p_text: 'Stelling in B.' }, organiser.caller);
    const itemA = await db.rpc<{ id: string }>('add_agenda_item', { p_event_id: a.id, p_title: 'Opening', p_kind: 'talk' }, organiser.caller);
    await db.rpc('start_thesis', { p_thesis_id: thesisA.id }, chair.caller);
    const pollA = await db.rpc<{ id: string }>('open_poll', { p_event_id: a.id, p_thesis_id: thesisA.id, p_kind: 'agree5' }, chair.caller);
    const pollB = await db.rpc<{ id: string }>('open_poll', { p_event_id: b.id, p_thesis_id: thesisB.id, p_kind: 'yes_no' }, organiser.caller);
    const noteA = await db.rpc<{ id: string }>('add_note', { p_event_id: a.id, p_thesis_id: thesisA.id, p_kind: 'note', p_text: 'Nora noted this.' }, noteTaker.caller);
    const recapA = await db.rpc<{ id: string }>('save_recap', { p_event_id: a.id, p_markdown: '# Draft', p_engine: 'manual' }, organiser.caller);
    const projectorTokenA = await db.rpc<string>('get_projector_token', { p_event_id: a.id }, organiser.caller);
    w = {
      db, organiser, chair, noteTaker, otherNoteTaker, alice, bob, carol, stranger,
      eventA: a.id, eventB: b.id, codeA: a.join_code, codeB: b.join_code, projectorTokenA,
      thesisA: thesisA.id, bobsSubmission: bobsSubmission.id, thesisB: thesisB.id, itemA: itemA.id,
      pollA: pollA.id, pollB: pollB.id, noteA: noteA.id, recapA: recapA.id
    };
  }, { organiser: { name: 'Olga Organiser' }, timeout: 120_000 });

  describe('a participant of event A', () => {
    it('reads event A but not event B, by RPC or by table', async () => {
      const { db, alice, eventA, eventB } = w;
      expect((await db.rpc<{ event: { id: string } }>('get_event_state', { p_event_id: eventA }, alice.caller)).event.id).toBe(eventA);
      await denied(db.rpc('get_event_state', { p_event_id: eventB }, alice.caller), 403);
      expect(await rows(db, alice.caller, 'select id from public.events where id = $1', [eventB])).toEqual([]);
      expect(await rows(db, alice.caller, 'select id from public.theses where event_id = $1', [eventB])).toEqual([]);
      expect(await rows(db, alice.caller, 'select id from public.polls where event_id = $1', [eventB])).toEqual([]);
      expect(await rows(db, alice.caller, 'select id from public.agenda_items where event_id = $1', [eventB])).toEqual([]);
    });

    it('cannot vote, submit or add notes in event B', async () => {
      const { db, alice, eventB, pollB, thesisB } = w;
      await denied(db.rpc('cast_vote', { p_poll_id: pollB, p_option_index: 0 }, alice.caller), 403);
      await denied(db.rpc('submit_thesis', { p_event_id: eventB, p_text: 'Sneaky' }, alice.caller), 403);
      await denied(db.rpc('add_note', { p_event_id: eventB, p_thesis_id: thesisB, p_text: 'Sneaky' }, alice.caller), 403);
      await denied(db.rpc('poll_results', { p_poll_id: pollB }, alice.caller), 403);
    });

    it('votes once: a second vote replaces the first', async () => {
      const { db, alice, pollA } = w;
      await db.rpc('cast_vote', { p_poll_id: pollA, p_option_index: 4 }, alice.caller);
      await db.rpc('cast_vote', { p_poll_id: pollA, p_option_index: 1 }, alice.caller);
      const mine = await rows(db, alice.caller, 'select option_index from public.votes where poll_id = $1', [pollA]);
      expect(mine).toEqual([{ option_index: 1 }]);
    });

    it('cannot vote as someone else, or write votes directly', async () => {
      const { db, alice, bob, pollA, eventA } = w;
      await expect(
        rows(db, alice.caller, 'insert into public.votes (poll_id, voter_id, event_id, option_index) values ($1, $2, $3, 0)', [pollA, bob.id, eventA])
      ).rejects.toMatchObject({ status: 403 });
      await expect(rows(db, alice.caller, 'update public.votes set option_index = 3 where poll_id = $1', [pollA])).rejects.toMatchObject({ status: 403 });
      await expect(rows(db, alice.caller, 'delete from public.votes where poll_id = $1', [pollA])).rejects.toMatchObject({ status: 403 });
    });

    it("cannot read other voters' votes", async () => {
      const { db, alice, bob, pollA } = w;
      await db.rpc('cast_vote', { p_poll_id: pollA, p_option_index: 2 }, bob.caller);
      const visible = await rows(db, alice.caller, 'select voter_id from public.votes where poll_id = $1', [pollA]);
      expect(visible).toEqual([{ voter_id: alice.id }]);
    });

    it('cannot vote with an option that does not exist, or with a word on an option poll', async () => {
      const { db, alice, pollA } = w;
      await denied(db.rpc('cast_vote', { p_poll_id: pollA, p_option_index: 5 }, alice.caller), 400);
      await denied(db.rpc('cast_vote', { p_poll_id: pollA, p_option_index: -1 }, alice.caller), 400);
      await denied(db.rpc('cast_vote', { p_poll_id: pollA, p_word: 'banana' }, alice.caller), 400);
    });

    it("cannot edit another participant's thesis, by RPC or by table", async () => {
      const { db, alice, bobsSubmission } = w;
      await denied(db.rpc('edit_thesis', { p_thesis_id: bobsSubmission, p_text: 'Hijacked' }, alice.caller), 403);
      const updated = await rows(db, alice.caller, "update public.theses set text = 'Hijacked' where id = $1 returning id", [bobsSubmission]);
      expect(updated).toEqual([]);
    });

    it("cannot read others' unmoderated theses, by RPC or by table, but the author can", async () => {
      const { db, alice, bob, eventA, bobsSubmission } = w;
      const state = await db.rpc<{ theses: { id: string }[] }>('get_event_state', { p_event_id: eventA }, alice.caller);
      expect(state.theses.map((t) => t.id)).not.toContain(bobsSubmission);
      expect(await rows(db, alice.caller, 'select id from public.theses where id = $1', [bobsSubmission])).toEqual([]);
      const bobsState = await db.rpc<{ theses: { id: string; mine: boolean }[] }>('get_event_state', { p_event_id: eventA }, bob.caller);
      expect(bobsState.theses.find((t) => t.id === bobsSubmission)?.mine).toBe(true);
    });

    it('cannot run the room: start, finish, open, close, reveal, end, moderate, reorder', async () => {
      const { db, alice, eventA, thesisA, pollA, bobsSubmission, itemA } = w;
      await denied(db.rpc('start_thesis', { p_thesis_id: thesisA }, alice.caller), 403);
      await denied(db.rpc('finish_thesis', { p_thesis_id: thesisA }, alice.caller), 403);
      await denied(db.rpc('open_poll', { p_event_id: eventA, p_thesis_id: thesisA }, alice.caller), 403);
      await denied(db.rpc('close_poll', { p_poll_id: pollA }, alice.caller), 403);
      await denied(db.rpc('reveal_poll_results', { p_poll_id: pollA }, alice.caller), 403);
      await denied(db.rpc('end_discussion', { p_event_id: eventA }, alice.caller), 403);
      await denied(db.rpc('moderate_thesis', { p_thesis_id: bobsSubmission, p_status: 'approved' }, alice.caller), 403);
      await denied(db.rpc('reorder_theses', { p_event_id: eventA, p_thesis_ids: [thesisA] }, alice.caller), 403);
      await denied(db.rpc('start_agenda_item', { p_agenda_item_id: itemA }, alice.caller), 403);
      await denied(db.rpc('add_agenda_item', { p_event_id: eventA, p_title: 'Mine' }, alice.caller), 403);
    });

    it('cannot read or write notes, members, secrets, recaps or the archive', async () => {
      const { db, alice, eventA, thesisA, recapA } = w;
      await denied(db.rpc('list_notes', { p_event_id: eventA }, alice.caller), 403);
      await denied(db.rpc('add_note', { p_event_id: eventA, p_thesis_id: thesisA, p_text: 'Mine' }, alice.caller), 403);
      expect(await rows(db, alice.caller, 'select id from public.notes where event_id = $1', [eventA])).toEqual([]);
      await denied(db.rpc('list_members', { p_event_id: eventA }, alice.caller), 403);
      expect((await rows(db, alice.caller, 'select user_id from public.event_members where event_id = $1', [eventA])).map((r) => r.user_id)).toEqual([alice.id]);
      await denied(db.rpc('get_projector_token', { p_event_id: eventA }, alice.caller), 403);
      await expect(rows(db, alice.caller, 'select * from public.event_secrets')).rejects.toMatchObject({ status: 403 });
      await denied(db.rpc('save_recap', { p_event_id: eventA, p_markdown: 'Mine' }, alice.caller), 403);
      await denied(db.rpc('publish_recap', { p_recap_id: recapA }, alice.caller), 403);
      expect(await rows(db, alice.caller, 'select id from public.recaps where id = $1', [recapA])).toEqual([]);
      await denied(db.rpc('export_event', { p_event_id: eventA }, alice.caller), 403);
      await denied(db.rpc('update_event', { p_event_id: eventA, p_title: 'Mine', p_starts_on: null, p_language: 'en', p_question: null, p_venue: null }, alice.caller), 403);
    });

    it('cannot make itself chair or write rows straight into the tables', async () => {
      const { db, alice, eventA } = w;
      await expect(rows(db, alice.caller, "update public.event_members set role = 'organiser' where user_id = $1", [alice.id])).rejects.toMatchObject({ status: 403 });
      // Its own name is its own to change.
      expect(await rows(db, alice.caller, "update public.event_members set name = 'Alice A.' where user_id = $1 returning name", [alice.id])).toEqual([{ name: 'Alice A.' }]);
      await expect(rows(db, alice.caller, "insert into public.theses (event_id, text, status) values ($1, 'Direct', 'approved')", [eventA])).rejects.toMatchObject({ status: 403 });
      await expect(rows(db, alice.caller, "insert into public.polls (event_id, question, kind, options) values ($1, 'Q', 'yes_no', '{a,b}')", [eventA])).rejects.toMatchObject({ status: 403 });
      await expect(rows(db, alice.caller, "insert into public.events (title, join_code) values ('Mine', 'ZZZZZZ')")).rejects.toMatchObject({ status: 403 });
      await expect(rows(db, alice.caller, "update public.theses set status = 'approved' where event_id = $1", [eventA])).rejects.toMatchObject({ status: 403 });
      await expect(rows(db, alice.caller, 'delete from public.theses where event_id = $1', [eventA])).rejects.toMatchObject({ status: 403 });
    });

    it('cannot create or import an event as an anonymous participant', async () => {
      const { db, alice } = w;
      await denied(db.rpc('create_event', { p_title: 'Mine', p_language: 'en' }, alice.caller), 403);
      await denied(db.rpc('import_event', { p_archive: { event: { title: 'Mine', date: '2026-01-01', language: 'en' } } }, alice.caller), 403);
    });

    it('cannot join the staff channel, nor event B, on Realtime', async () => {
      const { db, alice, eventA, eventB, noteTaker } = w;
      const mayJoin = async (caller: Caller, topic: string) =>
        (await rows(db, caller, 'select private.may_join_topic($1) as ok', [topic]))[0].ok;
      expect(await mayJoin(alice.caller, `event:${eventA}`)).toBe(true);
      expect(await mayJoin(alice.caller, `event:${eventA}:staff`)).toBe(false);
      expect(await mayJoin(alice.caller, `event:${eventB}`)).toBe(false);
      expect(await mayJoin(alice.caller, 'event:not-a-uuid')).toBe(false);
      expect(await mayJoin(noteTaker.caller, `event:${eventA}:staff`)).toBe(true);
    });

    it('sees results only after voting, and hidden results only after they are revealed', async () => {
      const { db, alice, bob, chair, eventA, thesisA } = w;
      const fresh = await createUser(db, { anonymous: true });
      await db.rpc('join_event', { p_code: w.codeA, p_name: 'Fresh' }, fresh.caller);
      const poll = await db.rpc<{ id: string }>('open_poll', { p_event_id: eventA, p_thesis_id: thesisA, p_kind: 'yes_no', p_hide_results: true, p_close_open: true }, chair.caller);
      await db.rpc('cast_vote', { p_poll_id: poll.id, p_option_index: 0 }, bob.caller);
      await denied(db.rpc('poll_results', { p_poll_id: poll.id }, fresh.caller), 403);
      await db.rpc('cast_vote', { p_poll_id: poll.id, p_option_index: 1 }, fresh.caller);
      await denied(db.rpc('poll_results', { p_poll_id: poll.id }, fresh.caller), 403);
      expect(await db.rpc('poll_results', { p_poll_id: poll.id }, chair.caller)).toMatchObject({ counts: [1, 1], total: 2 });
      const projector = await db.rpc<{ openPoll: { results: unknown } }>('get_projector_state', { p_event_id: eventA, p_token: w.projectorTokenA }, anonCaller);
      expect(projector.openPoll.results).toBeNull();
      await db.rpc('reveal_poll_results', { p_poll_id: poll.id }, chair.caller);
      expect(await db.rpc('poll_results', { p_poll_id: poll.id }, fresh.caller)).toMatchObject({ counts: [1, 1], total: 2 });
      await denied(db.rpc('poll_results', { p_poll_id: poll.id }, alice.caller), 403); // alice did not vote on this one
      await db.rpc('close_poll', { p_poll_id: poll.id }, chair.caller);
      expect(await db.rpc('poll_results', { p_poll_id: poll.id }, alice.caller)).toMatchObject({ total: 2 });
      // Back to the thesis poll for the other cases.
      await db.rpc('reopen_poll', { p_poll_id: w.pollA }, chair.caller);
    });
  });

  describe('voting rules', () => {
    it('refuses a vote on a closed poll, and counts the same idempotency key once', async () => {
      const { db, bob, chair, eventA, thesisA } = w;
      const poll = await db.rpc<{ id: string }>('open_poll', { p_event_id: eventA, p_thesis_id: thesisA, p_kind: 'agree5', p_phase: 'after', p_close_open: true }, chair.caller);
      await db.rpc('cast_vote', { p_poll_id: poll.id, p_option_index: 3, p_idempotency_key: 'k-1' }, bob.caller);
      await db.rpc('cast_vote', { p_poll_id: poll.id, p_option_index: 4, p_idempotency_key: 'k-2' }, bob.caller);
      // The first request delivered again after the second (a retry from an offline queue) changes nothing.
      await db.rpc('cast_vote', { p_poll_id: poll.id, p_option_index: 3, p_idempotency_key: 'k-2' }, bob.caller);
      expect(await db.rpc('poll_results', { p_poll_id: poll.id }, chair.caller)).toMatchObject({ counts: [0, 0, 0, 0, 1], total: 1 });
      await db.rpc('close_poll', { p_poll_id: poll.id }, chair.caller);
      await denied(db.rpc('cast_vote', { p_poll_id: poll.id, p_option_index: 0 }, bob.caller), 409);
      await db.rpc('reopen_poll', { p_poll_id: w.pollA }, chair.caller);
    });

    it('keeps one poll open per event', async () => {
      const { db, chair, eventA, thesisA, pollA } = w;
      await denied(db.rpc('open_poll', { p_event_id: eventA, p_thesis_id: thesisA, p_kind: 'scale10' }, chair.caller), 409);
      const second = await db.rpc<{ id: string }>('open_poll', { p_event_id: eventA, p_thesis_id: thesisA, p_kind: 'scale10', p_close_open: true }, chair.caller);
      const open = await rows(db, chair.caller, "select id from public.polls where event_id = $1 and status = 'open'", [eventA]);
      expect(open).toEqual([{ id: second.id }]);
      await db.rpc('close_poll', { p_poll_id: second.id }, chair.caller);
      await db.rpc('reopen_poll', { p_poll_id: pollA }, chair.caller);
    });
  });

  describe('note-takers', () => {
    it("edit and delete their own notes but not another note-taker's", async () => {
      const { db, noteTaker, otherNoteTaker, noteA, eventA, thesisA } = w;
      await denied(db.rpc('update_note', { p_note_id: noteA, p_kind: 'quote', p_text: 'Changed' }, otherNoteTaker.caller), 403);
      await denied(db.rpc('delete_note', { p_note_id: noteA }, otherNoteTaker.caller), 403);
      expect(await rows(db, otherNoteTaker.caller, 'delete from public.notes where id = $1 returning id', [noteA])).toEqual([]);
      const own = await db.rpc<{ id: string }>('add_note', { p_event_id: eventA, p_thesis_id: thesisA, p_kind: 'quote', p_text: 'Otto heard this.', p_speaker: 'Alice' }, otherNoteTaker.caller);
      await db.rpc('update_note', { p_note_id: own.id, p_kind: 'conclusion', p_text: 'Otto concluded this.' }, otherNoteTaker.caller);
      await db.rpc('delete_note', { p_note_id: own.id }, otherNoteTaker.caller);
      // Each sees the other's notes: several note-takers work on one event.
      expect((await db.rpc<{ id: string }[]>('list_notes', { p_event_id: eventA }, otherNoteTaker.caller)).map((n) => n.id)).toContain(noteA);
      await db.rpc('update_note', { p_note_id: noteA, p_kind: 'note', p_text: 'Nora noted this, edited.' }, noteTaker.caller);
    });

    it('cannot chair: open polls, start theses or end the discussion', async () => {
      const { db, noteTaker, eventA, thesisA } = w;
      await denied(db.rpc('open_poll', { p_event_id: eventA, p_thesis_id: thesisA }, noteTaker.caller), 403);
      await denied(db.rpc('start_thesis', { p_thesis_id: thesisA }, noteTaker.caller), 403);
      await denied(db.rpc('end_discussion', { p_event_id: eventA }, noteTaker.caller), 403);
      await denied(db.rpc('publish_recap', { p_recap_id: w.recapA }, noteTaker.caller), 403);
    });
  });

  describe('anonymous visitors and strangers', () => {
    it('cannot read an unpublished recap, by table or by slug, until it is published', async () => {
      const { db, organiser, recapA } = w;
      expect(await rows(db, anonCaller, 'select id from public.recaps')).toEqual([]);
      const published = await db.rpc<{ public_slug: string }>('publish_recap', { p_recap_id: recapA }, organiser.caller);
      expect(await rows(db, anonCaller, 'select id from public.recaps')).toEqual([{ id: recapA }]);
      expect(await db.rpc('get_published_recap', { p_slug: published.public_slug }, anonCaller)).toMatchObject({ markdown: '# Draft' });
      await db.rpc('unpublish_recap', { p_recap_id: recapA }, organiser.caller);
      expect(await db.rpc('get_published_recap', { p_slug: published.public_slug }, anonCaller)).toBeNull();
      expect(await rows(db, anonCaller, 'select id from public.recaps')).toEqual([]);
    });

    it('cannot call member functions or read any table', async () => {
      const { db, eventA, pollA, thesisA } = w;
      await denied(db.rpc('get_event_state', { p_event_id: eventA }, anonCaller), 403);
      await denied(db.rpc('cast_vote', { p_poll_id: pollA, p_option_index: 0 }, anonCaller), 403);
      await denied(db.rpc('submit_thesis', { p_event_id: eventA, p_text: 'x' }, anonCaller), 403);
      await denied(db.rpc('start_thesis', { p_thesis_id: thesisA }, anonCaller), 403);
      for (const table of ['events', 'event_members', 'theses', 'polls', 'votes', 'notes', 'event_secrets']) {
        await expect(rows(db, anonCaller, `select * from public.${table}`)).rejects.toMatchObject({ status: 403 });
      }
    });

    it('sees the projector only with the right token, and only the title before joining', async () => {
      const { db, eventA, codeA } = w;
      await denied(db.rpc('get_projector_state', { p_event_id: eventA, p_token: 'wrong' }, anonCaller), 403);
      const looked = await db.rpc<Record<string, unknown>>('lookup_event', { p_code: codeA.toLowerCase() }, anonCaller);
      expect(Object.keys(looked).sort()).toEqual(['id', 'language', 'status', 'title']);
      expect(await db.rpc('lookup_event', { p_code: 'NOPE00' }, anonCaller)).toBeNull();
    });

    it('a registered stranger sees no event and cannot act in one', async () => {
      const { db, stranger, eventA, pollA } = w;
      expect(await db.rpc('list_my_events', {}, stranger.caller)).toEqual([]);
      await denied(db.rpc('get_event_state', { p_event_id: eventA }, stranger.caller), 403);
      await denied(db.rpc('cast_vote', { p_poll_id: pollA, p_option_index: 0 }, stranger.caller), 403);
      await denied(db.rpc('export_event', { p_event_id: eventA }, stranger.caller), 403);
      expect(await rows(db, stranger.caller, 'select id from public.events')).toEqual([]);
    });
  });

  describe('the projector member (the projector link signed in on its own)', () => {
    let projector: TestUser;
    beforeAll(async () => {
      projector = await createUser(w.db, { anonymous: true });
    });
    const mayJoin = async (caller: Caller, topic: string) =>
      (await rows(w.db, caller, 'select private.may_join_topic($1) as ok', [topic]))[0].ok;

    it('claims the projector only with the link, and is no member: it is not counted present', async () => {
      const { db, organiser, eventA, eventB, projectorTokenA } = w;
      await denied(db.rpc('claim_projector', { p_event_id: eventA, p_token: 'wrong' }, projector.caller), 403);
      await denied(db.rpc('claim_projector', { p_event_id: eventB, p_token: projectorTokenA }, projector.caller), 403);
      await denied(db.rpc('claim_projector', { p_event_id: eventA, p_token: projectorTokenA }, anonCaller), 403);
      const before = (await db.rpc<{ presentCount: number }>('get_event_state', { p_event_id: eventA }, organiser.caller)).presentCount;
      const membersBefore = (await db.rpc<unknown[]>('list_members', { p_event_id: eventA }, organiser.caller)).length;
      const state = await db.rpc<{ event: { id: string }; me?: unknown }>('claim_projector', { p_event_id: eventA, p_token: projectorTokenA }, projector.caller);
      expect(state.event.id).toBe(eventA);
      expect(state.me ?? null).toBeNull();
      // Claiming again changes nothing.
      await db.rpc('claim_projector', { p_event_id: eventA, p_token: projectorTokenA }, projector.caller);
      expect((await db.rpc<{ presentCount: number }>('get_event_state', { p_event_id: eventA }, organiser.caller)).presentCount).toBe(before);
      expect((await db.rpc<unknown[]>('list_members', { p_event_id: eventA }, organiser.caller)).length).toBe(membersBefore);
      await expect(rows(db, projector.caller, 'select * from public.event_projectors')).rejects.toMatchObject({ status: 403 });
    });

    it('reads by table what the wall screen shows, of its own event only', async () => {
      const { db, eventA, eventB, thesisA, bobsSubmission, pollA, itemA } = w;
      expect(await rows(db, projector.caller, 'select id from public.events')).toEqual([{ id: eventA }]);
      expect(await rows(db, projector.caller, 'select id from public.agenda_items')).toEqual([{ id: itemA }]);
      const theses = (await rows(db, projector.caller, 'select id from public.theses')).map((r) => r.id);
      expect(theses).toContain(thesisA);
      expect(theses).not.toContain(bobsSubmission);
      expect((await rows(db, projector.caller, 'select id from public.polls')).map((r) => r.id)).toContain(pollA);
      expect(await rows(db, projector.caller, 'select id from public.polls where event_id = $1', [eventB])).toEqual([]);
    });

    it('reads no names, votes, notes, secrets or draft recaps', async () => {
      const { db } = w;
      for (const table of ['event_members', 'votes', 'notes', 'recaps']) {
        expect(await rows(db, projector.caller, `select * from public.${table}`), table).toEqual([]);
      }
      await expect(rows(db, projector.caller, 'select * from public.event_secrets')).rejects.toMatchObject({ status: 403 });
    });

    it('cannot vote, submit, take notes or read the member view', async () => {
      const { db, eventA, pollA, thesisA } = w;
      await denied(db.rpc('cast_vote', { p_poll_id: pollA, p_option_index: 0 }, projector.caller), 403);
      await denied(db.rpc('submit_thesis', { p_event_id: eventA, p_text: 'From the wall' }, projector.caller), 403);
      await denied(db.rpc('add_note', { p_event_id: eventA, p_thesis_id: thesisA, p_text: 'From the wall' }, projector.caller), 403);
      await denied(db.rpc('get_event_state', { p_event_id: eventA }, projector.caller), 403);
      await denied(db.rpc('list_members', { p_event_id: eventA }, projector.caller), 403);
      await denied(db.rpc('poll_results', { p_poll_id: pollA }, projector.caller), 403);
    });

    it('joins the state and projector channels, never the staff channel or another event', async () => {
      const { eventA, eventB, pollA, alice } = w;
      expect(await mayJoin(projector.caller, `event:${eventA}:state`)).toBe(true);
      expect(await mayJoin(projector.caller, `event:${eventA}:projector`)).toBe(true);
      expect(await mayJoin(projector.caller, `event:${eventA}:poll:${pollA}`)).toBe(true);
      expect(await mayJoin(projector.caller, `event:${eventA}:staff`)).toBe(false);
      expect(await mayJoin(projector.caller, `event:${eventA}`)).toBe(false);
      expect(await mayJoin(projector.caller, `event:${eventB}:state`)).toBe(false);
      // A participant gets the state channel, not the projector's.
      expect(await mayJoin(alice.caller, `event:${eventA}:state`)).toBe(true);
      expect(await mayJoin(alice.caller, `event:${eventA}:projector`)).toBe(false);
    });

    it('follows the live tally of a visible poll, and of a hidden one only after the reveal', async () => {
      const { db, chair, eventA, thesisA, alice } = w;
      expect(await db.rpc('refresh_poll_tally', { p_poll_id: w.pollA }, projector.caller)).toMatchObject({ pollId: w.pollA, counts: expect.any(Array) });
      await denied(db.rpc('refresh_poll_tally', { p_poll_id: w.pollA }, alice.caller), 403);
      const hidden = await db.rpc<{ id: string }>('open_poll', { p_event_id: eventA, p_thesis_id: thesisA, p_kind: 'yes_no', p_hide_results: true, p_close_open: true }, chair.caller);
      expect(await db.rpc('refresh_poll_tally', { p_poll_id: hidden.id }, projector.caller)).toBeNull();
      expect(await mayJoin(projector.caller, `event:${eventA}:poll:${hidden.id}`)).toBe(false);
      await db.rpc('reveal_poll_results', { p_poll_id: hidden.id }, chair.caller);
      expect(await db.rpc('refresh_poll_tally', { p_poll_id: hidden.id }, projector.caller)).toMatchObject({ pollId: hidden.id });
      expect(await mayJoin(projector.caller, `event:${eventA}:poll:${hidden.id}`)).toBe(true);
      await db.rpc('close_poll', { p_poll_id: hidden.id }, chair.caller);
      await db.rpc('reopen_poll', { p_poll_id: w.pollA }, chair.caller);
    });
  });

  describe('the chair and the organiser', () => {
    it('merge only into a thesis of the same event, and keep an event with an organiser', async () => {
      const { db, chair, organiser, bobsSubmission, thesisB, eventA } = w;
      await denied(db.rpc('moderate_thesis', { p_thesis_id: bobsSubmission, p_status: 'merged', p_merged_into: thesisB }, chair.caller), 400);
      await denied(db.rpc('moderate_thesis', { p_thesis_id: bobsSubmission, p_status: 'merged', p_merged_into: bobsSubmission }, chair.caller), 409);
      const members = await db.rpc<{ id: string; role: string }[]>('list_members', { p_event_id: eventA }, organiser.caller);
      const only = members.find((m) => m.role === 'organiser')!;
      await denied(db.rpc('set_member_role', { p_member_id: only.id, p_role: 'participant' }, organiser.caller), 409);
      await denied(db.rpc('set_member_role', { p_member_id: only.id, p_role: 'participant' }, chair.caller), 403);
    });

    it('run a thesis to the end: the discussion ends with the rest not discussed', async () => {
      const { db, chair, organiser, eventA, thesisA, bob } = w;
      const extra = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: eventA, p_text: 'One more.' }, chair.caller);
      await db.rpc('moderate_thesis', { p_thesis_id: w.bobsSubmission, p_status: 'approved' }, chair.caller);
      await db.rpc('finish_thesis', { p_thesis_id: thesisA }, chair.caller);
      const ended = await db.rpc<number>('end_discussion', { p_event_id: eventA }, chair.caller);
      expect(ended).toBe(2);
      const state = await db.rpc<{ theses: { id: string; status: string }[] }>('get_event_state', { p_event_id: eventA }, organiser.caller);
      const status = Object.fromEntries(state.theses.map((t) => [t.id, t.status]));
      expect(status[thesisA]).toBe('discussed');
      expect(status[extra.id]).toBe('not_discussed');
      expect(status[w.bobsSubmission]).toBe('not_discussed');
      // Moderated now: bob can no longer edit it.
      await denied(db.rpc('edit_thesis', { p_thesis_id: w.bobsSubmission, p_text: 'Too late' }, bob.caller), 409);
    });
  });
});
