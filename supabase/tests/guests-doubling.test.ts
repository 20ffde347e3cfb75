import { describe, expect, it } from 'vitest';
import { draftRecap } from '../../src/lib/server/recap/builtin';
import { loadRecapSource } from '../../src/lib/server/recap/source';
import type { SqlDatabase } from '../../src/lib/server/db/types';
import { allBackends, createUser, suiteDatabase, type TestUser } from './helpers';

/**
 * An imported guest list whose guests then join on their phones by code: each guest is one person,
 * in the export, in the participants table and in the introduction's count.
 */
const today = new Date().toISOString().slice(0, 10);
const guests = ['Jan de Vries', 'Éva Ébène', 'Pieter Bakker', 'Sanne Kuipers', 'Ahmed El Amrani'];
const archive = {
  format: 'kennisdag/event-archive@1',
  event: { title: 'Gastendag', date: today, language: 'nl', organisers: ['Kennisnetwerk'] },
  participants: guests.map((name, i) => ({ name, organisation: `Organisatie ${i + 1}`, role: `Functie ${i + 1}` }))
};

describe.each(allBackends)('an imported guest list joining by code on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let eventId: string;

  suiteDatabase(backend, async (suite) => {
    ({ db, organiser } = suite);
    const event = await db.rpc<{ id: string; join_code: string }>('import_event', { p_archive: archive }, organiser.caller);
    eventId = event.id;
    for (const name of guests) {
      const phone = await createUser(db, { anonymous: true });
      await db.rpc('join_event', { p_code: event.join_code, p_name: name, p_listed: true }, phone.caller);
    }
    const walkIn = await createUser(db, { anonymous: true });
    await db.rpc('join_event', { p_code: event.join_code, p_name: 'Walter Walk-in', p_listed: true }, walkIn.caller);
  });

  it('exports each guest once', async () => {
    const exported = await db.rpc<{ participants: { name: string }[] }>('export_event', { p_event_id: eventId }, organiser.caller);
    expect(exported.participants.map((p) => p.name).sort()).toEqual([...guests, 'Walter Walk-in'].sort());
  });

  it('lists each person once in the recap and counts people in the introduction', async () => {
    const source = await loadRecapSource({ db, caller: organiser.caller }, eventId);
    const { markdown } = draftRecap(source);
    for (const [i, name] of guests.entries()) {
      expect(markdown.split(name).length - 1, name).toBe(1);
      // The guest list's organisation and job title stand beside the name the phone claimed.
      expect(markdown).toContain(`| ${name} | Organisatie ${i + 1} | Functie ${i + 1} |`);
    }
    expect(markdown).not.toMatch(/andere deelnemer/);
    expect(markdown).toMatch(/zes deelnemers/);
    expect(markdown).not.toMatch(/elf deelnemers|11 deelnemers/);
  });
});
