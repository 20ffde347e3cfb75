import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors';
import { applyMigrations, embeddedMigrations } from '../../src/lib/server/db/migrations';
import { serviceCaller, type SqlDatabase } from '../../src/lib/server/db/types';
import { SupabaseShapedDatabase } from './supabase-shape/database';
import { allBackends, createUser, deleteUser, suiteDatabase, type TestUser } from './helpers';

/** Who may organise, and what happens to the day's record when accounts go. */

async function status(promise: Promise<unknown>): Promise<number | 'ok'> {
  return promise.then(
    () => 'ok' as const,
    (e) => {
      expect(e, String(e)).toBeInstanceOf(AppError);
      return (e as AppError).status;
    }
  );
}

const archive = { event: { title: 'Imported', date: '2026-01-01', language: 'en' } };

describe.each(allBackends)('accounts on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  suiteDatabase(backend, (suite) => ({ db, organiser } = suite));

  describe('organisers are granted, not self-registered', () => {
    it('refuses create_event and import_event to an account that only signed up', async () => {
      const signedUp = await createUser(db, { name: 'Sam Signup' });
      expect(await status(db.rpc('create_event', { p_title: 'Mine', p_language: 'en' }, signedUp.caller))).toBe(403);
      expect(await status(db.rpc('import_event', { p_archive: archive }, signedUp.caller))).toBe(403);
      expect(await status(db.rpc('create_event', { p_title: 'Ours', p_language: 'en' }, organiser.caller))).toBe('ok');
    });

    it('refuses an anonymous participant who links an e-mail address', async () => {
      const participant = await createUser(db, { anonymous: true });
      if (db instanceof SupabaseShapedDatabase) await db.accounts.linkEmail(participant.id, `linked-${participant.id}@example.test`);
      else {
        await db.withCaller(serviceCaller, (q) =>
          q('update auth.users set email = $1, is_anonymous = false where id = $2', [`linked-${participant.id}@example.test`, participant.id])
        );
      }
      // After linking, Supabase Auth issues tokens without is_anonymous; the account still has no grant.
      const claims = { ...(participant.caller as { claims: object }).claims, is_anonymous: false, email: `linked-${participant.id}@example.test` };
      const linked = { kind: 'user' as const, accessToken: 'test', claims: claims as never };
      expect(await status(db.rpc('create_event', { p_title: 'Mine', p_language: 'en' }, linked))).toBe(403);
      expect(await status(db.rpc('import_event', { p_archive: archive }, linked))).toBe(403);
    });

    it('lets an organiser grant another account by e-mail or id, and only an organiser', async () => {
      const colleague = await createUser(db, { email: `Colleague-${Date.now()}@Example.test`, name: 'Cora' });
      const other = await createUser(db, { name: 'Otto' });
      const participant = await createUser(db, { anonymous: true });
      expect(await status(db.rpc('grant_organiser', { p_user_id: other.id }, colleague.caller))).toBe(403);
      expect(await status(db.rpc('grant_organiser', { p_user_id: participant.id }, organiser.caller))).toBe(404);
      expect(await status(db.rpc('grant_organiser', { p_email: 'nobody@example.test' }, organiser.caller))).toBe(404);
      expect(await status(db.rpc('grant_organiser', {}, organiser.caller))).toBe(400);

      const email = (colleague.caller as { claims: { email: string } }).claims.email;
      const granted = await db.rpc<{ userId: string; name: string }>('grant_organiser', { p_email: email.toLowerCase() }, organiser.caller);
      expect(granted).toMatchObject({ userId: colleague.id, name: 'Cora' });
      expect(await status(db.rpc('create_event', { p_title: 'Cora’s day', p_language: 'nl' }, colleague.caller))).toBe('ok');
      await db.rpc('grant_organiser', { p_user_id: other.id }, colleague.caller);
      const list = await db.rpc<{ userId: string }[]>('list_organisers', {}, other.caller);
      expect(list.map((o) => o.userId)).toEqual(expect.arrayContaining([organiser.id, colleague.id, other.id]));
      expect(await status(db.rpc('list_organisers', {}, participant.caller))).toBe(403);

      await db.rpc('revoke_organiser', { p_user_id: other.id }, colleague.caller);
      expect(await status(db.rpc('create_event', { p_title: 'Otto’s day', p_language: 'en' }, other.caller))).toBe(403);
    });

    it('lets only the server grant by itself, and never reveals the list to a table read by others', async () => {
      const someone = await createUser(db, { name: 'Sid' });
      const email = (someone.caller as { claims: { email: string } }).claims.email;
      expect(await status(db.rpc('server_grant_organiser', { p_email: email }, someone.caller))).toBe(403);
      expect(await status(db.rpc('server_grant_organiser', { p_email: email }, organiser.caller))).toBe(403);
      expect(await db.withCaller(someone.caller, (q) => q('select user_id from public.organisers'))).toEqual([]);
      await db.rpc('server_grant_organiser', { p_email: email }, serviceCaller);
      expect(await status(db.rpc('create_event', { p_title: 'Sid’s day', p_language: 'en' }, someone.caller))).toBe('ok');
    });
  });

  describe("the day's record outlives accounts", () => {
    /** An event where two anonymous participants joined and voted on the first one's approved thesis. */
    async function votedDay(title: string, names: [string, string], text: string, options: [number, number]) {
      const event = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: title, p_language: 'en' }, organiser.caller);
      const voters = await Promise.all([createUser(db, { anonymous: true }), createUser(db, { anonymous: true })]);
      for (const [i, voter] of voters.entries()) await db.rpc('join_event', { p_code: event.join_code, p_name: names[i] }, voter.caller);
      const thesis = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: event.id, p_text: text }, voters[0].caller);
      await db.rpc('moderate_thesis', { p_thesis_id: thesis.id, p_status: 'approved' }, organiser.caller);
      const poll = await db.rpc<{ id: string }>('open_poll', { p_event_id: event.id, p_thesis_id: thesis.id, p_kind: 'yes_no' }, organiser.caller);
      for (const [i, voter] of voters.entries()) await db.rpc('cast_vote', { p_poll_id: poll.id, p_option_index: options[i] }, voter.caller);
      return { event, thesis, poll, voters };
    }

    it('keeps votes, theses and notes when an anonymous participant is deleted', async () => {
      const { event, thesis, poll, voters: [ann] } = await votedDay('Record', ['Ann', 'Ben'], 'Ann says so.', [0, 1]);
      await db.rpc('add_note', { p_event_id: event.id, p_thesis_id: thesis.id, p_text: 'Ann was heard.' }, organiser.caller);
      const before = await db.rpc('poll_results', { p_poll_id: poll.id }, organiser.caller);
      expect(before).toMatchObject({ counts: [1, 1], total: 2 });

      await deleteUser(db, ann.id);

      expect(await db.rpc('poll_results', { p_poll_id: poll.id }, organiser.caller)).toEqual(before);
      const source = await db.rpc<{ theses: { text: string; notes: unknown[] }[] }>('get_recap_source', { p_event_id: event.id }, organiser.caller);
      expect(source.theses).toEqual([expect.objectContaining({ text: 'Ann says so.', notes: [expect.objectContaining({ text: 'Ann was heard.' })] })]);
    });

    it('erases a member only when an organiser asks for it', async () => {
      const { event, thesis, poll, voters: [, dee] } = await votedDay('Erasure', ['Cas', 'Dee'], 'Cas wrote this.', [0, 0]);
      const members = await db.rpc<{ id: string; name: string }[]>('list_members', { p_event_id: event.id }, organiser.caller);
      const casMember = members.find((m) => m.name === 'Cas')!.id;

      expect(await status(db.rpc('erase_member', { p_member_id: casMember }, dee.caller))).toBe(403);
      expect(await db.rpc('erase_member', { p_member_id: casMember }, organiser.caller)).toEqual({ votes: 1, theses: 1, notes: 0 });
      expect(await db.rpc('poll_results', { p_poll_id: poll.id }, organiser.caller)).toMatchObject({ counts: [1, 0], total: 1 });
      const after = await db.rpc<{ id: string; name: string }[]>('list_members', { p_event_id: event.id }, organiser.caller);
      expect(after.map((m) => m.name)).not.toContain('Cas');
      const state = await db.rpc<{ theses: { id: string; text: string }[] }>('get_event_state', { p_event_id: event.id }, organiser.caller);
      expect(state.theses.find((t) => t.id === thesis.id)?.text).toBe('Cas wrote this.');
    });
  });
});

describe('the organiser grant on a database that had organisers before it', () => {
  it('keeps the right of whoever created or organises an event, and of nobody else', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const pg = await PGlite.create();
    const target = (migrations: typeof embeddedMigrations) =>
      applyMigrations(
        {
          exec: async (sql) => {
            await pg.exec(sql);
          },
          appliedVersions: async () =>
            new Set((await pg.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map((r) => r.version)),
          record: async (m) => {
            await pg.query('insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
          },
          inTransaction: (fn) => fn()
        },
        migrations
      );
    const as = async (sub: string, sql: string) => {
      await pg.exec('begin');
      try {
        await pg.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [
          JSON.stringify({ sub, role: 'authenticated', is_anonymous: false })
        ]);
        return (await pg.query(sql)).rows;
      } finally {
        await pg.exec('rollback');
      }
    };
    try {
      await target(embeddedMigrations.filter((m) => m.version < '20261126040000'));
      // The PostgreSQL back end used to store user metadata as a JSON string.
      const users = await pg.query<{ id: string; email: string }>(
        `insert into auth.users (email, raw_user_meta_data) values ('old-organiser@example.test', '"{\\"name\\": \\"Oda\\"}"'),
                ('old-signup@example.test', '{}') returning id, email`
      );
      const [oldOrganiser, oldSignup] = users.rows.map((u) => u.id);
      await pg.exec('begin');
      await pg.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [
        JSON.stringify({ sub: oldOrganiser, role: 'authenticated', is_anonymous: false })
      ]);
      await pg.query("select public.create_event('Before the grant')");
      await pg.exec('commit');

      await target(embeddedMigrations);
      expect(await as(oldOrganiser, "select (public.create_event('After the grant')).title")).toEqual([{ title: 'After the grant' }]);
      expect(await as(oldOrganiser, 'select public.list_organisers() as list')).toEqual([{ list: [expect.objectContaining({ userId: oldOrganiser, name: 'Oda' })] }]);
      await expect(as(oldSignup, "select public.create_event('Not mine')")).rejects.toMatchObject({ code: 'KD403' });
    } finally {
      await pg.close();
    }
  });
});
