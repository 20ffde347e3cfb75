import { describe, expect, it } from 'vitest';
import { anonCaller, type Caller, type SqlDatabase } from '../../src/lib/server/db/types';
import { loadGlossary, saveGlossary } from '../../src/lib/server/recap/glossary';
import { loadRecapSource } from '../../src/lib/server/recap/source';
import { backends, createUser, refusal, suiteDatabase, type TestUser } from './helpers';

/**
 * An event's glossary on every back end: organisers read and replace it; a refused list leaves the
 * old one and says why in the event's language; nobody else reads or writes it, by RPC or by table.
 */
describe.each(backends)('the event glossary on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let otherOrganiser: TestUser;
  let noteTaker: TestUser;
  let participant: TestUser;
  let dutch: string;
  let english: string;
  const actor = (user: TestUser) => ({ db, caller: user.caller });
  const rows = (caller: Caller, sql: string, params: unknown[] = []) => db.withCaller(caller, (q) => q(sql, params));

  suiteDatabase(backend, async (suite) => {
    ({ db, organiser } = suite);
    [otherOrganiser, noteTaker] = await Promise.all([createUser(db, { name: 'Otto', organiser: true }), createUser(db)]);
    participant = await createUser(db, { anonymous: true });
    const nl = await db.rpc<{ id: string; join_code: string }>('create_event', { p_title: 'Kennisdag', p_language: 'nl' }, organiser.caller);
    english = (await db.rpc<{ id: string }>('create_event', { p_title: 'Knowledge day', p_language: 'en' }, organiser.caller)).id;
    await db.rpc('create_event', { p_title: 'Other', p_language: 'nl' }, otherOrganiser.caller);
    dutch = nl.id;
    await db.rpc('join_event', { p_code: nl.join_code, p_name: 'Nora' }, noteTaker.caller);
    await db.rpc('join_event', { p_code: nl.join_code, p_name: 'Pia' }, participant.caller);
    const members = await db.rpc<{ id: string; name: string }[]>('list_members', { p_event_id: dutch }, organiser.caller);
    await db.rpc('set_member_role', { p_member_id: members.find((m) => m.name === 'Nora')!.id, p_role: 'note_taker' }, organiser.caller);
  }, { timeout: 120_000 });

  it('is kept in the organiser’s order and read with the recap’s source', async () => {
    const saved = await saveGlossary(actor(organiser), dutch, { terms: 'SM = sociale media\n\n  AVG =  Algemene verordening gegevensbescherming  \nbv = besloten vennootschap' });
    expect(saved).toEqual({
      language: 'nl',
      terms: [
        { term: 'SM', expansion: 'sociale media' },
        { term: 'AVG', expansion: 'Algemene verordening gegevensbescherming' },
        { term: 'bv', expansion: 'besloten vennootschap' }
      ]
    });
    expect(await loadGlossary(actor(organiser), dutch)).toEqual(saved);
    expect((await loadRecapSource(actor(organiser), dutch)).glossary).toEqual(saved.terms);
    // The API's list form replaces it as a whole.
    const replaced = await saveGlossary(actor(organiser), dutch, { terms: [{ term: 'KD', expansion: 'kennisdag' }] });
    expect(replaced.terms).toEqual([{ term: 'KD', expansion: 'kennisdag' }]);
  });

  it('refuses a mistake in the event’s language, naming the line, and keeps the list it had', async () => {
    await saveGlossary(actor(organiser), dutch, { terms: 'SM = sociale media' });
    const cases: [string, RegExp][] = [
      ['SM = sociale media\nAVG Algemene verordening', /^Regel 2 heeft geen “=”: schrijf bijvoorbeeld “SM = sociale media”\.$/],
      ['SM = sociale media\nsm = social media', /^Regel 2: “sm” staat al in de lijst\.$/],
      ['SM = \nAVG = wet', /^Regel 1: vul zowel de afkorting als de betekenis in\.$/],
      [`${'X'.repeat(41)} = te lang`, /^Regel 1: een afkorting heeft hoogstens 40 tekens\.$/],
      [`X = ${'lang '.repeat(41)}`, /^Regel 1: de betekenis heeft hoogstens 200 tekens\.$/],
      [Array.from({ length: 201 }, (_, i) => `T${i} = term ${i}`).join('\n'), /^De lijst bevat hoogstens 200 afkortingen\.$/]
    ];
    for (const [terms, message] of cases) {
      const error = await refusal(saveGlossary(actor(organiser), dutch, { terms }));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(message);
    }
    expect((await loadGlossary(actor(organiser), dutch)).terms).toEqual([{ term: 'SM', expansion: 'sociale media' }]);
    const english400 = await refusal(saveGlossary(actor(organiser), english, { terms: [{ term: 'WFH', expansion: 'working from home' }, { term: 'RTO = x', expansion: 'y' }] }));
    expect(english400.message).toBe('Entry 2 has no “=”: write it like “SM = social media”.');
    expect((await refusal(saveGlossary(actor(organiser), english, { terms: 42 }))).status).toBe(400);
  });

  it('is refused by the database itself when a term comes twice, so no client can store it', async () => {
    const error = await refusal(db.rpc('set_event_glossary', { p_event_id: dutch, p_terms: [{ term: 'SM', expansion: 'a' }, { term: 'sm', expansion: 'b' }] }, organiser.caller));
    expect(error.status).toBe(400);
    expect((await loadGlossary(actor(organiser), dutch)).terms).toEqual([{ term: 'SM', expansion: 'sociale media' }]);
  });

  it('is read and written by the event’s organisers only', async () => {
    for (const user of [noteTaker, participant, otherOrganiser]) {
      expect((await refusal(loadGlossary(actor(user), dutch))).status).toBe(403);
      expect((await refusal(saveGlossary(actor(user), dutch, { terms: 'SM = iets anders' }))).status).toBe(403);
    }
    expect((await refusal(db.rpc('get_event_glossary', { p_event_id: dutch }, anonCaller))).status).toBe(403);
    expect((await refusal(db.rpc('set_event_glossary', { p_event_id: dutch, p_terms: [] }, anonCaller))).status).toBe(403);
    expect((await loadGlossary(actor(organiser), dutch)).terms).toEqual([{ term: 'SM', expansion: 'sociale media' }]);
  });

  it('cannot be read or changed through the table except by the organiser reading it', async () => {
    expect(await rows(organiser.caller, 'select term from public.glossary_terms where event_id = $1', [dutch])).toEqual([{ term: 'SM' }]);
    for (const caller of [noteTaker.caller, participant.caller, otherOrganiser.caller]) {
      expect(await rows(caller, 'select term from public.glossary_terms where event_id = $1', [dutch])).toEqual([]);
    }
    await expect(rows(anonCaller, 'select term from public.glossary_terms')).rejects.toMatchObject({ status: 403 });
    for (const caller of [organiser.caller, participant.caller]) {
      await expect(rows(caller, "insert into public.glossary_terms (event_id, position, term, expansion) values ($1, 5, 'X', 'y')", [dutch])).rejects.toMatchObject({ status: 403 });
      await expect(rows(caller, "update public.glossary_terms set expansion = 'gekaapt' where event_id = $1", [dutch])).rejects.toMatchObject({ status: 403 });
      await expect(rows(caller, 'delete from public.glossary_terms where event_id = $1', [dutch])).rejects.toMatchObject({ status: 403 });
    }
    await expect(rows(participant.caller, 'select private.glossary_json($1)', [dutch])).rejects.toMatchObject({ status: 403 });
    expect((await loadGlossary(actor(organiser), dutch)).terms).toEqual([{ term: 'SM', expansion: 'sociale media' }]);
  });
});
