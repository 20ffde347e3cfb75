import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../../../supabase/tests/helpers';
import { fixture as sample, fixtureNames } from '../../../../tests/fixtures';
import { docxText, pdfText, unzip } from '../../../../tests/helpers/files';
import { PgliteDatabase } from '../db/pglite';
import { draftRecap } from './builtin';
import { exportRecap } from './exports';
import { recapHtml } from './render-html';
import { replaceSection, sectionsOf } from './sections';
import { loadRecapSource, type RecapSource } from './source';

/** The text of a section: from its heading to the next heading of the same or a higher level. */
function sectionAfter(markdown: string, heading: RegExp): string {
  const match = heading.exec(markdown);
  if (!match) return '';
  const level = /^#+/.exec(match[0])![0].length;
  const rest = markdown.slice(match.index + match[0].length);
  const next = new RegExp(`^#{1,${level}} `, 'm').exec(rest);
  return match[0] + (next ? rest.slice(0, next.index) : rest);
}

const longWords = (text: string) => new Set(text.toLowerCase().match(/[a-zà-ÿ]{6,}/g) ?? []);

describe('the recap', () => {
  let db: PgliteDatabase;
  let organiser: TestUser;
  const sources: Record<string, RecapSource> = {};

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    organiser = await createUser(db, { name: 'Olga', organiser: true });
    for (const name of fixtureNames) {
      const event = await db.rpc<{ id: string }>('import_event', { p_archive: sample(name) }, organiser.caller);
      sources[name] = await loadRecapSource({ db, caller: organiser.caller }, event.id);
    }
  });
  afterAll(() => db.close());

  it.each(fixtureNames)('drafts %s completely: every section, every thesis in order, every note', (name) => {
    const archive = sample(name);
    const nl = archive.event.language === 'nl';
    const { markdown } = draftRecap(sources[name]);
    const words = nl
      ? ['## Inleiding', '## Programma', '## Deelnemers', '## Niet behandelde stellingen', '## Conclusies']
      : ['## Introduction', '## Agenda', '## Participants', '## Theses not discussed', '## Conclusions'];
    for (const heading of words) expect(markdown).toContain(heading);
    expect(markdown).toContain(`# ${archive.event.title}`);
    expect(markdown).toContain(archive.event.question);

    const discussed = archive.theses.filter((t: { status: string }) => t.status === 'discussed');
    let last = -1;
    discussed.forEach((thesis: { text: string; notes: { text: string }[]; polls?: { kind: string; results?: number[] }[] }, i: number) => {
      const at = markdown.indexOf(thesis.text);
      expect(at).toBeGreaterThan(last);
      last = at;
      const section = sectionAfter(markdown, new RegExp(`^### ${nl ? 'Stelling' : 'Thesis'} ${i + 1}: .*$`, 'm'));
      expect(section).toContain(thesis.text);
      for (const word of longWords(thesis.notes.map((n) => n.text).join(' '))) expect(section.toLowerCase()).toContain(word);
      // Discussion reads as paragraphs, not as a list of notes.
      expect(section.split('\n').filter((line) => /^[-*] /.test(line))).toEqual([]);
      const agree5 = thesis.polls?.find((p) => p.kind === 'agree5' && p.results);
      if (agree5) {
        const r = agree5.results!;
        const total = r.reduce((a, b) => a + b, 0);
        expect(section).toContain(`${Math.round((100 * (r[3] + r[4])) / total)}%`);
        expect(section).toContain(`${total} voters`);
      } else if (!thesis.polls?.some((p) => p.results)) {
        // No poll, no vote sentence: nothing about votes that did not happen.
        expect(section).not.toMatch(/vote|%/i);
      }
    });
    for (const thesis of archive.theses.filter((t: { status: string }) => t.status !== 'discussed')) {
      expect(sectionAfter(markdown, /^## (Theses not discussed|Niet behandelde stellingen)$/m)).toContain(thesis.text);
    }
    // A quote keeps its speaker's name when the recap may print it (a consenting participant, a speaker
    // on the programme, the chair); anyone else is "a participant". The archive lists nobody: opt-in.
    const named = new Set<string>([...archive.agenda.map((a: { speaker?: string }) => a.speaker), archive.event.chair].filter(Boolean));
    const withheld = archive.participants.map((p: { name: string }) => p.name).filter((n: string) => !named.has(n));
    for (const item of archive.agenda) {
      for (const note of item.notes ?? []) {
        for (const word of longWords(note.text)) expect(markdown.toLowerCase()).toContain(word);
        if (note.kind === 'quote' && note.author) expect(markdown).toContain(`— ${named.has(note.author) ? note.author : nl ? 'een deelnemer' : 'a participant'}`);
      }
    }
    for (const name of withheld) expect(markdown).not.toContain(name);
    // Only consenting participants are named; the importing organiser is not a participant of the day.
    expect(markdown).not.toContain('Olga');
  });

  it('writes the English numbers exactly, with the choice poll as counts and shares', () => {
    const { markdown } = draftRecap(sources['cioforum-masterclass.en.json']);
    expect(markdown).toContain('Of 18 voters, 15 (83%) agreed, 1 (6%) disagreed and 2 (11%) were neutral.');
    expect(markdown).toContain('Of 18 voters: Yes 2 (11%), Partly 5 (28%), No 11 (61%).');
    expect(markdown).toContain('Strong agreement with thesis 1');
    expect(markdown).toMatch(/```chart\nStrongly disagree \| 0\nDisagree \| 1\nNeutral \| 2\nAgree \| 9\nStrongly agree \| 6\n```/);
  });

  it('is deterministic, and redrafts one section without touching edits elsewhere', () => {
    const source = sources['cioforum-masterclass.en.json'];
    const { markdown } = draftRecap(source);
    expect(draftRecap(source).markdown).toBe(markdown);
    const edited = markdown.replace('## Introduction', '## Introduction\n\nAn editor’s own sentence.');
    const key = [...sectionsOf(markdown).keys()].find((k) => k.startsWith('thesis:'))!;
    const broken = edited.replace(/(### Thesis 1: .*)/, '$1\n\nSomething wrong.');
    const fixed = replaceSection(broken, key, sectionsOf(markdown).get(key)!)!;
    expect(fixed).toContain('An editor’s own sentence.');
    expect(fixed).not.toContain('Something wrong.');
    expect(replaceSection(markdown, 'thesis:00000000-0000-4000-8000-000000000000', 'x')).toBeNull();
  });

  it('exports PDF and DOCX with the same headings and theses as the Markdown, charts included', async () => {
    const source = sources['cioforum-masterclass.en.json'];
    const { markdown } = draftRecap(source);
    const meta = { title: source.event.title, titleSlug: source.event.titleSlug, language: source.event.language };
    const headings = [...markdown.matchAll(/^#{1,3} (.+)$/gm)].map((m) => m[1]);
    expect(headings.length).toBeGreaterThan(8);

    const pdf = await exportRecap(markdown, 'pdf', meta);
    const text = pdfText(pdf.body as Buffer).replace(/\s+/g, ' ');
    for (const heading of headings) expect(text).toContain(heading.replace(/\s+/g, ' ').slice(0, 40));
    expect(text).toContain('9 (50%)'); // a chart bar's label

    const docx = await exportRecap(markdown, 'docx', meta);
    const xml = unzip(docx.body as Buffer, 'word/document.xml');
    const docText = docxText(docx.body as Buffer);
    for (const heading of headings) expect(docText).toContain(heading);
    expect(xml.match(/<w:pStyle w:val="Heading1"\/>/g)).toHaveLength(1);
    expect(xml.match(/<w:outlineLvl w:val="0"\/>/g)).toHaveLength(1);
    expect((xml.match(/<w:outlineLvl w:val="2"\/>/g) ?? []).length).toBe(5);
    expect((xml.match(/<w:pStyle w:val="Heading3"\/>/g) ?? []).length).toBe(5);
    // The bars are images inside the chart tables (their widths are checked on rendered pages in documents-render.test.ts).
    expect(xml).toMatch(/<w:tbl>(?:(?!<\/w:tbl>)[\s\S])*<w:drawing>/);

    const md = await exportRecap(markdown, 'md', meta);
    expect(md.body).not.toContain('<!-- section');
    expect(md.filename).toBe('masterclass-social-media-inside-and-outside-the-enterprise.md');
  });

  it('renders user text inert in HTML', async () => {
    const hostile = [
      '# Recap',
      '',
      'A note with <script>alert(1)</script> and <img src=x onerror=alert(2)> and [a link](javascript:alert(3)).',
      '',
      '> “<iframe src=https://evil.example></iframe>” — <b onclick=alert(4)>Mallory</b>',
      '',
      '```chart',
      '<svg onload=alert(5)> | 3',
      '```'
    ].join('\n');
    const html = recapHtml(hostile);
    expect(html).not.toMatch(/<(script|iframe|img|svg)|<[^>]*\son\w+=|href="javascript/i);
    expect(html).toContain('Mallory');
    const document = (await exportRecap(hostile, 'html', { title: '<script>x</script>', titleSlug: 'script-x-script', language: 'en' })).body as string;
    expect(document).not.toMatch(/<script>/i);
    expect(document).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});
