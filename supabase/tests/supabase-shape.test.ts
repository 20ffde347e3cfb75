import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonCaller, serviceCaller, type Caller } from '../../src/lib/server/db/types';
import { createUser, supabaseShapedBackend, type TestUser } from './helpers';
import { startSupabaseShape, type SupabaseShapeCluster } from './supabase-shape/cluster';
import { SupabaseShapedDatabase, tokenIssuer } from './supabase-shape/database';

/**
 * Kennisdag on a database shaped like a Supabase project: the shape itself, `supabase db push` with
 * the pinned CLI as postgres, Realtime's broadcasts and channel-join check, and a whole day through
 * authenticator as PostgREST runs it.
 */

const migrationVersions = readdirSync(join(import.meta.dirname, '..', 'migrations'))
  .map((file) => file.split('_')[0])
  .sort();

const today = () => new Date().toISOString().slice(0, 10).replace(/-/g, '_');

describe.skipIf(!supabaseShapedBackend)('a Supabase-shaped database', () => {
  let cluster: SupabaseShapeCluster;
  let db: SupabaseShapedDatabase;
  let admin: postgres.Sql;

  beforeAll(async () => {
    cluster = await startSupabaseShape();
    await cluster.createProject('hosted');
    const pushed = await cluster.push('hosted');
    expect(pushed.status, pushed.output).toBe(0);
    db = new SupabaseShapedDatabase(cluster, 'hosted');
    admin = cluster.admin('hosted');
  });
  afterAll(async () => {
    await db?.close();
    await cluster?.stop();
  });

  describe('its shape, as Supabase documents it', () => {
    it('has a postgres that is no superuser and does not own realtime.messages, which is partitioned by day', async () => {
      const [postgresRole] = await admin`select rolsuper, rolbypassrls, rolcreaterole from pg_roles where rolname = 'postgres'`;
      expect(postgresRole).toEqual({ rolsuper: false, rolbypassrls: true, rolcreaterole: true });
      const [messages] = await admin`select c.relkind, pg_get_userbyid(c.relowner) as owner, c.relrowsecurity
                                     from pg_class c where c.oid = 'realtime.messages'::regclass`;
      expect(messages).toEqual({ relkind: 'p', owner: 'supabase_realtime_admin', relrowsecurity: true });
      const partitions = await admin`select c.relname, pg_get_userbyid(c.relowner) as owner from pg_inherits i
                                     join pg_class c on c.oid = i.inhrelid where i.inhparent = 'realtime.messages'::regclass`;
      expect(partitions).toContainEqual({ relname: `messages_${today()}`, owner: 'supabase_realtime_admin' });
    });

    it('lets authenticator only switch to the API roles, which have no rights on auth.users', async () => {
      const [authenticator] = await admin`select rolinherit, rolcanlogin from pg_roles where rolname = 'authenticator'`;
      expect(authenticator).toEqual({ rolinherit: false, rolcanlogin: true });
      const memberships = await admin`select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid
                                      where m.member = 'authenticator'::regrole order by 1`;
      expect(memberships.map((m) => m.rolname)).toEqual(['anon', 'authenticated', 'service_role']);
      const [usersTable] = await admin`select relrowsecurity, pg_get_userbyid(relowner) as owner from pg_class where oid = 'auth.users'::regclass`;
      expect(usersTable).toEqual({ relrowsecurity: true, owner: 'supabase_auth_admin' });
      for (const role of ['anon', 'authenticated', 'service_role']) {
        const [rights] = await admin`select has_table_privilege(${role}, 'auth.users', 'select, insert, update, delete') as any`;
        expect(rights.any, role).toBe(false);
      }
      // Through PostgREST the service role cannot reach accounts; Kennisdag's functions do it for it.
      await expect(db.withCaller(serviceCaller, (q) => q('select id from auth.users'))).rejects.toMatchObject({ status: 403 });
    });

    it('grants what postgres creates in public to the API roles, and the migrations take it back', async () => {
      const owner = cluster.admin('hosted');
      await owner.unsafe(`set role postgres; create table public.shape_probe (id integer); reset role;`);
      const [probe] = await owner`select has_table_privilege('anon', 'public.shape_probe', 'select, insert, update, delete') as anon`;
      expect(probe.anon).toBe(true);
      await owner.unsafe('drop table public.shape_probe');
      const [events] = await owner`select has_table_privilege('anon', 'public.events', 'select') as anon,
                                          has_table_privilege('anon', 'public.organisers', 'select') as organisers`;
      expect(events).toEqual({ anon: false, organisers: false });
    });

    it('gives the functions the claims PostgREST sets, from a token with Supabase Auth\'s claims', async () => {
      const participant = await createUser(db, { anonymous: true });
      const [seen] = await db.withCaller(participant.caller, (q) =>
        q<{ uid: string; role: string; jwt: Record<string, unknown> }>('select auth.uid() as uid, auth.role() as role, auth.jwt() as jwt')
      );
      expect(seen.uid).toBe(participant.id);
      expect(seen.role).toBe('authenticated');
      expect(seen.jwt).toMatchObject({
        iss: tokenIssuer, aud: 'authenticated', role: 'authenticated', email: '', is_anonymous: true, aal: 'aal1',
        amr: [{ method: 'anonymous' }], session_id: expect.any(String), sub: participant.id
      });
      expect(Object.keys(seen.jwt)).toEqual(expect.arrayContaining(['exp', 'iat', 'phone', 'app_metadata', 'user_metadata']));
      const [anon] = await db.withCaller(anonCaller, (q) => q<{ uid: string | null; role: string }>('select auth.uid() as uid, auth.role() as role'));
      expect(anon).toEqual({ uid: null, role: 'anon' });
    });
  });

  describe('supabase db push with the pinned CLI', () => {
    it('applied every migration as postgres and recorded them where the CLI keeps them; a second push changes nothing', async () => {
      const applied = await admin`select version from supabase_migrations.schema_migrations order by version`;
      expect(applied.map((r) => r.version)).toEqual(migrationVersions);
      const [policy] = await admin`select policyname, roles::text[] as roles from pg_policies where schemaname = 'realtime' and tablename = 'messages'`;
      expect(policy).toEqual({ policyname: "members receive their event's broadcasts", roles: ['authenticated'] });
      const again = await cluster.push('hosted');
      expect(again.status, again.output).toBe(0);
      expect(again.output).toMatch(/up to date/i);
    });

    it.runIf(process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0)(
      'needs neither Docker nor a network: it pushes from a network namespace with no interfaces up',
      async () => {
        await cluster.createProject('offline');
        const result = spawnSync('unshare', ['--net', cluster.cli, 'db', 'push', '--yes', '--workdir', cluster.workdir,
          '--db-url', `postgres://postgres:${encodeURIComponent(cluster.password)}@localhost:${cluster.port}/offline?host=${cluster.socketDir}&sslmode=disable`],
          { encoding: 'utf8', env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } });
        expect(result.status, result.stdout + result.stderr).toBe(0);
        const offline = cluster.admin('offline');
        const applied = await offline`select count(*)::integer as n from supabase_migrations.schema_migrations`;
        expect(applied[0].n).toBe(migrationVersions.length);
      }
    );
  });

  describe('Realtime', () => {
    let event: string;
    let otherEvent: string;
    let members: Record<'organiser' | 'chair' | 'noteTaker' | 'participant' | 'stranger' | 'otherParticipant', TestUser>;
    let poll: string;

    beforeAll(async () => {
      const organiser = await createUser(db, { organiser: true, name: 'Olga' });
      const [chair, noteTaker, stranger] = await Promise.all([createUser(db), createUser(db), createUser(db)]);
      const [participant, otherParticipant] = await Promise.all([createUser(db, { anonymous: true }), createUser(db, { anonymous: true })]);
      members = { organiser, chair, noteTaker, participant, stranger, otherParticipant };
      const a = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Realtime day', p_language: 'en' }, organiser.caller);
      const b = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Other day', p_language: 'en' }, organiser.caller);
      event = a.id;
      otherEvent = b.id;
      for (const [user, name] of [[chair, 'Chair'], [noteTaker, 'Nora'], [participant, 'Paul']] as const) {
        await db.rpc('join_event', { p_code: a.join_code, p_name: name }, user.caller);
      }
      await db.rpc('join_event', { p_code: b.join_code, p_name: 'Otto' }, otherParticipant.caller);
      const list = await db.rpc<{ id: string; name: string }[]>('list_members', { p_event_id: event }, organiser.caller);
      await db.rpc('set_member_role', { p_member_id: list.find((m) => m.name === 'Chair')!.id, p_role: 'chair' }, organiser.caller);
      await db.rpc('set_member_role', { p_member_id: list.find((m) => m.name === 'Nora')!.id, p_role: 'note_taker' }, organiser.caller);
      const thesis = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: event, p_text: 'Realtime is enough.' }, organiser.caller);
      poll = (await db.rpc<{ id: string }>('open_poll', { p_event_id: event, p_thesis_id: thesis.id, p_kind: 'yes_no' }, organiser.caller)).id;
    });

    it('stores broadcasts in today\'s partition, from the trigger as its caller, with realtime.topic set', async () => {
      const before = new Date();
      await db.rpc('cast_vote', { p_poll_id: poll, p_option_index: 0 }, members.participant.caller);
      const rows = await admin`select tableoid::regclass::text as partition, topic, event, payload, private from realtime.messages
                               where inserted_at >= ${before}::timestamptz at time zone 'UTC' and event = 'vote'`;
      expect(rows).toEqual([{ partition: `realtime.messages_${today()}`, topic: `event:${event}:staff`, event: 'vote', payload: { pollId: poll, id: expect.any(String) }, private: true }]);
      const [send] = await admin`select prosecdef, pg_get_userbyid(proowner) as owner from pg_proc where oid = 'realtime.send(jsonb, text, text, boolean)'::regprocedure`;
      expect(send).toEqual({ prosecdef: false, owner: 'supabase_realtime_admin' });
      // As its caller: a participant may not write broadcasts (no insert policy), so its own call is
      // lost with a warning (and the topic it set with it), while the service role, which bypasses
      // row-level security, is heard and leaves realtime.topic set for the rest of the transaction.
      const topic = `event:${event}`;
      db.notices.length = 0;
      const [own] = await db.withCaller(members.participant.caller, (q) =>
        q<{ topic: string | null }>("select realtime.send('{\"hello\": 1}', 'probe', $1, true), realtime.topic() as topic", [topic])
      );
      expect(own.topic).toBeNull();
      expect(db.notices).toContainEqual({ severity: 'WARNING', message: expect.stringMatching(/^WarnSendingBroadcastMessage: new row violates row-level security policy/) });
      const [server] = await db.withCaller(serviceCaller, (q) =>
        q<{ topic: string }>("select realtime.send('{\"hello\": 2}', 'probe', $1, true), realtime.topic() as topic", [topic])
      );
      expect(server.topic).toBe(topic);
      const probes = await admin`select payload ->> 'hello' as hello from realtime.messages where event = 'probe'`;
      expect(probes).toEqual([{ hello: '2' }]);
    });

    /** Realtime's channel-join check: probe rows in, role, topic and claims set, read back, rolled back. */
    async function mayJoin(who: TestUser | 'anon', topic: string): Promise<boolean> {
      const role = who === 'anon' ? 'anon' : 'authenticated';
      const claims = who === 'anon' ? { role: 'anon', iss: 'supabase' } : (who.caller as Extract<Caller, { kind: 'user' }>).claims;
      const probe = [randomUUID(), randomUUID()];
      const rollback = new Error('rollback');
      let seen: number | undefined;
      await admin
        .begin(async (tx) => {
          await tx`insert into realtime.messages (id, topic, extension) values (${probe[0]}, ${topic}, 'broadcast'), (${probe[1]}, ${topic}, 'presence')`;
          await tx`select set_config('role', ${role}, true), set_config('realtime.topic', ${topic}, true),
                          set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
                          set_config('request.jwt.claim.sub', ${'sub' in claims ? claims.sub : ''}, true),
                          set_config('request.jwt.claim.role', ${role}, true), set_config('request.headers', '{}', true)`;
          const rows = await tx`select id from realtime.messages where id in ${tx(probe)}`;
          seen = rows.length;
          throw rollback;
        })
        .catch((error) => {
          if (error !== rollback) throw error;
        });
      expect([0, 2]).toContain(seen);
      return seen === 2;
    }

    it('admits each member, and the projector member, to exactly the channels of their role', async () => {
      const m = members;
      const projector = await createUser(db, { anonymous: true });
      const token = await db.rpc<string>('get_projector_token', { p_event_id: event }, m.organiser.caller);
      await db.rpc('claim_projector', { p_event_id: event, p_token: token }, projector.caller);
      // The participant voted on the open poll (above); a second participant who has not voted yet.
      const undecided = await createUser(db, { anonymous: true });
      const { join_code } = (await admin`select join_code from public.events where id = ${event}`)[0];
      await db.rpc('join_event', { p_code: join_code, p_name: 'Una' }, undecided.caller);
      const topics = ['', ':staff', ':state', ':projector', `:poll:${poll}`];
      const cases: [string, TestUser | 'anon', boolean[]][] = [
        ['organiser', m.organiser, [true, true, true, true, true]],
        ['chair', m.chair, [true, true, true, true, true]],
        ['note-taker', m.noteTaker, [true, true, true, true, true]],
        ['participant who voted', m.participant, [true, false, true, false, true]],
        ['participant who has not voted', undecided, [true, false, true, false, false]],
        ['projector member', projector, [false, false, true, true, true]],
        ['registered non-member', m.stranger, [false, false, false, false, false]],
        ['participant of another event', m.otherParticipant, [false, false, false, false, false]],
        ['anonymous visitor (anon key)', 'anon', [false, false, false, false, false]]
      ];
      const seen = [];
      for (const [who, user] of cases) {
        const row = [];
        for (const topic of topics) row.push(await mayJoin(user, `event:${event}${topic}`));
        seen.push([who, row]);
      }
      expect(seen).toEqual(cases.map(([who, , expected]) => [who, expected]));
      expect(await mayJoin(m.otherParticipant, `event:${otherEvent}`)).toBe(true);
      expect(await mayJoin(m.organiser, 'event:not-an-event')).toBe(false);
      expect(await mayJoin(m.organiser, `event:${event}:poll:${randomUUID()}`)).toBe(false);
      expect(await mayJoin(m.organiser, `event:${event}:anything`)).toBe(false);
      // The probes leave nothing behind.
      expect((await admin`select count(*)::integer as n from realtime.messages where event is null`)[0].n).toBe(0);
    });

    it('loses the broadcast but not the vote when today\'s partition is missing', async () => {
      const partition = `messages_${today()}`;
      const [{ bounds }] = await admin`select pg_get_expr(relpartbound, oid) as bounds from pg_class where relname = ${partition}`;
      const count = async () => (await admin`select count(*)::integer as n from realtime.messages`)[0].n;
      await admin.unsafe(`alter table realtime.messages detach partition realtime.${partition}`);
      try {
        const before = await count();
        db.notices.length = 0;
        await db.rpc('cast_vote', { p_poll_id: poll, p_option_index: 1 }, members.chair.caller);
        expect(await db.rpc('poll_results', { p_poll_id: poll }, members.organiser.caller)).toMatchObject({ counts: [1, 1], total: 2 });
        expect(await count()).toBe(before);
        expect(db.notices).toContainEqual({ severity: 'WARNING', message: expect.stringMatching(/^WarnSendingBroadcastMessage: no partition of relation "messages" found/) });
      } finally {
        await admin.unsafe(`alter table realtime.messages attach partition realtime.${partition} ${bounds}`);
      }
    });
  });

  describe('live state and tallies from the database (no app server in the live path)', () => {
    let organiser: TestUser;
    let chair: TestUser;
    let phones: TestUser[];
    let ev: { id: string; join_code: string };
    const sent = async (topic: string, since: Date) =>
      (await admin`select event, payload from realtime.messages where topic = ${topic} and extension = 'broadcast'
                   and inserted_at >= ${since}::timestamptz at time zone 'UTC' order by inserted_at, id`) as unknown as {
        event: string;
        payload: Record<string, any>;
      }[];
    const rpc = <T>(fn: string, args: Record<string, unknown>, user: TestUser) => db.rpc<T>(fn, args, user.caller);

    beforeAll(async () => {
      organiser = await createUser(db, { organiser: true, name: 'Olga' });
      chair = await createUser(db, { name: 'Chris' });
      phones = await Promise.all(Array.from({ length: 24 }, () => createUser(db, { anonymous: true })));
      ev = await rpc('create_event', { p_title: 'Live from the database', p_language: 'en' }, organiser);
      await rpc('join_event', { p_code: ev.join_code, p_name: 'Chris' }, chair);
      for (const [i, phone] of phones.entries()) await rpc('join_event', { p_code: ev.join_code, p_name: `Phone ${i}` }, phone);
      const list = await rpc<{ id: string; name: string }[]>('list_members', { p_event_id: ev.id }, organiser);
      await rpc('set_member_role', { p_member_id: list.find((m) => m.name === 'Chris')!.id, p_role: 'chair' }, organiser);
    });

    it('sends one public snapshot per transaction that changes what members see, for nobody in particular', async () => {
      const topic = `event:${ev.id}:state`;
      let since = new Date();
      const first = await rpc<{ id: string }>('submit_thesis', { p_event_id: ev.id, p_text: 'Shared by the chair.' }, chair);
      const second = await rpc<{ id: string }>('submit_thesis', { p_event_id: ev.id, p_text: 'Another approved one.' }, chair);
      let snapshots = await sent(topic, since);
      expect(snapshots.map((s) => s.event)).toEqual(['state', 'state']);
      expect(snapshots[1].payload.theses.map((t: { text: string; mine: boolean | null }) => [t.text, t.mine === true])).toEqual([
        ['Shared by the chair.', false],
        ['Another approved one.', false]
      ]);
      expect(snapshots[1].payload.me).toBeNull();

      // A phone's submission is the staff's business: no snapshot.
      since = new Date();
      await rpc('submit_thesis', { p_event_id: ev.id, p_text: 'Only the staff see this yet.' }, phones[0]);
      expect(await sent(topic, since)).toEqual([]);

      // Starting a thesis changes two rows of two tables in one transaction: one snapshot. The open
      // poll goes out without its results, which a phone sees only after voting.
      since = new Date();
      await rpc('start_thesis', { p_thesis_id: first.id }, chair);
      snapshots = await sent(topic, since);
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0].payload.currentThesis).toMatchObject({ id: first.id });
      const poll = await rpc<{ id: string }>('open_poll', { p_event_id: ev.id, p_thesis_id: first.id, p_kind: 'yes_no' }, chair);
      await rpc('cast_vote', { p_poll_id: poll.id, p_option_index: 0 }, phones[1]);
      since = new Date();
      await rpc('edit_thesis', { p_thesis_id: second.id, p_text: 'Another approved one, edited.' }, chair);
      snapshots = await sent(topic, since);
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0].payload.openPoll).toMatchObject({ id: poll.id, status: 'open', results: null });
      expect(snapshots[0].payload.openPoll.myVote ?? null).toBeNull();
      // Once closed, the results are everybody's.
      since = new Date();
      await rpc('close_poll', { p_poll_id: poll.id }, chair);
      snapshots = await sent(topic, since);
      expect(snapshots.at(-1)!.payload.lastPoll).toMatchObject({ id: poll.id, results: { counts: [1, 0], total: 1 } });
      // The end of the discussion touches every thesis in one transaction: still one snapshot.
      since = new Date();
      await rpc('end_discussion', { p_event_id: ev.id }, chair);
      snapshots = await sent(topic, since);
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0].payload.theses.map((t: { status: string }) => t.status).sort()).toEqual(['discussed', 'not_discussed']);
    });

    it('tallies a burst of votes at most ten times a second for the staff and once a second for the voters, and sends the rest when asked or at the close', async () => {
      const thesis = await rpc<{ id: string }>('submit_thesis', { p_event_id: ev.id, p_text: 'Tallies come from the database.' }, chair);
      const poll = await rpc<{ id: string }>('open_poll', { p_event_id: ev.id, p_thesis_id: thesis.id, p_kind: 'agree5' }, chair);
      const since = new Date();
      const started = Date.now();
      for (const [i, phone] of phones.entries()) {
        await rpc('cast_vote', { p_poll_id: poll.id, p_option_index: i % 5, p_idempotency_key: `burst-${i}` }, phone);
        await new Promise((r) => setTimeout(r, 40));
      }
      const elapsed = Date.now() - started;
      const staff = (await sent(`event:${ev.id}:staff`, since)).filter((m) => m.event === 'tally');
      const projector = await sent(`event:${ev.id}:projector`, since);
      const room = await sent(`event:${ev.id}:poll:${poll.id}`, since);
      expect(staff.length).toBeGreaterThanOrEqual(2);
      expect(staff.length).toBeLessThanOrEqual(Math.floor(elapsed / 100) + 1);
      expect(projector.length).toBe(staff.length);
      expect(room.length).toBeGreaterThanOrEqual(1);
      expect(room.length).toBeLessThanOrEqual(Math.floor(elapsed / 1000) + 1);
      expect(room[0].payload).toMatchObject({ pollId: poll.id, status: 'open', present: 26, counts: [1, 0, 0, 0, 0], total: 1 });
      // Each vote also went to the staff as before; no tally is a message per phone.
      expect((await sent(`event:${ev.id}:staff`, since)).filter((m) => m.event === 'vote')).toHaveLength(phones.length);

      // Once things are quiet, a staff screen (or the projector) asks, and what is still due goes out.
      await new Promise((r) => setTimeout(r, 1100));
      const asked = new Date();
      expect(await rpc('refresh_poll_tally', { p_poll_id: poll.id }, chair)).toMatchObject({ total: phones.length });
      const trailing = await sent(`event:${ev.id}:poll:${poll.id}`, asked);
      if (room.at(-1)!.payload.total !== phones.length) expect(trailing.map((m) => m.payload.total)).toEqual([phones.length]);
      else expect(trailing).toEqual([]);
      // Asking again sends nothing new.
      const again = new Date();
      await rpc('refresh_poll_tally', { p_poll_id: poll.id }, chair);
      expect(await sent(`event:${ev.id}:poll:${poll.id}`, again)).toEqual([]);
      // Closing sends the final tally to every audience at once.
      const closing = new Date();
      await rpc('close_poll', { p_poll_id: poll.id }, chair);
      for (const topic of [`event:${ev.id}:staff`, `event:${ev.id}:projector`, `event:${ev.id}:poll:${poll.id}`]) {
        const final = (await sent(topic, closing)).filter((m) => m.event === 'tally');
        expect(final.map((m) => [m.payload.status, m.payload.total]), topic).toEqual([['closed', phones.length]]);
      }
    });

    it('keeps hidden results among the staff until the chair reveals them', async () => {
      const thesis = await rpc<{ id: string }>('submit_thesis', { p_event_id: ev.id, p_text: 'Hidden until revealed.' }, chair);
      const poll = await rpc<{ id: string }>('open_poll', { p_event_id: ev.id, p_thesis_id: thesis.id, p_kind: 'yes_no', p_hide_results: true }, chair);
      const since = new Date();
      await rpc('cast_vote', { p_poll_id: poll.id, p_option_index: 1 }, phones[0]);
      expect((await sent(`event:${ev.id}:staff`, since)).filter((m) => m.event === 'tally')).toHaveLength(1);
      expect(await sent(`event:${ev.id}:projector`, since)).toEqual([]);
      expect(await sent(`event:${ev.id}:poll:${poll.id}`, since)).toEqual([]);
      await rpc('reveal_poll_results', { p_poll_id: poll.id }, chair);
      expect((await sent(`event:${ev.id}:projector`, since)).map((m) => m.payload.total)).toEqual([1]);
      expect((await sent(`event:${ev.id}:poll:${poll.id}`, since)).map((m) => m.payload.total)).toEqual([1]);
    });
  });

  describe('a whole day through PostgREST', () => {
    it('runs from a new event to a published recap, each step as its own role', async () => {
      const organiser = await createUser(db, { organiser: true, name: 'Olga Organiser' });
      const [chair, noteTaker] = await Promise.all([createUser(db, { name: 'Chris' }), createUser(db, { name: 'Nora' })]);
      const phones = await Promise.all([1, 2, 3, 4].map(() => createUser(db, { anonymous: true })));
      const rpc = <T>(fn: string, args: Record<string, unknown>, user: TestUser | 'anon') => db.rpc<T>(fn, args, user === 'anon' ? anonCaller : user.caller);

      const ev = await rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Kennisdag op Supabase', p_language: 'nl' }, organiser);
      await rpc('update_event', { p_event_id: ev.id, p_title: 'Kennisdag op Supabase', p_starts_on: '2026-11-26', p_language: 'nl', p_question: 'Werkt het?', p_venue: 'Utrecht' }, organiser);
      const item = await rpc<{ id: string }>('add_agenda_item', { p_event_id: ev.id, p_title: 'Rondetafel', p_kind: 'discussion' }, organiser);
      await rpc('set_event_status', { p_event_id: ev.id, p_status: 'live' }, organiser);
      expect(await rpc('lookup_event', { p_code: ev.join_code }, 'anon')).toMatchObject({ id: ev.id, status: 'live' });
      await rpc('join_event', { p_code: ev.join_code, p_name: 'Chris' }, chair);
      await rpc('join_event', { p_code: ev.join_code, p_name: 'Nora' }, noteTaker);
      for (const [i, phone] of phones.entries()) await rpc('join_event', { p_code: ev.join_code, p_name: `Deelnemer ${i + 1}`, p_listed: i % 2 === 0 }, phone);
      const list = await rpc<{ id: string; name: string }[]>('list_members', { p_event_id: ev.id }, organiser);
      await rpc('set_member_role', { p_member_id: list.find((m) => m.name === 'Chris')!.id, p_role: 'chair' }, organiser);
      await rpc('set_member_role', { p_member_id: list.find((m) => m.name === 'Nora')!.id, p_role: 'note_taker' }, organiser);

      await rpc('start_agenda_item', { p_agenda_item_id: item.id }, chair);
      const submitted = await rpc<{ id: string }>('submit_thesis', { p_event_id: ev.id, p_text: 'Elke gemeente heeft een AI-beleid nodig.', p_idempotency_key: 'phone-1' }, phones[0]);
      await rpc('moderate_thesis', { p_thesis_id: submitted.id, p_status: 'approved' }, chair);
      await rpc('start_thesis', { p_thesis_id: submitted.id }, chair);
      const poll = await rpc<{ id: string }>('open_poll', { p_event_id: ev.id, p_thesis_id: submitted.id, p_kind: 'agree5' }, chair);
      for (const [i, phone] of phones.entries()) await rpc('cast_vote', { p_poll_id: poll.id, p_option_index: [4, 3, 3, 1][i], p_idempotency_key: `vote-${i}` }, phone);
      const state = await rpc<{ openPoll: { id: string } }>('get_event_state', { p_event_id: ev.id }, phones[1]);
      expect(state.openPoll.id).toBe(poll.id);
      await rpc('add_note', { p_event_id: ev.id, p_thesis_id: submitted.id, p_kind: 'quote', p_text: 'Zonder beleid is er al schaduw-AI.', p_speaker: 'Deelnemer 1' }, noteTaker);
      await rpc('close_poll', { p_poll_id: poll.id }, chair);
      expect(await rpc('poll_results', { p_poll_id: poll.id }, phones[2])).toMatchObject({ counts: [0, 1, 0, 2, 1], total: 4 });
      await rpc('finish_thesis', { p_thesis_id: submitted.id }, chair);
      await rpc('end_discussion', { p_event_id: ev.id }, chair);

      const source = await rpc<{ theses: { status: string; notes: unknown[]; polls: { counts: number[] }[] }[] }>('get_recap_source', { p_event_id: ev.id }, organiser);
      expect(source.theses).toEqual([expect.objectContaining({ status: 'discussed', notes: [expect.objectContaining({ kind: 'quote' })], polls: [expect.objectContaining({ counts: [0, 1, 0, 2, 1] })] })]);
      const recap = await rpc<{ id: string }>('save_recap', { p_event_id: ev.id, p_markdown: '# Kennisdag op Supabase\n\nDe zaal was het eens.', p_engine: 'manual' }, organiser);
      const published = await rpc<{ public_slug: string }>('publish_recap', { p_recap_id: recap.id }, organiser);
      expect(await rpc('get_published_recap', { p_slug: published.public_slug }, 'anon')).toMatchObject({ markdown: expect.stringContaining('De zaal was het eens.') });

      // Every change went out on the event's channels: changes, staff, snapshots, tallies.
      const topics = await admin`select distinct topic from realtime.messages where topic like ${`event:${ev.id}%`} order by topic`;
      expect(topics.map((t) => t.topic)).toEqual(
        [`event:${ev.id}`, `event:${ev.id}:poll:${poll.id}`, `event:${ev.id}:projector`, `event:${ev.id}:staff`, `event:${ev.id}:state`]
      );
    });
  });

  // Last: it takes postgres's right to manage policies on realtime.messages away from the cluster.
  describe('without the right to manage policies on realtime.messages (a self-hosted Supabase without policy grants)', () => {
    it('stops the push at the Realtime policy with a message that says what to do', async () => {
      await cluster.setRealtimePolicyGrant(false);
      await cluster.createProject('self_hosted');
      const pushed = await cluster.push('self_hosted');
      expect(pushed.status).not.toBe(0);
      expect(pushed.output).toContain(
        'Kennisdag cannot create its channel policy on realtime.messages: the table belongs to supabase_realtime_admin and postgres may not manage its policies.'
      );
      expect(pushed.output).toContain('grant supabase_realtime_admin to postgres');
      expect(pushed.output).toContain('supautils.policy_grants');
      const applied = await cluster.admin('self_hosted')`select max(version) as last from supabase_migrations.schema_migrations`;
      expect(applied[0].last).toBe('20261125090300');
    });
  });
});
