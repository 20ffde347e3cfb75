/**
 * The one link policy of every recap output (Markdown, HTML and the public page, PDF, DOCX): a link
 * may lead to a web page (http, https) or an e-mail address (mailto). Anything else a participant or
 * an editor writes as a link (javascript:, file:, data:, a UNC path, a relative or protocol-relative
 * address) stays text.
 */
import { Marked, type Token, type Tokens } from 'marked';

export const linkSchemes = ['http', 'https', 'mailto'] as const;

/** The address when the policy allows it as a link, otherwise null. */
export function safeHref(href: string): string | null {
  const address = href.trim();
  // Whitespace, control characters and backslashes inside an address are read differently by
  // browsers, PDF readers and Word ("java\tscript:", "\\server\share"): never a link.
  if (!address || /[\s\u0000-\u001f\u007f\\]/.test(address)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(address)?.[1].toLowerCase();
  if (!scheme || !(linkSchemes as readonly string[]).includes(scheme)) return null;
  if (scheme === 'mailto') return /^mailto:[^@\s]+@[^@\s]+$/i.test(address) ? address : null;
  if (!/^https?:\/\/[^/]/i.test(address)) return null;
  try {
    new URL(address);
  } catch {
    return null;
  }
  return address;
}

const marked = new Marked({ gfm: true });

/** The Markdown with every link the policy refuses replaced by its words: the Markdown export. */
export function withSafeLinks(markdown: string): string {
  let result = markdown;
  // A replacement can expose another link ("[[a](x)](y)"); a few rounds settle every real document.
  for (let round = 0; round < 5; round++) {
    const refused = new Map<string, string>();
    marked.walkTokens(marked.lexer(result), (token: Token) => {
      if (token.type === 'link' && !safeHref((token as Tokens.Link).href)) refused.set(token.raw, (token as Tokens.Link).text);
    });
    if (!refused.size) return result;
    for (const [raw, text] of refused) result = result.split(raw).join(text);
  }
  // Still not settled: no bracket or angle bracket may make a link.
  return result.replace(/[[\]<>]/g, '\\$&');
}
