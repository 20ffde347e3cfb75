import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatNumber, formatPercent } from '../../i18n/format';
import { toBlocks, type Block, type Run } from './blocks';
import { coverLines, logoBox } from './cover';
import type { ExportMeta } from './exports';

const require = createRequire(import.meta.url);

/** pdfmake's Node build: fonts are read from the Roboto files that ship with the package. */
export function pdfmake() {
  const maker = require('pdfmake');
  const fonts = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  maker.setFonts({
    Roboto: {
      normal: join(fonts, 'Roboto-Regular.ttf'),
      bold: join(fonts, 'Roboto-Medium.ttf'),
      italics: join(fonts, 'Roboto-Italic.ttf'),
      bolditalics: join(fonts, 'Roboto-MediumItalic.ttf')
    }
  });
  // A recap never loads anything: no remote images, no files but the fonts (the logo comes inline).
  maker.setUrlAccessPolicy(() => false);
  maker.setLocalAccessPolicy((path: string) => path.startsWith(fonts));
  return maker;
}

const inline = (runs: Run[]) =>
  runs.map((r) => ({ text: r.text, bold: r.bold, italics: r.italics, ...(r.link ? { link: r.link, color: '#175b84' } : {}) }));

/** The width of a chart's bar at 100%, in points. */
const barWidth = 200;

function content(block: Block, language: ExportMeta['language']): unknown {
  switch (block.type) {
    case 'heading':
      return { text: inline(block.runs), style: `h${Math.min(block.level, 3)}`, tocItem: block.level <= 3 };
    case 'paragraph':
      return { text: inline(block.runs), margin: [0, 0, 0, 8] };
    case 'quote':
      return { text: inline(block.runs), italics: true, color: '#394656', margin: [16, 2, 0, 8] };
    case 'list':
      return { [block.ordered ? 'ol' : 'ul']: block.items.map((item) => ({ text: inline(item) })), margin: [0, 0, 0, 8] };
    case 'table':
      return {
        table: { headerRows: 1, widths: block.header.map(() => '*'), body: [block.header.map((c) => ({ text: inline(c), bold: true })), ...block.rows.map((row) => row.map((c) => ({ text: inline(c) })))] },
        layout: 'lightHorizontalLines',
        fontSize: 9,
        margin: [0, 0, 0, 10]
      };
    case 'chart':
      // The caption (the poll's question) and every bar stay on one page.
      return {
        unbreakable: true,
        stack: [
          ...(block.caption.length ? [{ text: inline(block.caption), margin: [0, 0, 0, 4] }] : []),
          {
            table: {
              widths: [120, barWidth, 70],
              body: block.bars.map((bar) => [
                { text: bar.label, fontSize: 9 },
                {
                  canvas: [
                    { type: 'rect', x: 0, y: 1, w: barWidth, h: 9, color: '#eef2f6' },
                    ...(bar.percent > 0 ? [{ type: 'rect', x: 0, y: 1, w: (barWidth * bar.percent) / 100, h: 9, color: '#1f6f9f' }] : [])
                  ]
                },
                { text: `${formatNumber(bar.count, language)} (${formatPercent(bar.percent, language)})`, fontSize: 9, alignment: 'right' }
              ])
            },
            layout: 'noBorders'
          }
        ],
        margin: [0, 2, 0, 10]
      };
  }
}

/** The cover page: logo, title, date, venue and organisers. */
function coverPage(meta: ExportMeta): unknown[] {
  if (!meta.cover) return [];
  const cover = coverLines(meta.cover);
  return [
    ...(cover.logo ? [{ image: `data:${cover.logo.contentType};base64,${cover.logo.data}`, ...logoBox(cover.logo), margin: [0, 40, 0, 40] }] : [{ text: '', margin: [0, 140, 0, 0] }]),
    { text: cover.title, fontSize: 28, bold: true, color: '#0f3d5e', margin: [0, 0, 0, 24] },
    ...cover.details.map((line) => ({ text: line, fontSize: 13, color: '#394656', margin: [0, 0, 0, 6] })),
    { text: '', pageBreak: 'after' }
  ];
}

/** The recap as a PDF, laid out in Node by pdfmake: no browser involved. */
export async function recapPdf(markdown: string, meta: ExportMeta): Promise<Buffer> {
  const definition = {
    info: { title: meta.title, creator: 'Kennisdag' },
    language: meta.language,
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 56],
    defaultStyle: { font: 'Roboto', fontSize: 10.5, lineHeight: 1.25, color: '#1d2733' },
    styles: {
      h1: { fontSize: 20, bold: true, color: '#0f3d5e', margin: [0, 0, 0, 10] },
      h2: { fontSize: 14, bold: true, color: '#0f3d5e', margin: [0, 14, 0, 6] },
      h3: { fontSize: 12, bold: true, color: '#0f3d5e', margin: [0, 10, 0, 4] }
    },
    footer: (page: number, pages: number) => ({ text: `${page} / ${pages}`, alignment: 'center', fontSize: 8, color: '#7a8794', margin: [0, 20, 0, 0] }),
    content: [...coverPage(meta), ...toBlocks(markdown).map((block) => content(block, meta.language))]
  };
  const buffer: Uint8Array = await pdfmake().createPdf(definition).getBuffer();
  return Buffer.from(buffer);
}
