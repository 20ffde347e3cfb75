import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRender, colourArea, colourWidthBeside, docxToPdf, pages, type Page } from '../../../../tests/helpers/rendered';
import { exportRecap, type ExportMeta } from './exports';

/**
 * The PDF and the DOCX as a reader sees them: the DOCX opened by LibreOffice (converted to PDF), both
 * drawn as pictures, and the bars of the charts measured in pixels. LibreOffice starts once for the file.
 */
const barColour: [number, number, number] = [0x1f, 0x6f, 0x9f];
const logoColour: [number, number, number] = [0xd0, 0x10, 0x60];

function logo(): RecapLogo {
  const png = new PNG({ width: 120, height: 60 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([...logoColour, 0xff], i);
  return { contentType: 'image/png', data: PNG.sync.write(png).toString('base64'), width: 120, height: 60 };
}
type RecapLogo = NonNullable<NonNullable<ExportMeta['cover']>['logo']>;

const filler = (n: number) => Array.from({ length: n }, (_, i) => `Paragraph ${i + 1} of the discussion, long enough to take a line or two on the page and push the next chart down.`).join('\n\n');

/** The first chart: 0%, 25%, 50% and 25% (counts 0, 1, 2, 1), then one at 100%; then charts that meet page breaks. */
const markdown = [
  '# Rendered recap',
  '**Before the discussion:** Which bar is widest?',
  '```chart\nAlpha | 0\nBravo | 1\nCharlie | 2\nDelta | 1\n```',
  '**Poll:** All for one',
  '```chart\nEcho | 5\n```',
  ...Array.from({ length: 14 }, (_, n) => {
    const id = String(n + 1).padStart(2, '0');
    return [filler((n % 4) + 1), `**Poll:** Question${id} asked here`, '```chart\n' + ['a', 'b', 'c', 'd', 'e'].map((x, i) => `Opt${id}${x} | ${i + n}`).join('\n') + '\n```'].join('\n\n');
  })
].join('\n\n');

const meta: ExportMeta = {
  title: 'Rendered recap',
  titleSlug: 'rendered-recap',
  language: 'en',
  cover: { title: 'Rendered recap', titleSlug: 'rendered-recap', date: '2026-11-25', venue: 'Utrecht', language: 'en', organisers: ['Ann Organiser', 'Ben Organiser'], logo: logo() }
};

function find(all: Page[], text: string) {
  for (const [index, page] of all.entries()) {
    const word = page.words.find((w) => w.text === text);
    if (word) return { index, page, word };
  }
  throw new Error(`“${text}” is not in the document`);
}

describe.runIf(canRender)('recap documents as rendered', () => {
  const rendered: Record<'pdf' | 'docx', Page[]> = { pdf: [], docx: [] };

  beforeAll(async () => {
    rendered.pdf = pages((await exportRecap(markdown, 'pdf', meta)).body as Buffer);
    rendered.docx = pages(docxToPdf((await exportRecap(markdown, 'docx', meta)).body as Buffer));
  }, 300_000);

  it.each(['pdf', 'docx'] as const)('%s: bars are as wide as their share, an empty bar narrowest', (format) => {
    const all = rendered[format];
    const width = (label: string) => {
      const { page, word } = find(all, label);
      return colourWidthBeside(page, word, barColour);
    };
    const [zero, quarter, half, otherQuarter, full] = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'].map(width);
    expect(full).toBeGreaterThan(100);
    expect(zero).toBeLessThan(quarter);
    expect(zero).toBeLessThan(1);
    expect(quarter / full).toBeCloseTo(0.25, 1);
    expect(half / full).toBeCloseTo(0.5, 1);
    expect(Math.abs(quarter - otherQuarter)).toBeLessThan(1.5);
    expect(Math.abs(half / quarter - 2)).toBeLessThan(0.15);
  });

  it.each(['pdf', 'docx'] as const)('%s: no chart is split across pages, and each says its question', (format) => {
    const all = rendered[format];
    for (let n = 1; n <= 14; n++) {
      const id = String(n).padStart(2, '0');
      const caption = find(all, `Question${id}`);
      const bars = ['a', 'b', 'c', 'd', 'e'].map((x) => find(all, `Opt${id}${x}`));
      expect(bars.map((b) => b.index), `chart ${id}`).toEqual(bars.map(() => caption.index));
      expect(caption.word.yMax).toBeLessThan(bars[0].word.yMin);
    }
    // The charts did meet page breaks: they are spread over several pages.
    expect(new Set(Array.from({ length: 14 }, (_, n) => find(all, `Question${String(n + 1).padStart(2, '0')}`).index)).size).toBeGreaterThan(2);
  });

  it.each(['pdf', 'docx'] as const)('%s: opens with a cover: logo, title, date, venue and organisers', (format) => {
    const [cover, next] = rendered[format];
    const text = cover.words.map((w) => w.text).join(' ');
    expect(text).toContain('Rendered recap');
    expect(text).toContain('25 November 2026');
    expect(text).toContain('Utrecht');
    expect(text).toContain('Organised by: Ann Organiser and Ben Organiser');
    expect(colourArea(cover, logoColour)).toBeGreaterThan(1000);
    // The recap itself starts on the next page.
    expect(next.words.map((w) => w.text).join(' ')).toContain('Which bar is widest?');
    expect(text).not.toContain('Alpha');
  });
});
