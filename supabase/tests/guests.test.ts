import { describe, expect, it } from 'vitest';
import { anonCaller, serviceCaller, type Caller, type SqlDatabase } from '../../src/lib/server/db/types';
import { allBackends, createUser, refused, suiteDatabase, type TestUser } from './helpers';

/**
 * The guest list on every back end: claiming a name once, forgiving matches, releasing a claim,
 * invitations, merging two members into one person, attendance, and what nobody else may see or do.
 */
interface Guest {
  id: string;
  name: string;
  token: string;
  email: string | null;
  claimed: boolean;
  attended: boolean;
  listed: boolean;
  consentAnswered: boolean;
}
interface Match {
  id: string;
  name: string;
  claimed: boolean;
  exact: boolean;
}

const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}-06-18`;

describe.each(allBackends)('the guest list on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let otherOrganiser: TestUser;

  const phone = () => createUser(db, { anonymous: true });
  const guestsOf = (eventId: string) => db.rpc<Guest[]>('list_guests', { p_event_id: eventId }, organiser.caller);
  const guestNamed = async (eventId: string, name: string) => (await guestsOf(eventId)).find((g) => g.name === name)!;
  const find = (code: string, name: string, caller: Caller = anonCaller) => db.rpc<Match[]>('find_guests', { p_code: code, p_name: name }, caller);
  const join = (code: string, user: TestUser, name: string, guestId?: string, listed = false) =>
    db.rpc<{ id: string; user_id: string; name: string; organisation: string }>(
      'join_event',
      { p_code: code, p_name: name, p_listed: listed, ...(guestId ? { p_guest_id: guestId } : {}) },
      user.caller
    );
  async function newEvent(title: string, date: string, language = 'en') {
    const event = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: title, p_language: language, p_starts_on: date }, organiser.caller);
    return { id: event.id, code: event.join_code };
  }
  async function addGuests(eventId: string, guests: { name: string; organisation?: string; jobTitle?: string; email?: string }[]) {
    return db.rpc<{ added: number; updated: number; guests: Guest[] }>('add_guests', { p_event_id: eventId, p_guests: guests }, organiser.caller);
  }

  suiteDatabase(backend, async (suite) => {
    ({ db, organiser } = suite);
    otherOrganiser = await createUser(db, { name: 'Otto', organiser: true });
  });

  it('adds guests with an unguessable invitation each, and completes rather than repeats a guest listed again', async () => {
    const { id } = await newEvent('Adding', today);
    const first = await addGuests(id, [{ name: 'Jan de Vries', organisation: 'Rabobank', email: 'Jan@Example.nl' }, { name: 'Éva Ébène' }]);
    expect(first).toMatchObject({ added: 2, updated: 0 });
    const again = await addGuests(id, [{ name: 'jan de vries', jobTitle: 'CIO' }]);
    expect(again).toMatchObject({ added: 0, updated: 1 });
    const guests = await guestsOf(id);
    expect(guests.map((g) => [g.name, g.email, g.claimed, g.listed, g.consentAnswered])).toEqual([
      ['Jan de Vries', 'jan@example.nl', false, false, false],
      ['Éva Ébène', null, false, false, false]
    ]);
    expect(guests[0]).toMatchObject({ organisation: 'Rabobank', jobTitle: 'CIO' });
    for (const guest of guests) expect(guest.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(guests.map((g) => g.token)).size).toBe(2);
    await refused(addGuests(id, [{ name: 'Bad Mail', email: 'not-an-address' }]), 400, /not an e-mail address/);
    await refused(addGuests(id, [{ name: '   ' }]), 400, /Name is empty/);
    expect(await guestsOf(id)).toHaveLength(2);
  });

  it('finds invited names forgivingly, but never from a surname or a first name alone', async () => {
    const { id, code } = await newEvent('Matching', today);
    await addGuests(id, [{ name: 'Jan de Vries', organisation: 'Rabobank' }, { name: 'Jan Pieter de Vries' }, { name: 'Éva Ébène' }, { name: 'Ahmed El Amrani' }]);
    const names = async (typed: string) => (await find(code, typed)).map((m) => m.name);
    expect(await names('j. de vries')).toEqual(['Jan de Vries', 'Jan Pieter de Vries']);
    expect(await names('JAN DE VRIES')).toEqual(['Jan de Vries', 'Jan Pieter de Vries']);
    expect((await find(code, 'jan de vries'))[0]).toMatchObject({ name: 'Jan de Vries', exact: true, claimed: false });
    expect(await names('J.P. de Vries')).toEqual(['Jan Pieter de Vries']);
    expect(await names('JP de Vries')).toEqual(['Jan Pieter de Vries']);
    expect(await names('jan vries')).toEqual(['Jan de Vries', 'Jan Pieter de Vries']);
    expect(await names('Eva Ebene')).toEqual(['Éva Ébène']);
    expect(await names('a. el amrani')).toEqual(['Ahmed El Amrani']);
    for (const stranger of ['de Vries', 'Vries', 'Jan', 'K. de Vries', 'Piet de Vries', 'Eva', '']) expect(await names(stranger), stranger).toEqual([]);
  });

  it('lets a name be claimed once: a second phone is refused with a clear message until the organiser releases it', async () => {
    const { id, code } = await newEvent('Claiming', today);
    await addGuests(id, [{ name: 'Jan de Vries', organisation: 'Rabobank', jobTitle: 'CIO' }]);
    const [guest] = await find(code, 'j. de vries');
    const first = await phone();
    const member = await join(code, first, 'j. de vries', guest.id, true);
    // The phone is the guest: no second member, and the guest list's details stay.
    expect(member).toMatchObject({ id: guest.id, user_id: first.id, name: 'Jan de Vries', organisation: 'Rabobank' });
    expect(await guestNamed(id, 'Jan de Vries')).toMatchObject({ claimed: true, attended: true, listed: true, consentAnswered: true });

    const second = await phone();
    expect(await find(code, 'Jan de Vries', second.caller)).toEqual([expect.objectContaining({ id: guest.id, claimed: true })]);
    await refused(join(code, second, 'Jan de Vries', guest.id), 409, /Jan de Vries has already joined on another phone\. If that is you, ask the organiser to release the name\./);
    // Typing the very name as a walk-in does not make a second Jan de Vries either.
    await refused(join(code, second, 'jan de vries'), 409, /already joined on another phone/);
    // A name that does not fit the guest cannot claim it, whatever the id.
    await refused(join(code, second, 'Piet Jansen', guest.id), 404, /not on the guest list/);

    // Only the organiser releases; then the first phone is out and the second may claim the name.
    await refused(db.rpc('release_guest', { p_member_id: guest.id }, first.caller), 403);
    await db.rpc('release_guest', { p_member_id: guest.id }, organiser.caller);
    await refused(db.rpc('get_event_state', { p_event_id: id }, first.caller), 403);
    expect(await join(code, second, 'Jan de Vries', guest.id)).toMatchObject({ id: guest.id, user_id: second.id });
    const members = await db.rpc<{ name: string }[]>('list_members', { p_event_id: id }, organiser.caller);
    expect(members.filter((m) => m.name === 'Jan de Vries')).toHaveLength(1);
  });

  it('says a claimed name is taken in the event’s language', async () => {
    const { id, code } = await newEvent('Dubbel', today, 'nl');
    await addGuests(id, [{ name: 'Sanne Kuipers' }]);
    await join(code, await phone(), 'Sanne Kuipers');
    await refused(join(code, await phone(), 'sanne kuipers'), 409, /Sanne Kuipers doet al mee op een andere telefoon\. Bent u dat, vraag dan de organisator de naam vrij te geven\./);
  });

  it('binds a phone to the guest through the invitation, before the day without attendance, and moves it to another phone of the guest', async () => {
    const { id, code } = await newEvent('Invited', nextYear);
    await addGuests(id, [{ name: 'Pieter Bakker', organisation: 'ASML' }]);
    const guest = await guestNamed(id, 'Pieter Bakker');
    expect(await db.rpc('get_invitation', { p_token: guest.token }, anonCaller)).toMatchObject({
      event: { id, title: 'Invited', date: nextYear },
      guest: { name: 'Pieter Bakker', organisation: 'ASML', consentAnswered: false },
      mine: false,
      elsewhere: false
    });
    expect(await db.rpc('get_invitation', { p_token: 'A'.repeat(22) }, anonCaller)).toBeNull();

    const laptop = await phone();
    expect(await db.rpc('accept_invitation', { p_token: guest.token, p_listed: true }, laptop.caller)).toMatchObject({ eventId: id, memberId: guest.id, listed: true, attended: false });
    const thesis = await db.rpc<{ id: string; author_member_id: string }>('submit_thesis', { p_event_id: id, p_text: 'Chips need open standards.' }, laptop.caller);
    expect(thesis.author_member_id).toBe(guest.id);
    expect(await guestNamed(id, 'Pieter Bakker')).toMatchObject({ claimed: true, attended: false, listed: true });
    expect(await db.rpc('check_in', { p_event_id: id }, laptop.caller)).toBe(false);

    // On the day the guest uses their phone: the invitation moves, with the thesis they submitted.
    await db.rpc('set_event_status', { p_event_id: id, p_status: 'live' }, organiser.caller);
    const mobile = await phone();
    expect(await db.rpc('get_invitation', { p_token: guest.token }, mobile.caller)).toMatchObject({ mine: false, elsewhere: true });
    expect(await db.rpc('accept_invitation', { p_token: guest.token, p_listed: false }, mobile.caller)).toMatchObject({ memberId: guest.id, listed: false, attended: true });
    await refused(db.rpc('get_event_state', { p_event_id: id }, laptop.caller), 403);
    const state = await db.rpc<{ theses: { id: string; mine: boolean }[] }>('get_event_state', { p_event_id: id }, mobile.caller);
    expect(state.theses).toEqual([expect.objectContaining({ id: thesis.id, mine: true })]);
    expect(await db.rpc('get_invitation', { p_token: guest.token }, mobile.caller)).toMatchObject({ mine: true, elsewhere: false });
    // By code, the guest's name is now taken: nobody joins as Pieter Bakker a second time.
    await refused(join(code, await phone(), 'Pieter Bakker'), 409);
  });

  it('records attendance: joining on the day attends, joining before does not, and the organiser marks it by hand', async () => {
    const { id, code } = await newEvent('Attendance', nextYear);
    await addGuests(id, [{ name: 'Early Bird' }, { name: 'No Show' }]);
    const early = await phone();
    await join(code, early, 'Early Bird');
    expect(await guestNamed(id, 'Early Bird')).toMatchObject({ claimed: true, attended: false });
    await db.rpc('update_event', { p_event_id: id, p_title: 'Attendance', p_starts_on: today, p_language: 'en', p_question: null, p_venue: null }, organiser.caller);
    // Coming back on the day (the join page and the invitation check the phone in).
    expect(await db.rpc('check_in', { p_event_id: id }, early.caller)).toBe(true);
    const walkIn = await phone();
    const walker = await join(code, walkIn, 'Wanda Walk-in');
    const noShow = await guestNamed(id, 'No Show');
    await refused(db.rpc('set_attendance', { p_member_id: noShow.id, p_attended: true }, walkIn.caller), 403);
    expect(await db.rpc('set_attendance', { p_member_id: noShow.id, p_attended: true }, organiser.caller)).toMatchObject({ attended: true });
    expect(await db.rpc('set_attendance', { p_member_id: noShow.id, p_attended: false }, organiser.caller)).toMatchObject({ attended: false });
    const members = await db.rpc<{ id: string; name: string; attended: boolean; invited: boolean }[]>('list_members', { p_event_id: id }, organiser.caller);
    expect(Object.fromEntries(members.filter((m) => m.name !== 'Olga').map((m) => [m.name, [m.invited, m.attended]]))).toEqual({
      'Early Bird': [true, true],
      'No Show': [true, false],
      'Wanda Walk-in': [false, true]
    });
    expect(walker.id).toBe(members.find((m) => m.name === 'Wanda Walk-in')!.id);
    // Only who attended is a participant of the day in the recap's source.
    const source = await db.rpc<{ members: { name: string; attended: boolean }[] }>('get_recap_source', { p_event_id: id }, organiser.caller);
    expect(source.members.filter((m) => m.attended).map((m) => m.name)).toEqual(expect.arrayContaining(['Early Bird', 'Wanda Walk-in']));
    expect(source.members.find((m) => m.name === 'No Show')).toMatchObject({ attended: false });
  });

  it('merges a walk-in into the guest they are: votes (the newer per poll), theses and notes follow', async () => {
    const { id, code } = await newEvent('Merging', today);
    await addGuests(id, [{ name: 'Jan de Vries', organisation: 'Rabobank' }, { name: 'Nora Notes', organisation: 'KPMG' }]);
    const jan = await guestNamed(id, 'Jan de Vries');
    const nora = await guestNamed(id, 'Nora Notes');
    const janPhone = await phone();
    await join(code, janPhone, 'Jan de Vries', jan.id);
    // Jan's second phone joins as "J. Vries (tablet)"-like walk-in; Nora's phone walks in under a nickname and takes notes.
    const tablet = await phone();
    const walkIn = await join(code, tablet, 'JdV tablet', undefined, true);
    const noraPhone = await phone();
    const noraWalkIn = await join(code, noraPhone, 'Noor');
    await db.rpc('set_member_role', { p_member_id: noraWalkIn.id, p_role: 'note_taker' }, organiser.caller);

    const thesis = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: id, p_text: 'Banks are software firms.' }, tablet.caller);
    await db.rpc('moderate_thesis', { p_thesis_id: thesis.id, p_status: 'approved' }, organiser.caller);
    await db.rpc('start_thesis', { p_thesis_id: thesis.id }, organiser.caller);
    const note = await db.rpc<{ id: string }>('add_note', { p_event_id: id, p_thesis_id: thesis.id, p_kind: 'note', p_text: 'Software eats banking.' }, noraPhone.caller);
    const polls: string[] = [];
    const vote = async (user: TestUser, poll: string, option: number) => db.rpc('cast_vote', { p_poll_id: poll, p_option_index: option }, user.caller);
    for (let i = 0; i < 3; i++) {
      const poll = await db.rpc<{ id: string }>('open_poll', { p_event_id: id, p_thesis_id: thesis.id, p_kind: 'agree5', p_close_open: true }, organiser.caller);
      polls.push(poll.id);
    }
    // Poll 1 and 2 reopened in turn so both phones vote on each, in a known order.
    await db.rpc('close_poll', { p_poll_id: polls[2] }, organiser.caller);
    await db.rpc('reopen_poll', { p_poll_id: polls[0] }, organiser.caller);
    await vote(janPhone, polls[0], 0);
    await vote(tablet, polls[0], 4); // newer: stays
    await db.rpc('close_poll', { p_poll_id: polls[0] }, organiser.caller);
    await db.rpc('reopen_poll', { p_poll_id: polls[1] }, organiser.caller);
    await vote(tablet, polls[1], 1);
    await vote(janPhone, polls[1], 3); // newer: stays
    await db.rpc('close_poll', { p_poll_id: polls[1] }, organiser.caller);
    await db.rpc('reopen_poll', { p_poll_id: polls[2] }, organiser.caller);
    await vote(tablet, polls[2], 2); // only the tablet voted
    await db.rpc('close_poll', { p_poll_id: polls[2] }, organiser.caller);

    await refused(db.rpc('merge_members', { p_keep_member_id: jan.id, p_merge_member_id: walkIn.id }, noraPhone.caller), 403);
    await refused(db.rpc('merge_members', { p_keep_member_id: jan.id, p_merge_member_id: jan.id }, organiser.caller), 400);
    const merged = await db.rpc('merge_members', { p_keep_member_id: jan.id, p_merge_member_id: walkIn.id }, organiser.caller);
    expect(merged).toMatchObject({ memberId: jan.id, name: 'Jan de Vries', theses: 1, votes: 3 });

    const votes = await db.withCaller(serviceCaller, (q) =>
      q<{ poll_id: string; voter_id: string; option_index: number }>('select poll_id, voter_id, option_index from public.votes where event_id = $1', [id])
    );
    expect(votes.map((v) => [polls.indexOf(v.poll_id), v.voter_id, v.option_index]).sort()).toEqual([
      [0, janPhone.id, 4],
      [1, janPhone.id, 3],
      [2, janPhone.id, 2]
    ]);
    const results = await Promise.all(polls.map((poll) => db.rpc<{ total: number }>('poll_results', { p_poll_id: poll }, organiser.caller)));
    expect(results.map((r) => r.total)).toEqual([1, 1, 1]);
    const [row] = await db.withCaller(serviceCaller, (q) => q<{ author_member_id: string; author_name: string; created_by: string }>('select author_member_id, author_name, created_by from public.theses where id = $1', [thesis.id]));
    expect(row).toEqual({ author_member_id: jan.id, author_name: 'Jan de Vries', created_by: janPhone.id });
    // The merged phone is out of the event; Jan's phone now has the thesis as its own, and consent is the later answer.
    await refused(db.rpc('get_event_state', { p_event_id: id }, tablet.caller), 403);
    expect(await guestNamed(id, 'Jan de Vries')).toMatchObject({ claimed: true, attended: true, listed: true });

    // Nora's walk-in had the phone and the note-taker's role; the guest she is takes both, and her notes.
    expect(await db.rpc('merge_members', { p_keep_member_id: nora.id, p_merge_member_id: noraWalkIn.id }, organiser.caller)).toMatchObject({ memberId: nora.id });
    const notes = await db.rpc<{ id: string; authorName: string; mine: boolean }[]>('list_notes', { p_event_id: id }, noraPhone.caller);
    expect(notes).toEqual([expect.objectContaining({ id: note.id, authorName: 'Nora Notes', mine: true })]);
    const members = await db.rpc<{ id: string; name: string; role: string }[]>('list_members', { p_event_id: id }, organiser.caller);
    expect(members.map((m) => m.name).sort()).toEqual(['Jan de Vries', 'Nora Notes', 'Olga']);
    expect(members.find((m) => m.id === nora.id)?.role).toBe('note_taker');
    // A note-taker's name is not released from under her: she becomes a participant first.
    await refused(db.rpc('release_guest', { p_member_id: nora.id }, organiser.caller), 409, /Nora Notes takes part as note-taker/);
  });

  it('moves a walk-in’s part to the guest when the phone claims the guest’s name afterwards', async () => {
    const { id, code } = await newEvent('Late claim', today);
    await addGuests(id, [{ name: 'Sanne Kuipers', organisation: 'Rabobank' }]);
    const sanne = await phone();
    await join(code, sanne, 'Sanne');
    const thesis = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: id, p_text: 'Train, do not ban.' }, sanne.caller);
    const [guest] = await find(code, 's. kuipers', sanne.caller);
    expect(await join(code, sanne, 's. kuipers', guest.id)).toMatchObject({ id: guest.id, user_id: sanne.id });
    const members = await db.rpc<{ name: string }[]>('list_members', { p_event_id: id }, organiser.caller);
    expect(members.map((m) => m.name).sort()).toEqual(['Olga', 'Sanne Kuipers']);
    const [row] = await db.withCaller(serviceCaller, (q) => q<{ author_member_id: string }>('select author_member_id from public.theses where id = $1', [thesis.id]));
    expect(row.author_member_id).toBe(guest.id);
  });

  it('keeps the guest list from participants, staff and strangers', async () => {
    const { id, code } = await newEvent('Private list', today);
    await addGuests(id, [{ name: 'Jan de Vries', email: 'jan@example.nl' }, { name: 'Éva Ébène', email: 'eva@example.nl' }]);
    const participant = await phone();
    await join(code, participant, 'Jan de Vries');
    const noteTaker = await phone();
    const noteMember = await join(code, noteTaker, 'Nina Notes');
    await db.rpc('set_member_role', { p_member_id: noteMember.id, p_role: 'note_taker' }, organiser.caller);

    for (const caller of [participant.caller, noteTaker.caller, otherOrganiser.caller]) {
      await refused(db.rpc('list_guests', { p_event_id: id }, caller), 403);
    }
    for (const caller of [participant.caller, noteTaker.caller, organiser.caller, anonCaller]) {
      await refused(db.withCaller(caller, (q) => q('select * from public.guest_invitations')), 403);
    }
    // A participant reads their own membership only, which holds no invitation or address.
    const seen = await db.withCaller(participant.caller, (q) => q<Record<string, unknown>>('select * from public.event_members where event_id = $1', [id]));
    expect(seen.map((m) => m.name)).toEqual(['Jan de Vries']);
    expect(JSON.stringify(seen)).not.toMatch(/@example\.nl|token/);
    const state = await db.rpc('get_event_state', { p_event_id: id }, participant.caller);
    expect(JSON.stringify(state)).not.toMatch(/Éva|@example\.nl/);
    // Finding names by code needs the right name: the list itself never comes out.
    expect(await find(code, 'a', anonCaller)).toEqual([]);
    const guest = await guestNamed(id, 'Éva Ébène');
    for (const caller of [participant.caller, otherOrganiser.caller]) {
      await refused(db.rpc('release_guest', { p_member_id: guest.id }, caller), 403);
      await refused(db.rpc('update_guest', { p_member_id: guest.id, p_name: 'Hacked' }, caller), 403);
      await refused(db.rpc('set_attendance', { p_member_id: guest.id, p_attended: true }, caller), 403);
      await refused(db.rpc('add_guests', { p_event_id: id, p_guests: [{ name: 'Intruder' }] }, caller), 403);
    }
  });

  it('lets no one use another event’s invitation or claim another event’s guest', async () => {
    const a = await newEvent('Event A', today);
    const b = await newEvent('Event B', today);
    await addGuests(a.id, [{ name: 'Alice Anders' }]);
    const alice = await guestNamed(a.id, 'Alice Anders');
    // Event B's code does not reach event A's guests, by name or by id.
    expect(await find(b.code, 'Alice Anders')).toEqual([]);
    const stranger = await phone();
    await refused(join(b.code, stranger, 'Alice Anders', alice.id), 404, /not on the guest list/);
    // Event A's invitation makes the phone Alice in event A only.
    await db.rpc('accept_invitation', { p_token: alice.token, p_listed: false }, stranger.caller);
    await refused(db.rpc('get_event_state', { p_event_id: b.id }, stranger.caller), 403);
    // Another event's organiser cannot merge across events or read the list.
    const bOrganiserGuest = await db.rpc<{ guests: Guest[] }>('add_guests', { p_event_id: b.id, p_guests: [{ name: 'Bob Bakker' }] }, organiser.caller);
    await refused(db.rpc('merge_members', { p_keep_member_id: bOrganiserGuest.guests[0].id, p_merge_member_id: alice.id }, organiser.caller), 404);
    await refused(db.rpc('merge_members', { p_keep_member_id: alice.id, p_merge_member_id: alice.id }, otherOrganiser.caller), 403);
    // The invitation functions take nothing but a token; a removed phone cannot use one to come back.
    const member = await db.rpc<{ id: string }[]>('list_members', { p_event_id: a.id }, organiser.caller);
    await db.rpc('remove_member', { p_member_id: member.find((m) => (m as { name?: string }).name === 'Alice Anders')!.id }, organiser.caller);
    await refused(db.rpc('accept_invitation', { p_token: alice.token }, stranger.caller), 404);
    await refused(db.rpc('accept_invitation', { p_token: 'x' }, anonCaller), 403);
  });
});
