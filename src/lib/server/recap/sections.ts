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
