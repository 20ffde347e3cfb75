import { describe, expect, it } from 'vitest';
import { anonCaller, type SqlDatabase } from '../../src/lib/server/db/types';
import { backends, createUser, refused, suiteDatabase, type TestUser } from './helpers';

/** Room capacity and removing members, on every back end: what each role may and must not do. */
describe.each(backends)('the room on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let chair: TestUser;
  let noteTaker: TestUser;
  let eventId: string;
  let code: string;
  const memberOf = async (user: TestUser) =>
    (await db.withCaller({ kind: 'service' }, (q) => q<{ id: string }>('select id from public.event_members where event_id = $1 and user_id = $2', [eventId, user.id])))[0]?.id;
  const phone = async (name: string) => {
    const user = await createUser(db, { anonymous: true });
    await db.rpc('join_event', { p_code: code, p_name: name }, user.caller);
    return user;
  };

  suiteDatabase(backend, async (suite) => {
    ({ db, organiser } = suite);
    [chair, noteTaker] = await Promise.all([createUser(db), createUser(db)]);
    const event = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Room', p_language: 'en' }, organiser.caller);
    eventId = event.id;
    code = event.join_code;
    for (const [user, name, role] of [[chair, 'Chair', 'chair'], [noteTaker, 'Nora', 'note_taker']] as const) {
      await db.rpc('join_event', { p_code: code, p_name: name }, user.caller);
      await db.rpc('set_member_role', { p_member_id: await memberOf(user), p_role: role }, organiser.caller);
    }
  });

  it('counts joined phones against the capacity; only the organiser sets it', async () => {
    const a = await phone('A');
    await refused(db.rpc('set_room_capacity', { p_event_id: eventId, p_capacity: 2 }, chair.caller), 403);
    await refused(db.rpc('set_room_capacity', { p_event_id: eventId, p_capacity: 2 }, a.caller), 403);
    await refused(db.rpc('set_room_capacity', { p_event_id: eventId, p_capacity: 0 }, organiser.caller), 400);
    expect(await db.rpc('set_room_capacity', { p_event_id: eventId, p_capacity: 2 }, organiser.caller)).toEqual({ capacity: 2, participants: 1 });
    await phone('B');
    await refused(phone('C'), 409, /The room is full: it has room for 2 participants/);
    // Joining again is not a new seat.
    await db.rpc('join_event', { p_code: code, p_name: 'A again' }, a.caller);
    expect(await db.rpc('get_room', { p_event_id: eventId }, chair.caller)).toEqual({ capacity: 2, participants: 2 });
    await refused(db.rpc('get_room', { p_event_id: eventId }, a.caller), 403);
    await db.rpc('set_room_capacity', { p_event_id: eventId, p_capacity: null }, organiser.caller);
  });

  it('lets the chair remove participants and note-takers, but not organisers, itself, or anyone’s votes', async () => {
    const victim = await phone('Victim');
    await refused(db.rpc('remove_member', { p_member_id: await memberOf(victim) }, victim.caller), 403);
    await refused(db.rpc('remove_member', { p_member_id: await memberOf(chair) }, chair.caller), 409, /yourself/);
    await refused(db.rpc('remove_member', { p_member_id: await memberOf(victim) }, noteTaker.caller), 403);
    await refused(db.rpc('remove_member', { p_member_id: await memberOf(victim), p_discard_votes: true }, chair.caller), 403);
    await refused(db.rpc('remove_member', { p_member_id: await memberOf(organiser) }, chair.caller), 403);
    await refused(db.rpc('remove_member', { p_member_id: await memberOf(organiser) }, organiser.caller), 409);
    expect(await db.rpc('remove_member', { p_member_id: await memberOf(victim) }, chair.caller)).toMatchObject({ discardedVotes: 0 });
    expect(await memberOf(victim)).toBeUndefined();
    await refused(db.rpc('get_event_state', { p_event_id: eventId }, victim.caller), 403);
    await refused(db.rpc('join_event', { p_code: code, p_name: 'Back' }, victim.caller), 403, /removed/);
  });

  it('keeps no one but the functions near the list of removals', async () => {
    const victim = await phone('Reader');
    await db.rpc('remove_member', { p_member_id: await memberOf(victim) }, organiser.caller);
    for (const caller of [victim.caller, chair.caller, organiser.caller, anonCaller]) {
      await refused(db.withCaller(caller, (q) => q('select * from public.event_removals')), 403);
      await refused(db.withCaller(caller, (q) => q('delete from public.event_removals')), 403);
    }
    await refused(db.rpc('remove_member', { p_member_id: await memberOf(chair) }, anonCaller), 403);
    expect(await db.rpc('event_language', { p_event_id: eventId }, anonCaller)).toBe('en');
  });
});
