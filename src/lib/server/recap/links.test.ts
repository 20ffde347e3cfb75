import { Lexer, type Token } from 'marked';
import { describe, expect, it } from 'vitest';
import { docxText, pdfText, unzip } from '../../../../tests/helpers/files';
import { exportRecap } from './exports';
import { safeHref } from './links';
import { recapHtml } from './render-html';

/** Participant text that tries to become a link to something other than a web page or an e-mail address. */
const hostile = [
  '# Links',
  '',
  'A [script](javascript:alert(1)) and a [SCRIPT](JaVaScRiPt:alert(2)) and an [entity](&#106;avascript:alert(3)).',
  '',
  'A [file](file:///etc/passwd), a [data URL](data:text/html;base64,PHNjcmlwdD4=) and a [share](\\\\\\\\fileserver\\\\share\\\\x.exe).',
  '',
  'A [protocol-relative](//evil.example/x), a [relative](/admin) and an autolink <file:///etc/hosts>.',
  '',
  '- a [reference][bad] in a list',
  '- a [web page](https://example.org/ok) and [mail](mailto:someone@example.org)',
  '',
  '| Who | Link |',
  '| --- | --- |',
  '| Eve | [cell](vbscript:msgbox) |',
  '',
  '> “[quoted](javascript:alert(4))” — Mallory',
  '',
  '[bad]: javascript:alert(5)'
].join('\n');
const allowed = ['https://example.org/ok', 'mailto:someone@example.org'];
const texts = ['script', 'SCRIPT', 'entity', 'file', 'data URL', 'share', 'protocol-relative', 'relative', 'reference', 'web page', 'mail', 'cell', 'quoted'];
const meta = { title: 'Links', titleSlug: 'links', language: 'en' as const };

function markdownLinks(markdown: string): string[] {
  const found: string[] = [];
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'link') found.push((token as Token & { href: string }).href);
      const children = token as Token & { tokens?: Token[]; items?: { tokens: Token[] }[]; header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
      if (children.tokens) walk(children.tokens);
      children.items?.forEach((item) => walk(item.tokens));
      children.header?.forEach((cell) => walk(cell.tokens));
      children.rows?.forEach((row) => row.forEach((cell) => walk(cell.tokens)));
    }
  };
  walk(new Lexer().lex(markdown));
  return found;
}

describe('one link policy for every output', () => {
  it('allows http, https and mailto only', () => {
    for (const href of ['https://example.org/x', 'http://example.org', 'mailto:a@example.org', 'HTTPS://EXAMPLE.ORG']) expect(safeHref(href)).not.toBeNull();
    for (const href of ['javascript:alert(1)', ' javascript:x', 'java\tscript:x', 'file:///etc/passwd', 'data:text/html,x', '\\\\server\\share', '//evil.example', '/admin', 'x', 'vbscript:x', 'https:/\\evil', 'mailto:'])
      expect(safeHref(href), href).toBeNull();
  });

  it('keeps the words of every link but only allowed targets, in Markdown, HTML, PDF and DOCX', async () => {
    const md = (await exportRecap(hostile, 'md', meta)).body as string;
    expect(markdownLinks(md).sort()).toEqual(allowed);
    for (const text of texts) expect(md).toContain(text);

    const html = recapHtml(hostile);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).sort()).toEqual(allowed);
    expect((((await exportRecap(hostile, 'html', meta)).body as string).match(/href="[^"]*"/g) ?? []).sort()).toEqual(allowed.map((a) => `href="${a}"`));
    for (const text of texts) expect(html).toContain(text);

    const pdf = (await exportRecap(hostile, 'pdf', meta)).body as Buffer;
    const uris = [...pdf.toString('latin1').matchAll(/\/URI\s*\(((?:\\.|[^\\)])*)\)/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
    // pdfmake lays out a link word by word, each word with its own annotation.
    expect([...new Set(uris)].sort()).toEqual(allowed);
    const pdfWords = pdfText(pdf).replace(/\s+/g, ' ');
    for (const text of texts) expect(pdfWords).toContain(text);

    const docx = (await exportRecap(hostile, 'docx', meta)).body as Buffer;
    const targets = [...unzip(docx, 'word/_rels/document.xml.rels').matchAll(/Target="([^"]*)"\s+TargetMode="External"/g)].map((m) => m[1]);
    expect(targets.sort()).toEqual(allowed);
    const docWords = docxText(docx);
    for (const text of texts) expect(docWords).toContain(text);
  });
});
