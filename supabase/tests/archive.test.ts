import { describe, expect, it } from 'vitest';
import type { SqlDatabase } from '../../src/lib/server/db/types';
import schema from '../../schemas/event-archive.schema.json';
import { fixture as sample, fixtureNames } from '../../tests/fixtures';
import { backends, suiteDatabase, type TestUser } from './helpers';

describe.each(backends)('event archive and parameter types on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  suiteDatabase(backend, (suite) => ({ db, organiser } = suite));

  const roundTrip = async (archive: unknown) => {
    const first = await db.rpc<{ id: string }>('import_event', { p_archive: archive }, organiser.caller);
    const exported = await db.rpc<Record<string, unknown>>('export_event', { p_event_id: first.id }, organiser.caller);
    const second = await db.rpc<{ id: string }>('import_event', { p_archive: exported }, organiser.caller);
    const again = await db.rpc<Record<string, unknown>>('export_event', { p_event_id: second.id }, organiser.caller);
    return { exported, again, eventId: first.id };
  };

  it.each(fixtureNames)('imports %s and exports it again to the same content', async (name) => {
    const archive = sample(name);
    const { exported, again, eventId } = await roundTrip(archive);
    expect(again).toEqual(exported);
    expect(exported).toMatchObject({ format: 'kennisdag/event-archive@1', event: { title: archive.event.title, language: archive.event.language } });
    // Nothing of the sample is lost on the way in.
    const texts = (list: { text: string }[]) => list.map((t) => t.text);
    expect(texts(exported.theses as { text: string }[])).toEqual(expect.arrayContaining(texts(archive.theses)));
    expect((exported.participants as unknown[]).length).toBe(archive.participants.length);
    expect((exported.agenda as { notes: unknown[] }[]).map((a) => a.notes.length)).toEqual(archive.agenda.map((a: { notes?: unknown[] }) => a.notes?.length ?? 0));
    const state = await db.rpc<{ theses: { status: string }[]; agenda: unknown[] }>('get_event_state', { p_event_id: eventId }, organiser.caller);
    expect(state.theses.filter((t) => t.status === 'discussed')).toHaveLength(archive.theses.filter((t: { status: string }) => t.status === 'discussed').length);
    expect(state.agenda).toHaveLength(archive.agenda.length);
  });

  it('lists an archive participant only when the archive says listed: true (consent is opt-in)', async () => {
    const archive = {
      event: { title: 'Consent', date: '2026-11-25', language: 'en' },
      participants: [{ name: 'Silent' }, { name: 'Named', listed: true }, { name: 'Declined', listed: false }]
    };
    const { exported } = await roundTrip(archive);
    expect(exported.participants).toEqual([
      { name: 'Silent', organisation: '', role: '', listed: false, invited: true, attended: true },
      { name: 'Named', organisation: '', role: '', listed: true, invited: true, attended: true },
      { name: 'Declined', organisation: '', role: '', listed: false, invited: true, attended: true }
    ]);
    const listed = schema.properties.participants.items.properties.listed;
    expect(listed.default).toBe(false);
    expect(listed.description).toMatch(/not listed/);
  });

  it('keeps poll results from an archive and adds live votes to them', async () => {
    const { exported } = await roundTrip(sample('cioforum-masterclass.en.json'));
    const first = (exported.theses as { polls: { results: number[] }[] }[])[0];
    expect(first.polls[0].results).toEqual([0, 1, 2, 9, 6]);
  });

  it('passes booleans, arrays and JSON to the functions with their types', async () => {
    const event = await db.rpc<{ id: string }>('create_event', { p_title: 'Types', p_language: 'en' }, organiser.caller);
    const a = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: event.id, p_text: 'A' }, organiser.caller);
    const b = await db.rpc<{ id: string }>('submit_thesis', { p_event_id: event.id, p_text: 'B' }, organiser.caller);
    await db.rpc('reorder_theses', { p_event_id: event.id, p_thesis_ids: [b.id, a.id] }, organiser.caller);
    const state = await db.rpc<{ theses: { id: string }[] }>('get_event_state', { p_event_id: event.id }, organiser.caller);
    expect(state.theses.map((t) => t.id)).toEqual([b.id, a.id]);
    const poll = await db.rpc<{ hide_results: boolean; options: string[] }>(
      'open_poll',
      { p_event_id: event.id, p_thesis_id: a.id, p_kind: 'choice', p_options: ['One, with a comma', 'Two "quoted"', 'Drie {accolade}'], p_hide_results: true },
      organiser.caller
    );
    expect(poll.hide_results).toBe(true);
    expect(poll.options).toEqual(['One, with a comma', 'Two "quoted"', 'Drie {accolade}']);
    const updated = await db.rpc<{ allow_llm: boolean }>(
      'update_event',
      { p_event_id: event.id, p_title: 'Types', p_starts_on: '2026-11-25', p_language: 'en', p_question: null, p_venue: null, p_allow_llm: true },
      organiser.caller
    );
    expect(updated.allow_llm).toBe(true);
  });
});
