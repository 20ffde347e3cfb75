import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType
} from 'docx';
import { PNG } from 'pngjs';
import { formatNumber, formatPercent } from '../../i18n/format';
import { plain, toBlocks, type Block, type Run } from './blocks';
import { coverLines, logoBox } from './cover';
import type { ExportMeta } from './exports';

const headingLevels = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];

const runs = (list: Run[]) =>
  list.map((r) =>
    r.link
      ? new ExternalHyperlink({ link: r.link, children: [new TextRun({ text: r.text, bold: r.bold, italics: r.italics, style: 'Hyperlink' })] })
      : new TextRun({ text: r.text, bold: r.bold, italics: r.italics })
  );

const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };

/** A solid block of the bar colour; each bar is this image stretched to its share of the track. */
const barImage = (() => {
  const png = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([0x1f, 0x6f, 0x9f, 0xff], i);
  return PNG.sync.write(png);
})();

/** Twips of the chart's columns; the bar column holds a bar of at most `barPixels`. */
const columns = { label: 2800, bar: 4400, value: 1800 };
const barPixels = 280;

/**
 * A vote chart: its caption (the poll's question), then a table of fixed widths, one row per option,
 * the bar an image as wide as the option's share. Word and LibreOffice both draw an image at the
 * size it is given, where a shaded cell of a computed width is drawn differently by each.
 */
function chart(block: Extract<Block, { type: 'chart' }>, language: ExportMeta['language']): (Paragraph | Table)[] {
  const caption = block.caption.length ? [new Paragraph({ children: runs(block.caption), keepNext: true, keepLines: true, spacing: { after: 80 } })] : [];
  const last = block.bars.length - 1;
  const table = new Table({
    borders: noBorders,
    layout: TableLayoutType.FIXED,
    width: { size: columns.label + columns.bar + columns.value, type: WidthType.DXA },
    columnWidths: [columns.label, columns.bar, columns.value],
    rows: block.bars.map(
      (bar, i) =>
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({
              width: { size: columns.label, type: WidthType.DXA },
              children: [new Paragraph({ keepNext: i < last, children: [new TextRun({ text: bar.label, size: 18 })] })]
            }),
            new TableCell({
              width: { size: columns.bar, type: WidthType.DXA },
              shading: { type: ShadingType.CLEAR, fill: 'EEF2F6', color: 'auto' },
              children: [
                new Paragraph({
                  keepNext: i < last,
                  children:
                    bar.percent > 0
                      ? [new ImageRun({ type: 'png', data: barImage, transformation: { width: Math.max(1, Math.round((barPixels * bar.percent) / 100)), height: 12 } })]
                      : []
                })
              ]
            }),
            new TableCell({
              width: { size: columns.value, type: WidthType.DXA },
              children: [
                new Paragraph({
                  keepNext: i < last,
                  alignment: AlignmentType.RIGHT,
                  children: [new TextRun({ text: `${formatNumber(bar.count, language)} (${formatPercent(bar.percent, language)})`, size: 18 })]
                })
              ]
            })
          ]
        })
    )
  });
  return [...caption, table];
}

function toDocx(block: Block, language: ExportMeta['language']): (Paragraph | Table)[] {
  switch (block.type) {
    case 'heading':
      // The heading style and an explicit outline level: Word's navigation pane lists the paragraph.
      return [new Paragraph({ heading: headingLevels[Math.min(block.level, 4) - 1], outlineLevel: Math.min(block.level, 4) - 1, children: runs(block.runs) })];
    case 'paragraph':
      return [new Paragraph({ children: runs(block.runs), spacing: { after: 160 } })];
    case 'quote':
      return [new Paragraph({ children: block.runs.map((r) => new TextRun({ text: r.text, italics: true, bold: r.bold })), indent: { left: 480 }, spacing: { after: 160 } })];
    case 'list':
      return block.items.map((item, i) =>
        block.ordered
          ? new Paragraph({ children: [new TextRun(`${i + 1}. `), ...runs(item)], indent: { left: 360, hanging: 360 } })
          : new Paragraph({ bullet: { level: 0 }, children: runs(item) })
      );
    case 'table':
      return [
        new Table({
          width: { size: 9000, type: WidthType.DXA },
          rows: [
            new TableRow({ tableHeader: true, children: block.header.map((c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: plain(c), bold: true })] })] })) }),
            ...block.rows.map((row) => new TableRow({ children: row.map((c) => new TableCell({ children: [new Paragraph({ children: runs(c) })] })) }))
          ]
        }),
        new Paragraph('')
      ];
    case 'chart':
      return [...chart(block, language), new Paragraph('')];
  }
}

/** The cover page: logo, title, date, venue and organisers, then a page break. */
function coverPage(meta: ExportMeta): Paragraph[] {
  if (!meta.cover) return [];
  const cover = coverLines(meta.cover);
  const logo = cover.logo;
  return [
    logo
      ? new Paragraph({
          spacing: { before: 600, after: 600 },
          children: [new ImageRun({ type: logo.contentType === 'image/png' ? 'png' : 'jpg', data: Buffer.from(logo.data, 'base64'), transformation: logoBox(logo, 267, 133) })]
        })
      : new Paragraph({ spacing: { before: 2800 }, children: [] }),
    new Paragraph({ heading: HeadingLevel.TITLE, spacing: { after: 360 }, children: [new TextRun({ text: cover.title, bold: true, size: 56, color: '0F3D5E' })] }),
    ...cover.details.map((line) => new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: line, size: 26, color: '394656' })] })),
    new Paragraph({ children: [new PageBreak()] })
  ];
}

/** The recap as a Word document with real heading styles, so the navigation pane lists its sections. */
export async function recapDocx(markdown: string, meta: ExportMeta): Promise<Buffer> {
  const document = new Document({
    title: meta.title,
    creator: 'Kennisdag',
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [{ children: [...coverPage(meta), ...toBlocks(markdown).flatMap((block) => toDocx(block, meta.language))] }]
  });
  return Packer.toBuffer(document);
}
