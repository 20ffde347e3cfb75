import QRCode from 'qrcode';
import { translator } from '../../i18n';
import type { Language } from '../../domain';
import { pdfmake } from '../recap/export-pdf';

export interface PosterEvent {
  title: string;
  code: string;
  date: string | null;
  venue: string | null;
  language: Language;
}

/** The QR code as vector rectangles, one per run of dark modules in a row: sharp at any print size. */
function qrCanvas(url: string, size: number) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = size / (modules.size + 2 * quiet);
  const rects: { type: 'rect'; x: number; y: number; w: number; h: number; color: string }[] = [{ type: 'rect', x: 0, y: 0, w: size, h: size, color: '#ffffff' }];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      // A hair wider and taller, so neighbouring runs print without seams.
      rects.push({ type: 'rect', x: (quiet + start) * cell, y: (quiet + row) * cell, w: (col - start) * cell + 0.3, h: cell + 0.3, color: '#000000' });
    }
  }
  return rects;
}

/**
 * A printable A4 poster for the room's walls and tables: the event's title, the QR code of the join
 * address, the short address to type and the code, in the event's language.
 */
export async function joinPoster(event: PosterEvent, joinUrl: string): Promise<Buffer> {
  const t = translator(event.language);
  const shortAddress = joinUrl.replace(/^https?:\/\//, '').replace(/\/join\/.*$/, '/');
  const qrSize = 330;
  const definition = {
    info: { title: `${event.title} · ${t('poster.title')}`, creator: 'Kennisdag' },
    language: event.language,
    pageSize: 'A4',
    pageMargins: [48, 56, 48, 48],
    defaultStyle: { font: 'Roboto', color: '#1d2733', alignment: 'center' },
    content: [
      { text: event.title, fontSize: 28, bold: true, color: '#0f3d5e', margin: [0, 0, 0, 6] },
      { text: [event.date, event.venue].filter(Boolean).join(' · '), fontSize: 13, color: '#4a5868', margin: [0, 0, 0, 22] },
      { text: t('poster.heading'), fontSize: 22, bold: true, margin: [0, 0, 0, 16] },
      { canvas: qrCanvas(joinUrl, qrSize), width: qrSize, alignment: 'center', margin: [(595.28 - 96 - qrSize) / 2, 0, 0, 20] },
      { text: t('poster.orType'), fontSize: 15, margin: [0, 0, 0, 4] },
      { text: shortAddress, fontSize: 24, bold: true, color: '#0f3d5e', margin: [0, 0, 0, 10] },
      { text: t('poster.andCode'), fontSize: 15, margin: [0, 0, 0, 4] },
      { text: event.code, fontSize: 54, bold: true, characterSpacing: 8, margin: [0, 0, 0, 18] },
      { text: joinUrl, fontSize: 9, color: '#4a5868' }
    ]
  };
  const buffer: Uint8Array = await pdfmake().createPdf(definition).getBuffer();
  return Buffer.from(buffer);
}
