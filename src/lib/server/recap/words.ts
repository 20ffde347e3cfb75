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
    others: (n: number) => (n === 1 ? 'And 1 other participant.' : `And ${n} other participants.`),
    noneListed: (n: number) => (n === 1 ? 'One participant took part.' : `${n} participants took part.`),
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
    questionRaised: 'Question raised',
    someone: 'a participant',
    conclusion: 'Conclusion',
    noVotes: 'No votes were cast.',
    agree5: (t: number, a: number, pa: number, d: number, pd: number, n: number, pn: number) =>
      `Of ${voters(t, 'en')}, ${a} (${pa}%) agreed, ${d} (${pd}%) disagreed and ${n} (${pn}%) were neutral.`,
    distribution: (t: number, parts: string) => `Of ${voters(t, 'en')}: ${parts}.`,
    average: (avg: string) => `The average was ${avg}.`,
    words: (t: number, top: string) => `${voters(t, 'en')[0].toUpperCase()}${voters(t, 'en').slice(1)} answered; the words named most were ${top}.`,
    shift: (before: number, after: number) =>
      after === before
        ? `Agreement was the same before and after the discussion: ${after}%.`
        : `Agreement went from ${before}% before the discussion to ${after}% after it (${after > before ? '+' : ''}${after - before} points).`,
    strongAgreement: (n: number, text: string, p: number) => `Strong agreement with thesis ${n}, “${text}”: ${p}% agreed.`,
    strongDisagreement: (n: number, text: string, p: number) => `Strong disagreement with thesis ${n}, “${text}”: ${p}% disagreed.`,
    split: (n: number, text: string, pa: number, pd: number) => `The room was split on thesis ${n}, “${text}”: ${pa}% agreed and ${pd}% disagreed.`,
    moved: (n: number, before: number, after: number) => `The discussion moved opinions on thesis ${n}: agreement went from ${before}% to ${after}%.`,
    intro: (f: IntroFacts) =>
      [
        `${f.date ? `On ${f.date}` : 'At this knowledge day'}, ${f.organisers ? `${f.organisers} brought together ` : ''}${count(f.participants, 'en')} ${f.participants === 1 ? 'participant' : 'participants'}${f.organisers ? '' : ' met'}${f.venue ? ` in ${f.venue}` : ''} for “${f.title}”.`,
        f.question ? `The central question was: ${f.question}` : '',
        f.discussed
          ? `${capital(count(f.discussed, 'en'))} ${f.discussed === 1 ? 'thesis was' : 'theses were'} discussed${f.notDiscussed ? `; ${count(f.notDiscussed, 'en')} more ${f.notDiscussed === 1 ? 'was' : 'were'} left for another time` : ''}.`
          : '',
        f.talks ? `The programme had ${count(f.talks, 'en')} ${f.talks === 1 ? 'talk' : 'talks'}${f.speakers ? ` by ${f.speakers}` : ''}.` : ''
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
    others: (n: number) => (n === 1 ? 'En 1 andere deelnemer.' : `En ${n} andere deelnemers.`),
    noneListed: (n: number) => (n === 1 ? 'Er was één deelnemer.' : `Er waren ${n} deelnemers.`),
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
    questionRaised: 'Vraag uit de zaal',
    someone: 'een deelnemer',
    conclusion: 'Conclusie',
    noVotes: 'Er is niet gestemd.',
    agree5: (t: number, a: number, pa: number, d: number, pd: number, n: number, pn: number) =>
      `Van de ${voters(t, 'nl')} waren er ${a} (${pa}%) het eens, ${d} (${pd}%) het oneens en ${n} (${pn}%) neutraal.`,
    distribution: (t: number, parts: string) => `Van de ${voters(t, 'nl')}: ${parts}.`,
    average: (avg: string) => `Het gemiddelde was ${avg}.`,
    words: (t: number, top: string) => `${t} ${t === 1 ? 'deelnemer antwoordde' : 'deelnemers antwoordden'}; de meest genoemde woorden waren ${top}.`,
    shift: (before: number, after: number) =>
      after === before
        ? `De instemming was voor en na de discussie gelijk: ${after}%.`
        : `De instemming ging van ${before}% voor de discussie naar ${after}% erna (${after > before ? '+' : ''}${after - before} procentpunt).`,
    strongAgreement: (n: number, text: string, p: number) => `Brede instemming met stelling ${n}, “${text}”: ${p}% was het eens.`,
    strongDisagreement: (n: number, text: string, p: number) => `Brede afwijzing van stelling ${n}, “${text}”: ${p}% was het oneens.`,
    split: (n: number, text: string, pa: number, pd: number) => `De zaal was verdeeld over stelling ${n}, “${text}”: ${pa}% was het eens en ${pd}% oneens.`,
    moved: (n: number, before: number, after: number) => `De discussie veranderde de meningen over stelling ${n}: de instemming ging van ${before}% naar ${after}%.`,
    intro: (f: IntroFacts) =>
      [
        `${f.date ? `Op ${f.date}` : 'Tijdens deze kennisdag'} ${f.organisers ? `bracht ${f.organisers}` : 'kwamen'} ${count(f.participants, 'nl')} ${f.participants === 1 ? 'deelnemer' : 'deelnemers'} samen${f.venue ? ` in ${f.venue}` : ''} voor “${f.title}”.`,
        f.question ? `De centrale vraag was: ${f.question}` : '',
        f.discussed
          ? `${capital(count(f.discussed, 'nl'))} ${f.discussed === 1 ? 'stelling werd' : 'stellingen werden'} besproken${f.notDiscussed ? `; ${count(f.notDiscussed, 'nl')} ${f.notDiscussed === 1 ? 'stelling bleef' : 'stellingen bleven'} liggen voor een volgende keer` : ''}.`
          : '',
        f.talks ? `Het programma bevatte ${count(f.talks, 'nl')} ${f.talks === 1 ? 'presentatie' : 'presentaties'}${f.speakers ? ` van ${f.speakers}` : ''}.` : ''
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

/** Small counts in words, as an editor writes them: "five theses", "vijf stellingen". */
export function count(n: number, language: RecapLanguage): string {
  return numberWords[language][n] ?? String(n);
}

// Dutch writes a sentence-initial “één” as “Eén”.
const capital = (s: string) => (s === 'één' ? 'Eén' : s[0].toUpperCase() + s.slice(1));

function voters(n: number, language: RecapLanguage): string {
  if (language === 'nl') return n === 1 ? '1 stemmer' : `${n} stemmers`;
  return n === 1 ? '1 voter' : `${n} voters`;
}

export type RecapWords = (typeof words)['en'];

export function recapWords(language: RecapLanguage): RecapWords {
  return words[language] ?? words.en;
}
