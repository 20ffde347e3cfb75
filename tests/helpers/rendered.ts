/**
 * Documents as a reader sees them: a DOCX converted to PDF by LibreOffice, a PDF's pages as PNG
 * (poppler's pdftoppm) and the positions of its words (pdftotext -bbox), to measure what is drawn.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
export const canRender = has('soffice') && has('pdftoppm') && has('pdftotext');

/** The DOCX converted to PDF by LibreOffice, in a profile of its own (other conversions may run beside it). */
export function docxToPdf(docx: Buffer): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'kennisdag-lo-'));
  writeFileSync(join(dir, 'recap.docx'), docx);
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'recap.docx')], {
    stdio: 'ignore',
    timeout: 240_000
  });
  return readFileSync(join(dir, 'recap.pdf'));
}

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface Page {
  words: Word[];
  image: PNG;
  /** Pixels per PDF point. */
  scale: number;
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/** Every page of a PDF: its words with their boxes (in points) and its picture at `dpi`. */
export function pages(pdf: Buffer, dpi = 144): Page[] {
  const dir = mkdtempSync(join(tmpdir(), 'kennisdag-pages-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString();
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')]);
  const images = readdirSync(dir)
    .filter((f) => f.startsWith('page') && f.endsWith('.png'))
    .sort((a, b) => Number(/(\d+)\.png$/.exec(a)![1]) - Number(/(\d+)\.png$/.exec(b)![1]));
  return xml
    .split(/<page /)
    .slice(1)
    .map((chunk, i) => ({
      words: [...chunk.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
        text: decode(m[5]),
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4])
      })),
      image: PNG.sync.read(readFileSync(join(dir, images[i]))),
      scale: dpi / 72
    }));
}

/** Whether a pixel is (about) this colour. */
export function isColour(image: PNG, x: number, y: number, [r, g, b]: [number, number, number], tolerance = 24): boolean {
  const i = (image.width * y + x) * 4;
  return Math.abs(image.data[i] - r) <= tolerance && Math.abs(image.data[i + 1] - g) <= tolerance && Math.abs(image.data[i + 2] - b) <= tolerance;
}

/** How many pixels of the colour lie on the row through the middle of a word's line, right of the word, in points. */
export function colourWidthBeside(page: Page, word: Word, colour: [number, number, number]): number {
  const y = Math.round(((word.yMin + word.yMax) / 2) * page.scale);
  let count = 0;
  for (let x = Math.round(word.xMax * page.scale); x < page.image.width; x++) if (isColour(page.image, x, y, colour)) count++;
  return count / page.scale;
}

/** How many pixels of a colour a page has. */
export function colourArea(page: Page, colour: [number, number, number]): number {
  let count = 0;
  for (let y = 0; y < page.image.height; y++) for (let x = 0; x < page.image.width; x++) if (isColour(page.image, x, y, colour, 10)) count++;
  return count;
}
