/**
 * A recap's Markdown as a short list of blocks, the common ground of the PDF and DOCX exports:
 * what they need to lay out (headings, paragraphs, lists, quotes, tables and vote charts), no more.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { safeHref } from './links';
import { withoutMarkers } from './sections';

export interface Run {
  text: string;
  bold?: boolean;
  italics?: boolean;
  link?: string;
}

export interface ChartBar {
  label: string;
  count: number;
  percent: number;
}

export type Block =
  | { type: 'heading'; level: number; runs: Run[] }
  | { type: 'paragraph'; runs: Run[] }
  | { type: 'list'; ordered: boolean; items: Run[][] }
  | { type: 'quote'; runs: Run[] }
  | { type: 'table'; header: Run[][]; rows: Run[][][] }
  | { type: 'chart'; caption: Run[]; bars: ChartBar[] };

/** The bars of a ```chart block: one `label | count` a line. */
export function parseChart(text: string): ChartBar[] {
  const rows = text
    .split('\n')
    .map((line) => /^(.*)\|\s*(\d+)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => ({ label: m[1].trim(), count: Number(m[2]) }));
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return rows.map((r) => ({ ...r, percent: total ? Math.round((100 * r.count) / total) : 0 }));
}

/** A chart's own caption: the lines of its block that are no bars (a hand-written chart may name its question so). */
export const chartCaptionText = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() && !/\|\s*\d+\s*$/.test(line))
    .join(' ')
    .trim();

/**
 * Whether a paragraph is the label of the chart after it: the drafts write each poll as
 * "**Before the discussion:** the question" directly above its chart. The chart takes it as its
 * caption, so the chart says which question it answers and is never parted from it.
 */
export function isChartLabel(tokens: Token[], at: number): boolean {
  const token = tokens[at];
  if (token?.type !== 'paragraph' || (token as Tokens.Paragraph).tokens?.[0]?.type !== 'strong') return false;
  let next = at + 1;
  while (tokens[next]?.type === 'space') next++;
  const chart = tokens[next] as Tokens.Code | undefined;
  return chart?.type === 'code' && chart.lang === 'chart';
}

const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);

function runs(tokens: Token[] | undefined, style: Omit<Run, 'text'> = {}): Run[] {
  const out: Run[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
        out.push(...runs((token as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...runs((token as Tokens.Em).tokens, { ...style, italics: true }));
        break;
      case 'link':
        // Only a link the policy allows stays a link in the PDF and the DOCX; the words stay either way.
        out.push(...runs((token as Tokens.Link).tokens, { ...style, link: safeHref((token as Tokens.Link).href) ?? undefined }));
        break;
      case 'br':
        out.push({ ...style, text: '\n' });
        break;
      case 'html':
        // Raw HTML in a recap is shown as text, never interpreted.
        out.push({ ...style, text: token.raw });
        break;
      default: {
        const t = token as Tokens.Text;
        if (t.tokens?.length) out.push(...runs(t.tokens, style));
        else out.push({ ...style, text: decode(t.text ?? t.raw ?? '') });
      }
    }
  }
  return out;
}

export function toBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const walk = (tokens: Token[]) => {
    let caption: Run[] = [];
    tokens.forEach((token, at) => {
      if (isChartLabel(tokens, at)) {
        caption = runs((token as Tokens.Paragraph).tokens);
        return;
      }
      switch (token.type) {
        case 'heading':
          blocks.push({ type: 'heading', level: (token as Tokens.Heading).depth, runs: runs((token as Tokens.Heading).tokens) });
          break;
        case 'paragraph':
          blocks.push({ type: 'paragraph', runs: runs((token as Tokens.Paragraph).tokens) });
          break;
        case 'text':
          blocks.push({ type: 'paragraph', runs: runs((token as Tokens.Text).tokens ?? [token]) });
          break;
        case 'list': {
          const list = token as Tokens.List;
          blocks.push({ type: 'list', ordered: list.ordered, items: list.items.map((item) => item.tokens.flatMap((t) => runs((t as Tokens.Text).tokens ?? [t]))) });
          break;
        }
        case 'blockquote':
          blocks.push({ type: 'quote', runs: (token as Tokens.Blockquote).tokens.flatMap((t) => runs((t as Tokens.Paragraph).tokens ?? [t])) });
          break;
        case 'code': {
          const code = token as Tokens.Code;
          if (code.lang === 'chart') {
            const own = chartCaptionText(code.text);
            blocks.push({ type: 'chart', caption: caption.length ? caption : own ? [{ text: own, bold: true }] : [], bars: parseChart(code.text) });
            caption = [];
          } else blocks.push({ type: 'paragraph', runs: [{ text: code.text }] });
          break;
        }
        case 'table': {
          const table = token as Tokens.Table;
          blocks.push({ type: 'table', header: table.header.map((c) => runs(c.tokens)), rows: table.rows.map((row) => row.map((c) => runs(c.tokens))) });
          break;
        }
        case 'html':
          if (!/^\s*<!--[\s\S]*-->\s*$/.test(token.raw)) blocks.push({ type: 'paragraph', runs: [{ text: token.raw.trim() }] });
          break;
        default:
          break;
      }
    });
  };
  walk(new Lexer().lex(withoutMarkers(markdown)));
  return blocks;
}

export const plain = (r: Run[]) => r.map((x) => x.text).join('');
