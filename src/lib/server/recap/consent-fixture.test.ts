import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../../supabase/tests/helpers';
import { pdfText, unzip } from '../../../../tests/helpers/files';
import { PgliteDatabase } from '../db/pglite';
import { draftRecap } from './builtin';
import { exportRecap } from './exports';
import { saveGlossary } from './glossary';
import { recapHtml } from './render-html';
import { loadRecapSource } from './source';
import { getPublishedRecap, publishRecap, saveRecapVersion } from './versions';

/**
 * Consent on the fixture day of terse notes: quotes by guests who consented to be listed keep their
 * name; a quote by a guest who did not is attributed to "een deelnemer" / "a participant", and that
 * guest's name is in no output (Markdown, HTML, PDF text, DOCX XML, the public page).
 */
const days = [
  { file: 'terse-notes.nl.json', glossary: 'SM = sociale media', listed: ['Joost Verhagen', 'Sanne Kuipers', 'Ellen Vos', 'Bram de Wit'], unlisted: ['Pieter Jansen', 'Fatima El Amrani'], someone: 'een deelnemer' },
  { file: 'terse-notes.en.json', glossary: 'RTO = return to office', listed: ['Tom Becker', 'Priya Shah', 'Lucas Meyer'], unlisted: ['Daniel Novak', 'Grace Okafor'], someone: 'a participant' }
];

describe.each(days)('consent on the day of terse notes ($file)', (day) => {
  let db: PgliteDatabase;
  let markdown: string;
  let outputs: Record<string, string>;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    const organiser = await createUser(db, { name: 'Olga', organiser: true });
    const actor = { db, caller: organiser.caller };
    const archive = JSON.parse(readFileSync(new URL(`../../../../tests/fixtures/${day.file}`, import.meta.url), 'utf8'));
    const event = await db.rpc<{ id: string }>('import_event', { p_archive: archive }, organiser.caller);
    await saveGlossary(actor, event.id, { terms: day.glossary });
    const source = await loadRecapSource(actor, event.id);
    markdown = draftRecap(source).markdown;
    const meta = { title: source.event.title, titleSlug: source.event.titleSlug, language: source.event.language };
    const saved = await saveRecapVersion(actor, event.id, markdown, 'builtin');
    const published = await publishRecap(actor, { recapId: saved.id });
    outputs = {
      markdown: (await exportRecap(markdown, 'md', meta)).body as string,
      html: (await exportRecap(markdown, 'html', meta)).body as string,
      pdf: pdfText((await exportRecap(markdown, 'pdf', meta)).body as Buffer).replace(/\s+/g, ' '),
      docx: unzip((await exportRecap(markdown, 'docx', meta)).body as Buffer, 'word/document.xml'),
      public: recapHtml((await getPublishedRecap(db, published.slug!)).markdown)
    };
  });
  afterAll(() => db.close());

  it('keeps the names of guests who consented on their quotes', () => {
    const quotes = markdown.split('\n').filter((line) => line.startsWith('> “'));
    for (const name of day.listed.filter((n) => quotes.some((q) => q.includes(n)))) expect(quotes.some((q) => q.endsWith(`— ${name}`))).toBe(true);
    expect(quotes.filter((q) => day.listed.some((n) => q.endsWith(`— ${n}`))).length).toBeGreaterThanOrEqual(2);
  });

  it('attributes a quote by a guest who did not consent to a participant, and names that guest nowhere', () => {
    const quotes = markdown.split('\n').filter((line) => line.startsWith('> “'));
    expect(quotes.filter((q) => q.endsWith(`— ${day.someone}`)).length).toBeGreaterThanOrEqual(2);
    for (const [format, text] of Object.entries(outputs)) {
      for (const name of day.unlisted) {
        expect(text, `${name} in ${format}`).not.toContain(name);
        expect(text, `${name} in ${format}`).not.toContain(name.split(' ').at(-1)!);
      }
    }
  });
});
