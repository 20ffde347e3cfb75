import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Language } from '../../domain';
import { formatNumber, formatPercent } from '../../i18n/format';
import { chartCaptionText, isChartLabel, parseChart } from './blocks';
import { linkSchemes, safeHref } from './links';
import { withoutMarkers } from './sections';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The chart of a ```chart block, with the label paragraph drafted above it as its caption. */
type ChartToken = Tokens.Code & { caption?: Tokens.Generic[] };

function markedFor(language: Language) {
  return new Marked({
    gfm: true,
    renderer: {
      code(token: Tokens.Code) {
        const { text, lang } = token;
        if (lang !== 'chart') return `<pre><code>${escape(text)}</code></pre>`;
        const caption = (token as ChartToken).caption;
        const own = chartCaptionText(text);
        const label = caption ? this.parser.parseInline(caption) : own ? `<strong>${escape(own)}</strong>` : '';
        const bars = parseChart(text)
          .map(
            (bar) =>
              `<div class="bar"><span class="label">${escape(bar.label)}</span><span class="track"><span class="fill" style="width: ${bar.percent}%"></span></span><span class="value">${formatNumber(bar.count, language)} (${formatPercent(bar.percent, language)})</span></div>`
          )
          .join('');
        return `<figure class="chart">${label ? `<figcaption>${label}</figcaption>` : ''}${bars}</figure>`;
      }
    }
  });
}

const renderers = { nl: markedFor('nl'), en: markedFor('en') };

/** Markdown to HTML; a poll's label paragraph moves into its chart as the caption. */
function toHtml(markdown: string, language: Language): string {
  const marked = renderers[language] ?? renderers.en;
  const tokens = marked.lexer(withoutMarkers(markdown));
  const kept: typeof tokens = Object.assign([], { links: tokens.links });
  tokens.forEach((token, at) => {
    if (!isChartLabel(tokens, at)) return kept.push(token);
    const next = tokens.slice(at + 1).find((t) => t.type !== 'space') as ChartToken;
    next.caption = (token as Tokens.Paragraph).tokens;
  });
  return marked.parser(kept);
}

/** Only what a recap needs; scripts, event handlers, styles and unsafe links are removed. */
const policy: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'blockquote', 'strong', 'em', 'a', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'span', 'pre', 'code', 'figure', 'figcaption'],
  allowedAttributes: { a: ['href', 'title'], div: ['class'], figure: ['class'], span: ['class', 'style'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedClasses: { figure: ['chart'], div: ['bar'], span: ['label', 'track', 'fill', 'value'] },
  allowedStyles: { span: { width: [/^\d{1,3}%$/] } },
  allowedSchemes: [...linkSchemes],
  allowProtocolRelative: false,
  // The link policy (links.ts) decides; a refused link keeps its words as plain text.
  transformTags: {
    a: (tagName, { href, title }) => {
      const safe = href === undefined ? null : safeHref(href);
      return safe ? { tagName: 'a', attribs: { href: safe, ...(title ? { title } : {}), rel: 'noopener nofollow' } } : { tagName: 'span', attribs: {} };
    }
  }
};

/** The recap as sanitised HTML (no document around it), for the public page and the HTML export. */
export function recapHtml(markdown: string, language: Language = 'en'): string {
  return sanitizeHtml(toHtml(markdown, language), policy);
}

export const recapCss = `
  body { font-family: Georgia, 'Times New Roman', serif; line-height: 1.55; color: #1d2733; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  h1, h2, h3 { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; line-height: 1.25; color: #0f3d5e; }
  h1 { font-size: 2rem; } h2 { font-size: 1.4rem; margin-top: 2rem; border-bottom: 1px solid #d5e9f5; } h3 { font-size: 1.15rem; margin-top: 1.5rem; }
  blockquote { margin: 1rem 0; padding: 0.25rem 1rem; border-left: 4px solid #f29d38; color: #394656; font-style: italic; }
  table { border-collapse: collapse; width: 100%; font-size: 0.95rem; } th, td { border-bottom: 1px solid #dde3ea; padding: 0.35rem 0.5rem; text-align: left; }
  .chart { margin: 1rem 0; font-family: system-ui, sans-serif; font-size: 0.9rem; } .chart figcaption { margin-bottom: 0.35rem; }
  .bar { display: grid; grid-template-columns: 10rem 1fr 5.5rem; gap: 0.5rem; align-items: center; margin: 0.2rem 0; }
  .track { background: #eef2f6; height: 0.9rem; border-radius: 3px; overflow: hidden; } .fill { display: block; height: 100%; background: #1f6f9f; }
  .value { text-align: right; font-variant-numeric: tabular-nums; }
  a { color: #175b84; text-decoration: underline; }
  .downloads { max-width: 46rem; margin: 2rem auto; padding: 1rem; border-top: 1px solid #dde3ea; font-family: system-ui, sans-serif; }
  @media print {
    body { margin: 0; max-width: none; font-size: 11pt; } a { color: inherit; text-decoration: none; }
    .downloads { display: none; } h2, h3 { break-after: avoid; } .chart, blockquote, tr { break-inside: avoid; }
    .fill { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  }
`;

/** A standalone HTML document of the recap, printable. */
export function recapHtmlDocument(markdown: string, meta: { title: string; language: 'nl' | 'en' }): string {
  return `<!doctype html>
<html lang="${meta.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(meta.title)}</title>
<style>${recapCss}</style>
</head>
<body>
<article>
${recapHtml(markdown, meta.language)}
</article>
</body>
</html>
`;
}
