import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { parseChart } from './blocks';
import { linkSchemes, safeHref } from './links';
import { withoutMarkers } from './sections';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }: Tokens.Code) {
      if (lang !== 'chart') return `<pre><code>${escape(text)}</code></pre>`;
      const bars = parseChart(text)
        .map(
          (bar) =>
            `<div class="bar"><span class="label">${escape(bar.label)}</span><span class="track"><span class="fill" style="width: ${bar.percent}%"></span></span><span class="value">${bar.count} (${bar.percent}%)</span></div>`
        )
        .join('');
      return `<div class="chart">${bars}</div>`;
    }
  }
});

/** Only what a recap needs; scripts, event handlers, styles and unsafe links are removed. */
const policy: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'blockquote', 'strong', 'em', 'a', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div', 'span', 'pre', 'code'],
  allowedAttributes: { a: ['href', 'title'], div: ['class'], span: ['class', 'style'], th: ['align'], td: ['align'] },
  allowedClasses: { div: ['chart', 'bar'], span: ['label', 'track', 'fill', 'value'] },
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
export function recapHtml(markdown: string): string {
  return sanitizeHtml(marked.parse(withoutMarkers(markdown), { async: false }) as string, policy);
}

export const recapCss = `
  body { font-family: Georgia, 'Times New Roman', serif; line-height: 1.55; color: #1d2733; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  h1, h2, h3 { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; line-height: 1.25; color: #0f3d5e; }
  h1 { font-size: 2rem; } h2 { font-size: 1.4rem; margin-top: 2rem; border-bottom: 1px solid #d5e9f5; } h3 { font-size: 1.15rem; margin-top: 1.5rem; }
  blockquote { margin: 1rem 0; padding: 0.25rem 1rem; border-left: 4px solid #f29d38; color: #394656; font-style: italic; }
  table { border-collapse: collapse; width: 100%; font-size: 0.95rem; } th, td { border-bottom: 1px solid #dde3ea; padding: 0.35rem 0.5rem; text-align: left; }
  .chart { margin: 1rem 0; font-family: system-ui, sans-serif; font-size: 0.9rem; }
  .bar { display: grid; grid-template-columns: 10rem 1fr 5.5rem; gap: 0.5rem; align-items: center; margin: 0.2rem 0; }
  .track { background: #eef2f6; height: 0.9rem; border-radius: 3px; overflow: hidden; } .fill { display: block; height: 100%; background: #1f6f9f; }
  .value { text-align: right; font-variant-numeric: tabular-nums; }
  a { color: #175b84; }
  @media print {
    body { margin: 0; max-width: none; font-size: 11pt; } a { color: inherit; text-decoration: none; }
    h2, h3 { break-after: avoid; } .chart, blockquote, tr { break-inside: avoid; }
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
${recapHtml(markdown)}
</article>
</body>
</html>
`;
}
