import { describe, expect, it } from 'vitest';
import { voteSentence } from './builtin';
import { contentStems, covers, mergeNearDuplicates } from './likeness';
import { discussionParagraphs, proseContext } from './prose';
import { asSentence, splitSentences } from './sentences';
import { expandShorthand, shorthandIn } from './shorthand';
import type { RecapSource, SourceNote, SourcePoll } from './source';
import { count, formatNumber, plural, recapWords } from './words';

describe('shorthand', () => {
  const glossary = [{ term: 'SM', expansion: 'sociale media' }];

  it('writes out Dutch note-taking shorthand and the event’s glossary', () => {
    expect(expandShorthand('Verbieden = oude denken. Jongeren zien SM als normaal, deel v hun cultuur. … Opleiden ipv verbieden.', 'nl', glossary)).toBe(
      'Verbieden is oude denken. Jongeren zien sociale media als normaal, deel van hun cultuur. – Opleiden in plaats van verbieden.'
    );
    expect(expandShorthand('opleiden i.p.v. verbieden -> medewerkers leren zelf', 'nl')).toBe('opleiden in plaats van verbieden, dus medewerkers leren zelf');
    expect(expandShorthand('Bv KPN (bv bij storing), mbv training, t.a.v. beleid, tav privacy, dwz, ivm AVG', 'nl')).toBe(
      'bijvoorbeeld KPN (bijvoorbeeld bij storing), met behulp van training, ten aanzien van beleid, ten aanzien van privacy, dat wil zeggen, in verband met AVG'
    );
    expect(expandShorthand('kwaliteit > kwantiteit, > 50% wil een verbod, kennis+ervaring & tijd', 'nl')).toBe('kwaliteit boven kwantiteit, meer dan 50% wil een verbod, kennis en ervaring en tijd');
    expect(expandShorthand('tools: yammer, teams, slack…', 'nl')).toBe('tools: yammer, teams, slack enzovoort');
    expect(expandShorthand('Jongeren gebruiken sm.', 'nl', glossary)).toBe('Jongeren gebruiken sociale media.');
  });

  it('leaves what is not shorthand alone: names, kept abbreviations, other meanings', () => {
    expect(expandShorthand('Shanks BV groeit, o.a. KPN, d.m.v. training, ca. 50 mensen, 100 v. Chr., Ambtenaar 2.0', 'nl')).toBe(
      'Shanks BV groeit, o.a. KPN, d.m.v. training, ca. 50 mensen, 100 v. Chr., Ambtenaar 2.0'
    );
    expect(expandShorthand('R&D and AT&T, C++ w/o help', 'en')).toBe('R&D and AT&T, C++ without help');
    // The organiser's meaning wins over the built-in one.
    expect(expandShorthand('bv Shell', 'nl', [{ term: 'bv', expansion: 'besloten vennootschap' }])).toBe('besloten vennootschap Shell');
  });

  it('writes out English shorthand', () => {
    expect(expandShorthand('Hybrid = best of both worlds w/ clear rules, e.g. ING, b/c ppl hate commuting vs approx. 40 ppl', 'en')).toBe(
      'Hybrid is best of both worlds with clear rules, for example ING, because people hate commuting versus approximately 40 people'
    );
    expect(expandShorthand('Tues-Thurs peak, Mon & Fri empty -> smaller offices', 'en')).toBe('Tuesday-Thursday peak, Monday and Friday empty, so smaller offices');
  });

  it('finds what is left, for checks', () => {
    expect(shorthandIn('opleiden ipv verbieden -> snel, SM', 'nl', glossary)).toEqual(['ipv', 'SM', '->']);
    expect(shorthandIn('opleiden in plaats van verbieden, o.a. d.m.v. training', 'nl', glossary)).toEqual([]);
  });
});

describe('sentences', () => {
  it('end properly, also after a closing bracket or quote, and start with a capital', () => {
    expect(asSentence('jonge collega’s googlen eerst (bv KPN)')).toBe('Jonge collega’s googlen eerst (bv KPN).');
    expect(asSentence('zij noemde het “oude denken”')).toBe('Zij noemde het “oude denken”.');
    expect(asSentence('“opleiden” werkt')).toBe('“Opleiden” werkt.');
    expect(asSentence('waarom verbieden?')).toBe('Waarom verbieden?');
    expect(asSentence('- kosten:')).toBe('Kosten.');
    expect(asSentence('iPhone verboden')).toBe('iPhone verboden.');
  });

  it('split a note without breaking abbreviations or initials', () => {
    expect(splitSentences('Training o.a. d.m.v. e-learning. Zie dr. Jansen en J. de Vries. Klaar? ja')).toEqual([
      'Training o.a. d.m.v. e-learning.',
      'Zie dr. Jansen en J. de Vries.',
      'Klaar?',
      'ja'
    ]);
    expect(splitSentences('(zie KPN.) Daarna\n- punt twee')).toEqual(['(zie KPN.)', 'Daarna', 'punt twee']);
  });
});

describe('notes into paragraphs', () => {
  const note = (text: string, kind: SourceNote['kind'] = 'note'): SourceNote => ({ id: text, kind, text, speaker: null });
  const draft = (notes: SourceNote[], topic: string) => {
    const source = { event: { language: 'nl' }, agenda: [{ title: topic, speaker: null, notes, polls: [] }], theses: [], members: [], glossary: [] } as unknown as RecapSource;
    return discussionParagraphs(notes, topic, recapWords('nl'), proseContext(source));
  };

  it('groups points by topic, joins a fragment to its topic, and lists fragments that have none', () => {
    const notes = [
      note('budget voor training ontbreekt bij de meeste gemeenten'),
      note('Privacy?'),
      note('kosten laag'),
      note('thuiswerken vraagt om nieuwe afspraken over bereikbaarheid'),
      note('Training kost vooral tijd van leidinggevenden!'),
      note('bereikbaarheid na 18 uur'),
      note('hoe regel je het budget', 'question'),
      note('Slack')
    ];
    expect(draft(notes, 'Werken op afstand')).toEqual([
      'Budget voor training ontbreekt bij de meeste gemeenten. Training kost vooral tijd van leidinggevenden. Uit de zaal kwam de vraag: hoe regel je het budget?',
      'Privacy? Thuiswerken vraagt om nieuwe afspraken over bereikbaarheid, en bereikbaarheid na 18 uur. Daarnaast kwamen ter sprake: kosten laag en Slack.'
    ]);
  });

  it('lets a fragment lead into the sentence after it, and keeps a note’s sentences on one topic', () => {
    const lead = note('Verbieden = oude denken. Jongeren zien SM als normaal, deel v hun cultuur.');
    // Nothing says "Jongeren" is not a name, so it keeps its capital...
    expect(draft([lead], 'Sociale media verbieden')).toEqual(['Verbieden is oude denken: Jongeren zien SM als normaal, deel van hun cultuur.']);
    // ...until another note writes it in lower case.
    expect(draft([lead, note('het bedrijf gaat voor opleiden, jongeren willen dat')], 'Sociale media verbieden')).toEqual([
      'Verbieden is oude denken: jongeren zien SM als normaal, deel van hun cultuur. Het bedrijf gaat voor opleiden, jongeren willen dat.'
    ]);
  });
});

describe('what two note-takers wrote about the same point', () => {
  const stems = (t: string) => contentStems(t, 'nl');

  it('is one point despite typos, inflection and word order', () => {
    expect(covers(stems('info zoeken is googelen'), stems('googlen bij info zoeken'), 'nl')).toBe(true);
    expect(covers(stems('twitter sneller dan nos bij brand moerdijk'), stems('twitter sneller dan NOS'), 'nl')).toBe(true);
    expect(covers(stems('Jongeren zien sociale media als normaal'), stems('jongere ziet sociale media als normaal'), 'nl')).toBe(true);
    expect(covers(contentStems('teams with anchor days meet more', 'en'), contentStems('team meets more on anchor day', 'en'), 'en')).toBe(true);
  });

  it('is two points when a word differs or one denies the other', () => {
    expect(covers(stems('twitter sneller dan NOS'), stems('twitter sneller dan RTL'), 'nl')).toBe(false);
    expect(covers(stems('twitter is niet sneller dan NOS'), stems('twitter is sneller dan NOS'), 'nl')).toBe(false);
    expect(covers(stems('land kopen'), stems('hand kopen'), 'nl')).toBe(false);
  });

  it('keeps the fuller wording in the place of the first', () => {
    expect(mergeNearDuplicates(['twitter sneller dan NOS', 'Privacy.', 'twitter sneller dan nos bij brand moerdijk', 'privacy!'], (t) => t, 'nl')).toEqual([
      'twitter sneller dan nos bij brand moerdijk',
      'Privacy.'
    ]);
  });
});

describe('numbers and plurals', () => {
  const poll = (kind: SourcePoll['kind'], counts: number[], options = ['a', 'b', 'c', 'd', 'e']): SourcePoll => ({
    id: 'p',
    question: 'q',
    kind,
    options,
    phase: null,
    status: 'closed',
    counts,
    total: counts.reduce((a, b) => a + b, 0)
  });
  const scale = (counts: number[]) => poll('scale10', counts, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);

  it('writes Dutch numbers the Dutch way, with the right plural', () => {
    const nl = recapWords('nl');
    expect(voteSentence(poll('agree5', [0, 0, 0, 1, 0]), nl, 'nl')).toBe('Er werd 1 stem uitgebracht: 1 (100%) eens, 0 (0%) oneens en 0 (0%) neutraal.');
    expect(voteSentence(poll('agree5', [100, 100, 200, 600, 200]), nl, 'nl')).toBe('Er werden 1.200 stemmen uitgebracht: 800 (67%) eens, 200 (17%) oneens en 200 (17%) neutraal.');
    expect(voteSentence(scale([0, 0, 0, 0, 0, 1, 2, 0, 0, 0]), nl, 'nl')).toBe('Er werden 3 stemmen uitgebracht: 1 × 6 (33%), 2 × 7 (67%). Het gemiddelde was 6,7.');
    expect(voteSentence(poll('yes_no', [1000, 250], ['Ja', 'Nee']), nl, 'nl')).toBe('Er werden 1.250 stemmen uitgebracht: Ja 1.000 (80%), Nee 250 (20%).');
    expect(nl.shift(40, 41)).toBe('De instemming ging van 40% voor de discussie naar 41% erna (+1 procentpunt).');
    expect(nl.shift(60, 45)).toBe('De instemming ging van 60% voor de discussie naar 45% erna (-15 procentpunten).');
    expect(nl.others(1)).toBe('En 1 andere deelnemer.');
    expect(nl.others(1500)).toBe('En 1.500 andere deelnemers.');
    expect(nl.words(1, '“snel” (1)')).toBe('1 deelnemer antwoordde; de meest genoemde woorden waren “snel” (1).');
    expect(count(1000, 'nl')).toBe('1.000');
    expect(formatNumber(6.666, 'nl', 1)).toBe('6,7');
    expect(plural(1, { one: 'stem', other: 'stemmen' }, 'nl')).toBe('1 stem');
    expect(plural(0, { one: 'stem', other: 'stemmen' }, 'nl')).toBe('0 stemmen');
  });

  it('writes English numbers the English way, with the right plural', () => {
    const en = recapWords('en');
    expect(voteSentence(poll('agree5', [0, 0, 0, 1, 0]), en, 'en')).toBe('Of 1 voter, 1 (100%) agreed, 0 (0%) disagreed and 0 (0%) were neutral.');
    expect(voteSentence(poll('agree5', [100, 100, 200, 600, 200]), en, 'en')).toBe('Of 1,200 voters, 800 (67%) agreed, 200 (17%) disagreed and 200 (17%) were neutral.');
    expect(voteSentence(scale([0, 0, 0, 0, 0, 1, 2, 0, 0, 0]), en, 'en')).toBe('Of 3 voters: 1 × 6 (33%), 2 × 7 (67%). The average was 6.7.');
    expect(en.shift(40, 41)).toBe('Agreement went from 40% before the discussion to 41% after it (+1 point).');
    expect(en.shift(60, 45)).toBe('Agreement went from 60% before the discussion to 45% after it (-15 points).');
    expect(en.others(1)).toBe('And 1 other participant.');
    expect(en.words(1, '“fast” (1)')).toBe('1 voter answered; the words named most were “fast” (1).');
    expect(en.intro({ title: 'Day', date: null, venue: null, organisers: 'Forum', question: null, participants: 1200, discussed: 1, notDiscussed: 1, talks: 1, speakers: null })).toBe(
      'At this knowledge day, Forum brought together 1,200 participants for “Day”. One thesis was discussed; one more was left for another time. The programme had one talk.'
    );
  });
});
