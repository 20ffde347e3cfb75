import { readFileSync } from 'node:fs';
import type { NoteKind } from '../../domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../../supabase/tests/helpers';
import { ends, pointWords, proseParagraphs, saysAll, sectionText, sentencesOf, shortShare, wordIn, type Language } from '../../../../tests/helpers/prose-checks';
import { PgliteDatabase } from '../db/pglite';
import { draftRecap } from './builtin';
import { saveGlossary } from './glossary';
import { wordsOf } from './likeness';
import { conclusionSentences, discussionParagraphs, joiningWords, proseContext, quoteNotes } from './prose';
import { expandShorthand, shorthandIn, shorthandVocabulary } from './shorthand';
import { loadRecapSource, type RecapSource } from './source';
import { recapWords } from './words';

/**
 * A day as note-takers really type it (tests/fixtures/terse-notes.*.json): terse fragments from two
 * note-takers, shorthand, typos, reordered duplicates, a note ending in ")", a question, quotes, a
 * before/after vote, a talk and a closing. The draft must read as edited prose and lose nothing.
 */
interface ArchiveNote {
  kind: NoteKind;
  text: string;
  author?: string;
}
interface Archive {
  event: { language: Language };
  agenda: { title: string; kind: string; notes?: ArchiveNote[] }[];
  theses: { text: string; status: string; notes?: ArchiveNote[] }[];
}

const fixture = (name: string): Archive => JSON.parse(readFileSync(new URL(`../../../../tests/fixtures/${name}`, import.meta.url), 'utf8'));

const days = {
  nl: { file: 'terse-notes.nl.json', glossary: 'SM = sociale media\nAVG = Algemene verordening gegevensbescherming' },
  en: { file: 'terse-notes.en.json', glossary: 'RTO = return to office' }
} as const;

/** The shorthand in the fixtures, as a reader would still see it if it were left. */
const shorthandSeen: Record<Language, RegExp[]> = {
  nl: [/\bipv\b/i, /i\.p\.v\./i, /\bbv\b/, /\bmbv\b/i, /\bv\b/, /t\.a\.v\./i, /\bdwz\b/i, /\bivm\b/i, /\bSM\b/i, /\bAVG\b/, /->/, /\s=\s/, /\s>\s/, /\s\+\s/, /\s&\s/, /\bw\//],
  en: [/\be\.g\./i, /\beg\b/i, /\bw\//, /\bw\/o\b/, /\bb\/c\b/, /\bppl\b/i, /\bvs\b/i, /\bapprox\b/i, /\besp\b/i, /\bRTO\b/, /\b(Mon|Tues|Thurs|Fri)\b/, /->/, /\s=\s/, /\s>\s/, /\s&\s/, /\s\+\s/]
};

/** The sentences the vote counts make (the same words for every poll, with other numbers). */
const voteSentence = /^(Er (werd|werden) [\d.]+ stemm?e?n?|De instemming|Het gemiddelde|Of [\d,]+ voters?|The average|Agreement (went|was))/;

describe.each(['nl', 'en'] as const)('the built-in draft of a day of terse notes (%s)', (language) => {
  let db: PgliteDatabase;
  let source: RecapSource;
  let markdown: string;
  const archive = fixture(days[language].file);
  // Every section with notes: the talk, the discussed theses and the closing.
  const sections = [
    ...archive.agenda.filter((a) => a.notes?.length).map((a) => ({ heading: a.title, notes: a.notes!, closing: a.kind !== 'talk' })),
    ...archive.theses.filter((t) => t.status === 'discussed').map((t) => ({ heading: t.text, notes: t.notes ?? [], closing: false }))
  ];
  const text = (heading: string, closing: boolean) => sectionText(markdown, closing ? (language === 'nl' ? 'Afsluiting' : 'Closing') : heading);

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    const organiser = await createUser(db, { name: 'Olga', organiser: true });
    const actor = { db, caller: organiser.caller };
    const event = await db.rpc<{ id: string }>('import_event', { p_archive: archive }, organiser.caller);
    await saveGlossary(actor, event.id, { terms: days[language].glossary });
    source = await loadRecapSource(actor, event.id);
    markdown = draftRecap(source).markdown;
  });
  afterAll(() => db.close());

  it('keeps every point of the notes, quotes and conclusions', () => {
    for (const { heading, notes, closing } of sections) {
      const body = text(heading, closing);
      for (const note of notes) {
        const expanded = expandShorthand(note.text, language, source.glossary);
        const missing = pointWords(expanded).filter((w) => !wordIn(w, body, language));
        expect(missing, `“${note.text}” in ${heading}`).toEqual([]);
      }
    }
  });

  it('says each point once, however the two note-takers spelled or ordered it', () => {
    for (const { heading, closing } of sections) {
      const sentences = proseParagraphs(text(heading, closing))
        .flatMap(sentencesOf)
        .filter((s) => !voteSentence.test(s));
      for (const [i, a] of sentences.entries()) {
        for (const b of sentences.slice(i + 1)) {
          expect(saysAll(a, b, language) || saysAll(b, a, language), `“${a}” / “${b}”`).toBe(false);
        }
      }
    }
    const once = (heading: string, pattern: RegExp) => expect((text(heading, false).match(pattern) ?? []).length, String(pattern)).toBe(1);
    if (language === 'nl') {
      const [talk, thesis1] = [archive.agenda[1].title, archive.theses[0].text];
      once(talk, /twitter sneller dan NOS/gi);
      once(talk, /in een crisis wint/gi);
      once(thesis1, /jongeren zien sociale media als normaal/gi);
      once(thesis1, /info zoeken/gi);
      expect(text(thesis1, false)).toMatch(/googelen|googlen/);
    } else {
      const [talk, thesis1] = [archive.agenda[1].title, archive.theses[0].text];
      once(talk, /\bpeak\b/gi);
      once(thesis1, /anchor days meet more/gi);
      once(thesis1, /stay home/gi);
    }
  });

  it('leaves no shorthand: the built-in list and the event’s glossary are written out', () => {
    for (const { heading, closing } of sections) {
      const body = text(heading, closing).replace(/^### .*$/m, '').replace(/^> /gm, '');
      for (const pattern of shorthandSeen[language]) expect(body, String(pattern)).not.toMatch(pattern);
      expect(shorthandIn(body, language, source.glossary)).toEqual([]);
    }
    expect(markdown).toContain(language === 'nl' ? 'sociale media' : 'return to office');
  });

  it('ends every sentence, also after “)” or a quote, and keeps fragments under six words below 10%', () => {
    const sentences = sections.flatMap(({ heading, closing }) => proseParagraphs(text(heading, closing)).flatMap(sentencesOf));
    expect(sentences.length).toBeGreaterThan(12);
    expect(sentences.filter((s) => !ends(s))).toEqual([]);
    expect(shortShare(sentences)).toBeLessThan(0.1);
    for (const line of markdown.split('\n').filter((l) => l.startsWith('> “'))) expect(line).toMatch(/[.!?…]” — /);
    expect(markdown).toContain(language === 'nl' ? '(bijvoorbeeld KPN-storing vorig jaar).' : '(mentoring by osmosis).');
  });

  it('puts a question as a question from the room', () => {
    expect(markdown).toContain(language === 'nl' ? 'Uit de zaal kwam de vraag: hoe meet je of opleiden echt werkt?' : 'One question from the room was: who decides the anchor day, the team or the company?');
  });

  it('invents nothing: every word of a drafted paragraph is in the notes, the glossary, the shorthand list or the joining words', () => {
    const w = recapWords(language);
    const context = proseContext(source);
    const allowed = new Set([
      ...joiningWords(w),
      ...wordsOf(shorthandVocabulary(language).join(' ')),
      ...wordsOf((source.glossary ?? []).map((g) => g.expansion).join(' '))
    ]);
    const items = [...source.agenda, ...source.theses].filter((x) => x.notes.length);
    expect(items.length).toBe(sections.length);
    for (const item of items) {
      const own = new Set([...allowed, ...wordsOf(item.notes.map((n) => n.text).join(' '))]);
      const topic = 'title' in item ? item.title : item.text;
      const written = [
        ...discussionParagraphs(item.notes, topic, w, context),
        ...quoteNotes(item.notes, context).map((n) => n.text),
        ...conclusionSentences(item.notes.filter((n) => n.kind === 'conclusion').map((n) => n.text), context)
      ];
      const invented = wordsOf(written.join(' ')).filter((word) => !own.has(word));
      expect(invented, topic).toEqual([]);
    }
  });

  it('is deterministic', async () => {
    expect(draftRecap(source).markdown).toBe(markdown);
    expect(draftRecap(structuredClone(source)).markdown).toBe(markdown);
  });

  it('writes numbers and plurals as the language does', () => {
    if (language === 'nl') {
      expect(markdown).toContain('Er werden 18 stemmen uitgebracht: 7 (39%) eens, 6 (33%) oneens en 5 (28%) neutraal.');
      expect(markdown).toContain('Er werd 1 stem uitgebracht: 0 (0%) eens, 1 (100%) oneens en 0 (0%) neutraal.');
      expect(markdown).toContain('Er werden 3 stemmen uitgebracht: 1 × 6 (33%), 2 × 7 (67%). Het gemiddelde was 6,7.');
      expect(markdown).toContain('(+33 procentpunten)');
      expect(markdown).toContain('En 2 andere deelnemers.');
      expect(markdown).toContain('bracht Kennisnetwerk Digitaal Werken zeven deelnemers samen');
      expect(markdown).toContain('Twee stellingen werden besproken; één stelling bleef liggen voor een volgende keer.');
    } else {
      expect(markdown).toContain('Of 20 voters, 10 (50%) agreed, 8 (40%) disagreed and 2 (10%) were neutral.');
      expect(markdown).toContain('Of 1 voter, 1 (100%) agreed, 0 (0%) disagreed and 0 (0%) were neutral.');
      expect(markdown).toContain('Of 4 voters: 1 × 5 (25%), 2 × 6 (50%), 1 × 7 (25%). The average was 6.0.');
      expect(markdown).toContain('(+25 points)');
      expect(markdown).toContain('And 2 other participants.');
      expect(markdown).toContain('brought together six participants');
    }
  });
});
