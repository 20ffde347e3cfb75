/** What the cover of a recap document says, in the recap's language: the same lines in the PDF and the DOCX. */
import type { RecapCover } from './logo';
import { list, longDate } from './sentences';
import { recapWords } from './words';

export interface CoverLines {
  title: string;
  /** Date, venue and organisers, each on its own line, where the event has them. */
  details: string[];
  logo: RecapCover['logo'];
}

export function coverLines(cover: RecapCover): CoverLines {
  const w = recapWords(cover.language);
  return {
    title: cover.title.replace(/\s+/g, ' ').trim(),
    details: [
      cover.date ? longDate(cover.date, cover.language) : null,
      cover.venue?.trim() || null,
      cover.organisers.length ? `${w.organisedBy}: ${list(cover.organisers, cover.language)}` : null
    ].filter((line): line is string => Boolean(line)),
    logo: cover.logo
  };
}

/** The logo's size on the cover, in points: at most 200 wide and 100 high, its proportions kept. */
export function logoBox(logo: { width: number; height: number }, maxWidth = 200, maxHeight = 100) {
  const scale = Math.min(maxWidth / logo.width, maxHeight / logo.height, 1);
  return { width: Math.round(logo.width * scale), height: Math.round(logo.height * scale) };
}
