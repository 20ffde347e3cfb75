import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType
} from 'docx';
import { plain, toBlocks, type Block, type Run } from './blocks';

const headingLevels = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];

const runs = (list: Run[]) =>
  list.map((r) =>
    r.link
      ? new ExternalHyperlink({ link: r.link, children: [new TextRun({ text: r.text, bold: r.bold, italics: r.italics, style: 'Hyperlink' })] })
      : new TextRun({ text: r.text, bold: r.bold, italics: r.italics })
  );

const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none };

/** A vote chart as a table: the bar is a cell shaded as wide as its share. */
function chart(block: Extract<Block, { type: 'chart' }>): Table {
  const barWidth = 4000;
  return new Table({
    borders: noBorders,
    width: { size: 9000, type: WidthType.DXA },
    rows: block.bars.map(
      (bar) =>
        new TableRow({
          children: [
            new TableCell({ width: { size: 3000, type: WidthType.DXA }, children: [new Paragraph({ children: [new TextRun({ text: bar.label, size: 18 })] })] }),
            new TableCell({
              width: { size: barWidth, type: WidthType.DXA },
              children: [
                new Table({
                  borders: noBorders,
                  width: { size: barWidth, type: WidthType.DXA },
                  columnWidths: [Math.max(1, Math.round((barWidth * bar.percent) / 100)), Math.max(1, barWidth - Math.round((barWidth * bar.percent) / 100))],
                  rows: [
                    new TableRow({
                      children: [
                        new TableCell({ shading: { type: ShadingType.CLEAR, fill: '1F6F9F', color: 'auto' }, children: [new Paragraph('')] }),
                        new TableCell({ shading: { type: ShadingType.CLEAR, fill: 'EEF2F6', color: 'auto' }, children: [new Paragraph('')] })
                      ]
                    })
                  ]
                })
              ]
            }),
            new TableCell({
              width: { size: 2000, type: WidthType.DXA },
              children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: `${bar.count} (${bar.percent}%)`, size: 18 })] })]
            })
          ]
        })
    )
  });
}

function toDocx(block: Block): (Paragraph | Table)[] {
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
        block.ordered ? new Paragraph({ children: [new TextRun(`${i + 1}. `), ...runs(item)] }) : new Paragraph({ bullet: { level: 0 }, children: runs(item) })
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
      return [chart(block), new Paragraph('')];
  }
}

/** The recap as a Word document with real heading styles, so the navigation pane lists its sections. */
export async function recapDocx(markdown: string, meta: { title: string; language: 'nl' | 'en' }): Promise<Buffer> {
  const document = new Document({
    title: meta.title,
    creator: 'Kennisdag',
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [{ children: toBlocks(markdown).flatMap(toDocx) }]
  });
  return Packer.toBuffer(document);
}
