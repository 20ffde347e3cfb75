/**
 * A drafted recap marks each part it generated, so one part can be drafted again later without
 * losing what the organiser edited elsewhere:
 *   <!-- section:thesis:<id> --> … <!-- /section -->
 * The markers are HTML comments: invisible in every rendering.
 */
const open = (key: string) => `<!-- section:${key} -->`;
const close = '<!-- /section -->';

export function section(key: string, body: string): string {
  return `${open(key)}\n${body.trim()}\n${close}`;
}

const pattern = /<!-- section:([a-z-]+(?::[0-9a-f-]{36})?) -->\n?([\s\S]*?)\n?<!-- \/section -->/g;

/** The sections of a document, by key. */
export function sectionsOf(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of markdown.matchAll(pattern)) found.set(match[1], match[2]);
  return found;
}

/**
 * Replaces one section's body with a newly drafted one; everything outside it stays as it was.
 * Returns null when the document no longer has that section (the organiser removed its markers).
 */
export function replaceSection(markdown: string, key: string, fresh: string): string | null {
  let replaced = false;
  const result = markdown.replace(pattern, (whole, found: string) => {
    if (found !== key || replaced) return whole;
    replaced = true;
    return section(key, fresh);
  });
  return replaced ? result : null;
}

/** The document without its markers, for exports and the public page. */
export function withoutMarkers(markdown: string): string {
  return markdown.replace(/^<!-- (section:[a-z-]+(?::[0-9a-f-]{36})?|\/section) -->\n?/gm, '');
}

/**
 * One part of a recap as the editor shows it: a drafted section (with its key), or text that stands
 * outside every section (key null). Joined again, the parts give back the document to the character.
 */
export interface RecapPart {
  key: string | null;
  /** The marker lines around the body, exactly as they stand in the document ('' for loose text). */
  open: string;
  body: string;
  close: string;
}

const partPattern = /(<!-- section:([a-z-]+(?::[0-9a-f-]{36})?) -->\n?)([\s\S]*?)(\n?<!-- \/section -->)/g;

/** The document as parts, in order; loose text between sections is a part of its own. */
export function splitParts(markdown: string): RecapPart[] {
  const parts: RecapPart[] = [];
  let at = 0;
  for (const match of markdown.matchAll(partPattern)) {
    if (match.index > at) parts.push({ key: null, open: '', body: markdown.slice(at, match.index), close: '' });
    parts.push({ key: match[2], open: match[1], body: match[3], close: match[4] });
    at = match.index + match[0].length;
  }
  if (at < markdown.length || parts.length === 0) parts.push({ key: null, open: '', body: markdown.slice(at), close: '' });
  return parts;
}

export const joinParts = (parts: RecapPart[]): string => parts.map((p) => p.open + p.body + p.close).join('');

/**
 * The document with the bodies the editor sent, by part number; parts it did not send stay as they
 * were. A section's body keeps its markers, so it can still be drafted again on its own.
 */
export function withEditedParts(markdown: string, edits: Map<number, string>): string {
  return joinParts(splitParts(markdown).map((part, i) => (edits.has(i) ? { ...part, body: edits.get(i)!.replace(/\r\n?/g, '\n') } : part)));
}

/** The heading a part starts with (its first Markdown heading), or null. */
export function partHeading(body: string): string | null {
  const line = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(body);
  return line ? line[1].replace(/[*_`]/g, '').trim() : null;
}
