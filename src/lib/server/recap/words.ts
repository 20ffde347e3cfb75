import { formatNumber, plural, pluralForm, type PluralForms } from '../../i18n/format';
import type { RecapLanguage } from './source';

/** The recap's own words, in the event's language (the document's, not the interface's). */
const words = {
  en: {
    introduction: 'Introduction',
    agenda: 'Agenda',
    participants: 'Participants',
    name: 'Name',
    organisation: 'Organisation',
    jobTitle: 'Job title',
    others: (n: number) => `And ${plural(n, { one: 'other participant', other: 'other participants' }, 'en')}.`,
    noneListed: (n: number) => (n === 1 ? 'One participant took part.' : `${formatNumber(n, 'en')} participants took part.`),
    sessions: 'Talks and sessions',
    speaker: 'Speaker',
    theses: 'The theses',
    thesis: 'Thesis',
    notDiscussed: 'Theses not discussed',
    allDiscussed: 'None: every thesis on the list was discussed.',
    noTheses: 'None: this day had no theses on its list.',
    conclusions: 'Conclusions',
    noConclusions: 'No conclusions were recorded.',
    closing: 'Closing',
    photos: 'Photos of the day',
    organisedBy: 'Organised by',
    chairedBy: 'Chair',
    question: 'Central question',
    poll: 'Poll',
    before: 'Before the discussion',
    after: 'After the discussion',
    someone: 'a participant',
    conclusion: 'Conclusion',
    // The only words the drafter adds to the notes when it turns them into prose.
    askedFromTheRoom: (question: string) => `One question from the room was: ${question}`,
    joinClauses: ', and ',
    and: 'and',
    alsoRaised: (n: number, points: string) => (n === 1 ? `Another point was raised: ${points}` : `Other points were raised as well: ${points}`),
    noVotes: 'No votes were cast.',
    agree5: (t: number, a: number, pa: number, d: number, pd: number, n: number, pn: number) =>
      `Of ${voters(t)}, ${formatNumber(a, 'en')} (${pa}%) agreed, ${formatNumber(d, 'en')} (${pd}%) disagreed and ${formatNumber(n, 'en')} (${pn}%) were neutral.`,
    distribution: (t: number, parts: string) => `Of ${voters(t)}: ${parts}.`,
    average: (avg: number) => `The average was ${formatNumber(avg, 'en', 1)}.`,
    words: (t: number, top: string) => `${capital(voters(t))} answered; the words named most were ${top}.`,
    shift: (before: number, after: number) =>
      after === before
        ? `Agreement was the same before and after the discussion: ${after}%.`
        : `Agreement went from ${before}% before the discussion to ${after}% after it (${after > before ? '+' : '-'}${plural(Math.abs(after - before), { one: 'point', other: 'points' }, 'en')}).`,
    strongAgreement: (n: number, text: string, p: number) => `Strong agreement with thesis ${n}, “${text}”: ${p}% agreed.`,
    strongDisagreement: (n: number, text: string, p: number) => `Strong disagreement with thesis ${n}, “${text}”: ${p}% disagreed.`,
    split: (n: number, text: string, pa: number, pd: number) => `The room was split on thesis ${n}, “${text}”: ${pa}% agreed and ${pd}% disagreed.`,
    moved: (n: number, before: number, after: number) => `The discussion moved opinions on thesis ${n}: agreement went from ${before}% to ${after}%.`,
    intro: (f: IntroFacts) =>
      [
        `${f.date ? `On ${f.date}` : 'At this knowledge day'}, ${f.organisers ? `${f.organisers} brought together ` : ''}${counted(f.participants, { one: 'participant', other: 'participants' }, 'en')}${f.organisers ? '' : ' met'}${f.venue ? ` in ${f.venue}` : ''} for “${f.title}”.`,
        f.question ? `The central question was: ${f.question}` : '',
        f.discussed
          ? `${capital(counted(f.discussed, { one: 'thesis was', other: 'theses were' }, 'en'))} discussed${f.notDiscussed ? `; ${counted(f.notDiscussed, { one: 'more was', other: 'more were' }, 'en')} left for another time` : ''}.`
          : '',
        f.talks ? `The programme had ${counted(f.talks, { one: 'talk', other: 'talks' }, 'en')}${f.speakers ? ` by ${f.speakers}` : ''}.` : ''
      ]
        .filter(Boolean)
        .join(' ')
  },
  nl: {
    introduction: 'Inleiding',
    agenda: 'Programma',
    participants: 'Deelnemers',
    name: 'Naam',
    organisation: 'Organisatie',
    jobTitle: 'Functie',
    others: (n: number) => `En ${plural(n, { one: 'andere deelnemer', other: 'andere deelnemers' }, 'nl')}.`,
    noneListed: (n: number) => (n === 1 ? 'Er was één deelnemer.' : `Er waren ${formatNumber(n, 'nl')} deelnemers.`),
    sessions: 'Presentaties en sessies',
    speaker: 'Spreker',
    theses: 'De stellingen',
    thesis: 'Stelling',
    notDiscussed: 'Niet behandelde stellingen',
    allDiscussed: 'Geen: alle stellingen op de lijst zijn besproken.',
    noTheses: 'Geen: er stonden deze dag geen stellingen op de lijst.',
    conclusions: 'Conclusies',
    noConclusions: 'Er zijn geen conclusies vastgelegd.',
    closing: 'Afsluiting',
    photos: 'Foto’s van de dag',
    organisedBy: 'Organisatie',
    chairedBy: 'Voorzitter',
    question: 'Centrale vraag',
    poll: 'Peiling',
    before: 'Voor de discussie',
    after: 'Na de discussie',
    someone: 'een deelnemer',
    conclusion: 'Conclusie',
    askedFromTheRoom: (question: string) => `Uit de zaal kwam de vraag: ${question}`,
    joinClauses: ', en ',
    and: 'en',
    alsoRaised: (n: number, points: string) => (n === 1 ? `Daarnaast kwam ter sprake: ${points}` : `Daarnaast kwamen ter sprake: ${points}`),
    noVotes: 'Er is niet gestemd.',
    agree5: (t: number, a: number, pa: number, d: number, pd: number, n: number, pn: number) =>
      `${votesCast(t)}: ${formatNumber(a, 'nl')} (${pa}%) eens, ${formatNumber(d, 'nl')} (${pd}%) oneens en ${formatNumber(n, 'nl')} (${pn}%) neutraal.`,
    distribution: (t: number, parts: string) => `${votesCast(t)}: ${parts}.`,
    average: (avg: number) => `Het gemiddelde was ${formatNumber(avg, 'nl', 1)}.`,
    words: (t: number, top: string) => `${plural(t, { one: 'deelnemer antwoordde', other: 'deelnemers antwoordden' }, 'nl')}; de meest genoemde woorden waren ${top}.`,
    shift: (before: number, after: number) =>
      after === before
        ? `De instemming was voor en na de discussie gelijk: ${after}%.`
        : `De instemming ging van ${before}% voor de discussie naar ${after}% erna (${after > before ? '+' : '-'}${plural(Math.abs(after - before), { one: 'procentpunt', other: 'procentpunten' }, 'nl')}).`,
    strongAgreement: (n: number, text: string, p: number) => `Brede instemming met stelling ${n}, “${text}”: ${p}% was het eens.`,
    strongDisagreement: (n: number, text: string, p: number) => `Brede afwijzing van stelling ${n}, “${text}”: ${p}% was het oneens.`,
    split: (n: number, text: string, pa: number, pd: number) => `De zaal was verdeeld over stelling ${n}, “${text}”: ${pa}% was het eens en ${pd}% oneens.`,
    moved: (n: number, before: number, after: number) => `De discussie veranderde de meningen over stelling ${n}: de instemming ging van ${before}% naar ${after}%.`,
    intro: (f: IntroFacts) =>
      [
        `${f.date ? `Op ${f.date}` : 'Tijdens deze kennisdag'} ${f.organisers ? `bracht ${f.organisers}` : f.participants === 1 ? 'kwam' : 'kwamen'} ${counted(f.participants, { one: 'deelnemer', other: 'deelnemers' }, 'nl')} samen${f.venue ? ` in ${f.venue}` : ''} voor “${f.title}”.`,
        f.question ? `De centrale vraag was: ${f.question}` : '',
        f.discussed
          ? `${capital(counted(f.discussed, { one: 'stelling werd', other: 'stellingen werden' }, 'nl'))} besproken${f.notDiscussed ? `; ${counted(f.notDiscussed, { one: 'stelling bleef', other: 'stellingen bleven' }, 'nl')} liggen voor een volgende keer` : ''}.`
          : '',
        f.talks ? `Het programma bevatte ${counted(f.talks, { one: 'presentatie', other: 'presentaties' }, 'nl')}${f.speakers ? ` van ${f.speakers}` : ''}.` : ''
      ]
        .filter(Boolean)
        .join(' ')
  }
};

export interface IntroFacts {
  title: string;
  date: string | null;
  venue: string | null;
  organisers: string | null;
  question: string | null;
  participants: number;
  discussed: number;
  notDiscussed: number;
  talks: number;
  speakers: string | null;
}

const numberWords = {
  en: ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'],
  nl: ['geen', 'één', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen', 'tien', 'elf', 'twaalf']
};

export { formatNumber, plural, pluralForm, type PluralForms } from '../../i18n/format';

/** Small counts in words, as an editor writes them: "five theses", "vijf stellingen"; larger ones in figures. */
export function count(n: number, language: RecapLanguage): string {
  return numberWords[language][n] ?? formatNumber(n, language);
}

/** A count in words or figures with its noun: "vijf deelnemers", "één stelling", "1.200 participants". */
function counted(n: number, forms: PluralForms, language: RecapLanguage): string {
  return `${count(n, language)} ${pluralForm(n, forms, language)}`;
}

// Dutch writes a sentence-initial “één” as “Eén”.
const capital = (s: string) => (s.startsWith('één') ? 'Eén' + s.slice(3) : s[0].toUpperCase() + s.slice(1));

const voters = (n: number) => plural(n, { one: 'voter', other: 'voters' }, 'en');

/** "Er werd 1 stem uitgebracht", "Er werden 18 stemmen uitgebracht". */
function votesCast(n: number): string {
  return `Er ${pluralForm(n, { one: 'werd', other: 'werden' }, 'nl')} ${plural(n, { one: 'stem', other: 'stemmen' }, 'nl')} uitgebracht`;
}

export type RecapWords = (typeof words)['en'];

export function recapWords(language: RecapLanguage): RecapWords {
  return words[language] ?? words.en;
}
