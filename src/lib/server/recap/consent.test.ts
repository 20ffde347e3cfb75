import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../../../supabase/tests/helpers';
import { docxText, pdfText } from '../../../../tests/helpers/files';
import { PgliteDatabase } from '../db/pglite';
import { addMember, listMembers } from '../events/events';
import { listNotes } from '../notes/notes';
import { applyConsent, sameName } from './consent';
import { draftRecapVersion } from './drafting';
import { exportRecap } from './exports';
import type { ProseRequest, ProseWriter } from './llm';
import { recapHtml } from './render-html';
import { getPublishedRecap, publishRecap } from './versions';

describe('matching a quote’s speaker to a member', () => {
  it.each([
    ['Hidde Hidden', 'Hidde Hidden'],
    ['hidde hidden', 'Hidde Hidden'],
    ['  HIDDE   HIDDEN ', 'Hidde Hidden'],
    ['Hidde Hídden', 'Hidde Hidden'],
    ['Eva Ebene', 'Éva Ébène'],
    ['H. Hidden', 'Hidde Hidden'],
    ['H Hidden', 'Hidde Hidden'],
    ['h.j. hidden', 'Hidde Hidden'],
    ['F. van den Broek', 'Freek van den Broek'],
    ['A.M. Jansen', 'Anna Maria Jansen']
  ])('takes “%s” for %s', (speaker, member) => {
    expect(sameName(speaker, member)).toBe(true);
  });

  it.each([
    ['Hans Hidden', 'Hidde Hidden'],
    ['Hidden', 'Hidde Hidden'],
    ['Hidde', 'Hidde Hidden'],
    ['K. Hidden', 'Hidde Hidden'],
    ['F. Broek', 'Freek van den Broek'],
    ['Lotte Listed', 'Hidde Hidden']
  ])('does not take “%s” for %s', (speaker, member) => {
    expect(sameName(speaker, member)).toBe(false);
  });
});

/** A discussed thesis with quotes of a consenting and of non-consenting members, written every way a note-taker might. */
const archive = {
  format: 'kennisdag/event-archive@1',
  event: { title: 'Consent day', date: '2026-11-25', language: 'en', chair: 'Chris Chair', organisers: ['Zorgnet'] },
  participants: [
    { name: 'Hidde Hidden', organisation: 'Kliniek' },
    { name: 'Lotte Listed', organisation: 'Ziekenhuis', listed: true },
    { name: 'Éva Ébène', organisation: 'Lab', listed: false },
    { name: 'Freek van den Broek', organisation: 'DSM' },
    { name: 'Sam Speaker', organisation: 'Uni' }
  ],
  agenda: [{ title: 'Keynote', kind: 'talk', speaker: 'Sam Speaker', notes: [{ kind: 'quote', text: 'Talks matter.', author: 'Sam Speaker' }] }],
  theses: [
    {
      text: 'AI will not replace doctors.',
      status: 'discussed',
      notes: [
        { kind: 'note', text: 'Hidde Hidden said radiology changes first, and h. hidden repeated it.' },
        { kind: 'quote', text: 'Doctors who use AI replace those who do not.', author: 'h. hidden' },
        { kind: 'quote', text: 'Radiology goes first.', author: '  HIDDE   HIDDEN ' },
        { kind: 'quote', text: 'Accents should not help anyone hide.', author: 'Eva Ebene' },
        { kind: 'quote', text: 'Particles count too.', author: 'F. van den Broek' },
        { kind: 'quote', text: 'Liability comes first.', author: 'Lotte Listed' }
      ]
    }
  ]
};
const withheld = /hidde|hidden|(?<!\p{L})[ée]va(?!\p{L})|[ée]b[èe]ne|broek/iu;

describe('consent in the recap', () => {
  let db: PgliteDatabase;
  let organiser: TestUser;
  let eventId: string;
  const sent: ProseRequest[] = [];
  const writer: ProseWriter = {
    async write(request) {
      sent.push(request);
      return { sections: [], conclusions: [] };
    }
  };

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    organiser = await createUser(db, { name: 'Olga', organiser: true });
    eventId = (await db.rpc<{ id: string }>('import_event', { p_archive: archive }, organiser.caller)).id;
    await db.rpc('update_event', { p_event_id: eventId, p_title: 'Consent day', p_starts_on: '2026-11-25', p_language: 'en', p_question: null, p_venue: null, p_allow_llm: true }, organiser.caller);
  });
  afterAll(() => db.close());

  const actor = () => ({ db, caller: organiser.caller });

  it('lists only who consented: an archive participant or an added member without “listed” is not listed', async () => {
    await addMember(actor(), eventId, { name: 'Added Without Listed' });
    await addMember(actor(), eventId, { name: 'Added Listed', listed: true });
    const members = await listMembers(actor(), eventId);
    const listed = Object.fromEntries(members.map((m) => [m.name, m.listed]));
    expect(listed).toMatchObject({
      'Hidde Hidden': false,
      'Lotte Listed': true,
      'Éva Ébène': false,
      'Freek van den Broek': false,
      'Added Without Listed': false,
      'Added Listed': true
    });
  });

  it('attributes the quotes of members who did not consent to “a participant” in every output, and keeps the names for the staff', async () => {
    const draft = await draftRecapVersion(actor(), eventId, { engine: 'builtin' }, null);
    const markdown = draft.markdown;
    expect(markdown).not.toMatch(withheld);
    expect(markdown.match(/— a participant/g)).toHaveLength(4);
    expect(markdown).toContain('“Liability comes first.” — Lotte Listed');
    // Speakers on the programme and the chair are named in the recap anyway.
    expect(markdown).toContain('“Talks matter.” — Sam Speaker');
    expect(markdown).toContain('A participant said radiology changes first, and a participant repeated it.');

    const meta = { title: 'Consent day', titleSlug: 'consent-day', language: 'en' as const };
    const outputs = {
      md: (await exportRecap(markdown, 'md', meta)).body as string,
      // The stylesheet says "overflow: hidden"; the names are looked for in the document itself.
      html: ((await exportRecap(markdown, 'html', meta)).body as string).replace(/<style>[\s\S]*?<\/style>/, ''),
      pdf: pdfText((await exportRecap(markdown, 'pdf', meta)).body as Buffer),
      docx: docxText((await exportRecap(markdown, 'docx', meta)).body as Buffer)
    };
    for (const [format, text] of Object.entries(outputs)) {
      expect(text, format).not.toMatch(withheld);
      expect(text, format).toContain('Lotte Listed');
      expect(text.replace(/\s+/g, ' '), format).toContain('— a participant');
    }
    const published = await publishRecap(actor(), { recapId: draft.recapId });
    const page = recapHtml((await getPublishedRecap(db, published.slug!)).markdown);
    expect(page).not.toMatch(withheld);
    expect(page).toContain('— a participant');

    const notes = await listNotes(actor(), eventId);
    expect(notes.map((n) => n.speaker)).toEqual(expect.arrayContaining(['h. hidden', 'Eva Ebene', 'F. van den Broek']));
  });

  it('sends the language model the same consented notes', async () => {
    const draft = await draftRecapVersion(actor(), eventId, { engine: 'llm' }, writer);
    expect(draft.engine).toBe('llm');
    // One request per section: together they hold every note, with consent applied.
    expect(sent.length).toBeGreaterThan(0);
    const request = JSON.stringify(sent);
    expect(request).not.toMatch(withheld);
    expect(request).toContain('Lotte Listed');
    const speakers = sent.flatMap((r) => r.sections).flatMap((s) => s.notes.map((n) => n.speaker)).filter(Boolean);
    expect(speakers).toEqual(['Sam Speaker', 'a participant', 'a participant', 'a participant', 'a participant', 'Lotte Listed']);
  });

  it('leaves a consenting member’s longer name alone when a shorter one is withheld', () => {
    const source = applyConsent({
      event: { id: 'e', title: 'Day', titleSlug: 'day', question: null, date: null, venue: null, language: 'en', organisers: [], chair: null, author: null, photosUrl: null, allowLlm: false },
      members: [
        { name: 'Jan Jansen', organisation: '', jobTitle: '', listed: false, role: 'participant', hasAccount: false },
        { name: 'Jan Jansen-Smit', organisation: '', jobTitle: '', listed: true, role: 'participant', hasAccount: false }
      ],
      agenda: [],
      theses: [
        {
          id: 't',
          text: 'Thesis',
          status: 'discussed',
          discussedOrder: 1,
          position: 0,
          polls: [],
          notes: [
            { id: 'a', kind: 'note', text: 'Jan Jansen-Smit agreed with Jan Jansen.', speaker: null },
            { id: 'b', kind: 'quote', text: 'Yes.', speaker: 'Jan Jansen-Smit' },
            { id: 'c', kind: 'quote', text: 'No.', speaker: 'Jan Jansen, Acme' }
          ]
        }
      ]
    });
    expect(source.theses[0].notes.map((n) => [n.text, n.speaker])).toEqual([
      ['Jan Jansen-Smit agreed with a participant.', null],
      ['Yes.', 'Jan Jansen-Smit'],
      ['No.', 'a participant, Acme']
    ]);
  });

  it('writes “een deelnemer” in a Dutch recap', () => {
    const source = applyConsent({
      event: { id: 'e', title: 'Dag', titleSlug: 'dag', question: null, date: null, venue: null, language: 'nl', organisers: [], chair: null, author: null, photosUrl: null, allowLlm: false },
      members: [{ name: 'Hidde Hidden', organisation: '', jobTitle: '', listed: false, role: 'participant', hasAccount: false }],
      agenda: [],
      theses: [
        {
          id: 't',
          text: 'Stelling',
          status: 'discussed',
          discussedOrder: 1,
          position: 0,
          polls: [],
          notes: [{ id: 'n', kind: 'quote', text: 'Zo is het.', speaker: 'H. Hidden' }]
        }
      ]
    });
    expect(source.theses[0].notes[0].speaker).toBe('een deelnemer');
  });
});
