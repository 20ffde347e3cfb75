import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateArchive } from '../../src/lib/server/events/archive';
import { draftRecap } from '../../src/lib/server/recap/builtin';
import { loadRecapSource } from '../../src/lib/server/recap/source';
import type { SqlDatabase } from '../../src/lib/server/db/types';
import { allBackends, createUser, suiteDatabase, type TestUser } from './helpers';

/**
 * A Dutch round table as it happens (tests/fixtures/guest-day.nl.json): the organiser imports a guest
 * list of twenty; on the day most guests join by code, typing their names every which way, two open
 * their invitation link, one walks in under a nickname and is merged into the guest he is, three do
 * not come, and three people who were not invited walk in. Each person is one participant.
 */
interface ArchivePerson {
  name: string;
  organisation: string;
  role: string;
  email?: string;
  listed: boolean;
  invited: boolean;
  attended: boolean;
}
const fixture = JSON.parse(readFileSync(new URL('../../tests/fixtures/guest-day.nl.json', import.meta.url), 'utf8'));
const today = new Date().toISOString().slice(0, 10);
// The list as it stood before the day, imported on the day itself.
const archive = { ...fixture, event: { ...fixture.event, date: today } };
const guests: ArchivePerson[] = fixture.participants;

/** How each guest joins: the name typed on the phone, whether to pick from the candidates, and consent. */
const byCode: { guest: string; typed: string; pick?: boolean; listed: boolean }[] = [
  ...['Jan de Vries', 'Pieter Bakker', 'Sanne Kuipers', 'Joost Smit', 'Fatima Ouali', 'Daan Visser', 'Inge Meijer', 'Thomas Bos'].map((name) => ({ guest: name, typed: name, listed: true })),
  { guest: 'Ruben Dekker', typed: 'ruben dekker', listed: true },
  { guest: 'Yara Peeters', typed: 'YARA PEETERS', listed: false },
  { guest: 'Ahmed El Amrani', typed: 'A. El Amrani', pick: true, listed: true },
  { guest: 'Marieke van den Berg', typed: 'M. van den Berg', pick: true, listed: true },
  { guest: 'Hendrik-Jan Vos', typed: 'H.J. Vos', pick: true, listed: true },
  { guest: 'Éva Ébène', typed: 'Eva Ebene', pick: true, listed: true }
];
const byInvitation = ['Lotte de Graaf', 'Noor Hendriks'];
const noShows = ['Bram Mulder', 'Sophie de Wit', 'Anouk Willems'];
const walkIns = [
  { name: 'Karin Smeets', organisation: 'Deloitte', role: 'partner cyber', listed: true },
  { name: 'Rob Verhoeven', organisation: 'TNO', role: 'onderzoeker', listed: false },
  { name: 'Lisa de Boer', organisation: 'NCSC', role: 'analist', listed: true }
];

describe.each(allBackends)('a day of invited guests joining by code on $name', (backend) => {
  let db: SqlDatabase;
  let organiser: TestUser;
  let eventId: string;
  let code: string;

  suiteDatabase(backend, async (suite) => {
    ({ db, organiser } = suite);
    const event = await db.rpc<{ id: string; join_code: string }>('import_event', { p_archive: validateArchive(archive) }, organiser.caller);
    eventId = event.id;
    code = event.join_code;
    const phone = () => createUser(db, { anonymous: true });

    for (const join of byCode) {
      const user = await phone();
      let guestId: string | undefined;
      if (join.pick) {
        const candidates = await db.rpc<{ id: string; name: string }[]>('find_guests', { p_code: code, p_name: join.typed }, user.caller);
        guestId = candidates.find((c) => c.name === join.guest)?.id;
        expect(guestId, join.typed).toBeDefined();
      }
      await db.rpc('join_event', { p_code: code, p_name: join.typed, p_listed: join.listed, ...(guestId ? { p_guest_id: guestId } : {}) }, user.caller);
    }
    const list = await db.rpc<{ name: string; token: string; id: string }[]>('list_guests', { p_event_id: eventId }, organiser.caller);
    for (const name of byInvitation) {
      await db.rpc('accept_invitation', { p_token: list.find((g) => g.name === name)!.token, p_listed: true }, (await phone()).caller);
    }
    // Cornelis Jansen types the name everybody calls him: no guest fits, so he walks in; the organiser merges him.
    const kees = await phone();
    expect(await db.rpc('find_guests', { p_code: code, p_name: 'Kees Jansen' }, kees.caller)).toEqual([]);
    const keesWalkIn = await db.rpc<{ id: string }>('join_event', { p_code: code, p_name: 'Kees Jansen', p_organisation: 'Heijmans', p_listed: true }, kees.caller);
    await db.rpc('merge_members', { p_keep_member_id: list.find((g) => g.name === 'Cornelis Jansen')!.id, p_merge_member_id: keesWalkIn.id }, organiser.caller);
    for (const walkIn of walkIns) {
      await db.rpc('join_event', { p_code: code, p_name: walkIn.name, p_organisation: walkIn.organisation, p_job_title: walkIn.role, p_listed: walkIn.listed }, (await phone()).caller);
    }
    // A second phone trying Jan de Vries's name is refused: he is in the room once.
    await expect(db.rpc('join_event', { p_code: code, p_name: 'jan de vries' }, (await phone()).caller)).rejects.toMatchObject({ status: 409 });
  }, { organiser: { name: 'Olga Organisator' }, timeout: 120_000 });

  it('has every guest once on the guest list, with attendance as the day went', async () => {
    const list = await db.rpc<{ name: string; claimed: boolean; attended: boolean }[]>('list_guests', { p_event_id: eventId }, organiser.caller);
    expect(list.map((g) => g.name)).toEqual(guests.map((g) => g.name));
    expect(list.filter((g) => !g.attended).map((g) => g.name)).toEqual(noShows);
    expect(list.filter((g) => g.claimed).length).toBe(guests.length - noShows.length);
    const members = await db.rpc<{ name: string }[]>('list_members', { p_event_id: eventId }, organiser.caller);
    expect(members).toHaveLength(guests.length + walkIns.length + 1);
    expect(new Set(members.map((m) => m.name)).size).toBe(members.length);
  });

  it('lists each person once in the recap, with organisation and job title, and counts people', async () => {
    const { markdown } = draftRecap(await loadRecapSource({ db, caller: organiser.caller }, eventId));
    const attended = guests.filter((g) => !noShows.includes(g.name));
    expect(attended.length + walkIns.length).toBe(20);
    expect(markdown).toContain('20 deelnemers');
    const unlisted = ['Yara Peeters', 'Rob Verhoeven'];
    const rows = [...attended.map((g) => ({ name: g.name, organisation: g.organisation, role: g.role })), ...walkIns].filter((p) => !unlisted.includes(p.name));
    for (const person of rows) {
      expect(markdown.split(`| ${person.name} |`).length - 1, person.name).toBe(1);
      expect(markdown).toContain(`| ${person.name} | ${person.organisation} | ${person.role} |`);
    }
    const table = markdown.slice(markdown.indexOf('## Deelnemers'), markdown.indexOf('<!-- /section -->', markdown.indexOf('## Deelnemers')));
    expect(table.match(/^\| (?!Naam|---)/gm)).toHaveLength(rows.length);
    expect(table).toMatch(/En (2|twee) andere deelnemers\./);
    for (const name of [...noShows, ...unlisted, 'Kees Jansen']) expect(markdown, name).not.toContain(name);
  });

  it('exports the guest list once, with attendance, consent and addresses, and imports it again as it was', async () => {
    const exported = await db.rpc<{ participants: ArchivePerson[] }>('export_event', { p_event_id: eventId }, organiser.caller);
    const people = exported.participants;
    expect(people).toHaveLength(guests.length + walkIns.length);
    expect(new Set(people.map((p) => p.name)).size).toBe(people.length);
    for (const guest of guests) {
      expect(people.find((p) => p.name === guest.name), guest.name).toEqual({
        ...guest,
        listed: ![...noShows, 'Yara Peeters'].includes(guest.name),
        attended: !noShows.includes(guest.name)
      });
    }
    for (const walkIn of walkIns) expect(people.find((p) => p.name === walkIn.name)).toEqual({ ...walkIn, invited: false, attended: true });
    validateArchive(exported);
    const again = await db.rpc<{ id: string }>('import_event', { p_archive: exported }, organiser.caller);
    const reexported = await db.rpc<{ participants: ArchivePerson[] }>('export_event', { p_event_id: again.id }, organiser.caller);
    expect(reexported.participants).toEqual(people);
  });
});
