import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** Reads one file out of a zip (a DOCX) with nothing but zlib. */
export function unzip(buffer: Buffer, name: string): string {
  let offset = 0;
  while (offset < buffer.length - 30 && buffer.readUInt32LE(offset) === 0x04034b50) {
    const method = buffer.readUInt16LE(offset + 8);
    const size = buffer.readUInt32LE(offset + 18);
    const nameLength = buffer.readUInt16LE(offset + 26);
    const extra = buffer.readUInt16LE(offset + 28);
    const file = buffer.toString('utf8', offset + 30, offset + 30 + nameLength);
    const start = offset + 30 + nameLength + extra;
    if (file === name) {
      const data = buffer.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    offset = start + size;
  }
  throw new Error(`${name} is not in the zip`);
}

/** The text of a DOCX's body, as a reader sees it. */
export function docxText(buffer: Buffer): string {
  return unzip(buffer, 'word/document.xml')
    .replace(/<[^>]+>/g, '')
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text of a PDF, by poppler's pdftotext. */
export function pdfText(buffer: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pdf-')), 'file.pdf');
  writeFileSync(file, buffer);
  return execFileSync('pdftotext', [file, '-']).toString();
}

/** The first page of a PDF as grey pixels, by poppler's pdftoppm (a PGM image: a header, then one byte a pixel). */
export function pdfPageGrey(buffer: Buffer, dpi = 100): { width: number; height: number; pixels: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
  writeFileSync(join(dir, 'file.pdf'), buffer);
  execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-singlefile', join(dir, 'file.pdf'), join(dir, 'page')]);
  const image = readFileSync(join(dir, 'page.pgm'));
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(image.toString('latin1', 0, 40));
  if (!header) throw new Error('pdftoppm wrote no greyscale image');
  return { width: Number(header[1]), height: Number(header[2]), pixels: image.subarray(header[0].length) };
}
