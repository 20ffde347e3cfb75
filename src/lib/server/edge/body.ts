/**
 * Reading a request body at the edge, before any domain code sees it: one place that turns every
 * way a body can be unreadable (too large, not UTF-8, malformed, nested without end, carrying a NUL
 * character PostgreSQL cannot store) into a 4xx with a sentence, so nothing reaches the database.
 */
import { userError } from '../../errors';

/** No Kennisdag document is nested deeper; an event archive is about seven levels. */
export const maxJsonDepth = 32;

const bodyLimit = () => process.env.BODY_SIZE_LIMIT ?? '512K';

/** The raw bytes; a body over BODY_SIZE_LIMIT is a 413. */
export async function readBytes(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await request.arrayBuffer());
  } catch (error) {
    if ((error as { status?: number }).status === 413) throw userError(413, 'too_large', 'edge.tooLarge', { limit: bodyLimit() });
    throw userError(400, 'unreadable_body', 'edge.unreadable');
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text as sent; bytes that are not UTF-8 are refused rather than silently replaced. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw userError(400, 'invalid_utf8', 'edge.utf8');
  }
}

/** Refuses a NUL character anywhere in a string, key or nested value (PostgreSQL's SQLSTATE 22021). */
export function assertNoNul(value: unknown): void {
  const pending: unknown[] = [value];
  while (pending.length) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) throw userError(400, 'invalid_input', 'edge.nul');
    } else if (next && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) pending.push(key, item);
    }
  }
}

/** How deep brackets nest in JSON text, counted without parsing it (strings are skipped). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) deepest = Math.max(deepest, ++depth);
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return deepest;
}

/** JSON text as a value: no deeper than maxJsonDepth, and without NUL characters. */
export function parseJson(text: string): unknown {
  if (nestingDepth(text) > maxJsonDepth) throw userError(400, 'too_deep', 'edge.tooDeep', { max: maxJsonDepth });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw userError(400, 'invalid_json', 'edge.badJson');
  }
  assertNoNul(value);
  return value;
}

/** The request body as JSON; an empty body is `empty`. */
export async function readJsonBody(request: Request, empty?: unknown): Promise<unknown> {
  return jsonFromBytes(await readBytes(request), empty);
}

/** A body's bytes as JSON (UTF-8, depth, NUL as `parseJson`); an empty body is `empty`. */
export function jsonFromBytes(bytes: Uint8Array, empty?: unknown): unknown {
  const text = decodeUtf8(bytes);
  if (empty !== undefined && text.trim() === '') return empty;
  return parseJson(text);
}

const formTypes = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** A form post as FormData: only the two form encodings, UTF-8 throughout, no NUL characters. */
export async function readFormBody(request: Request): Promise<FormData> {
  const type = request.headers.get('content-type') ?? '';
  if (!formTypes.includes(type.split(';')[0].trim().toLowerCase())) throw userError(415, 'unsupported_media_type', 'edge.notForm');
  const bytes = await readBytes(request);
  let form: FormData;
  if (type.toLowerCase().startsWith('multipart/')) {
    // A file part may be any bytes (a logo); the text fields must still be UTF-8, and a byte that is
    // not comes out of the parser as U+FFFD.
    try {
      form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
    } catch {
      throw userError(400, 'invalid_form', 'edge.badForm');
    }
    for (const [name, value] of form) if (name.includes('\uFFFD') || (typeof value === 'string' && value.includes('\uFFFD'))) throw userError(400, 'invalid_utf8', 'edge.utf8');
  } else {
    const text = decodeUtf8(bytes);
    form = new FormData();
    for (const pair of text.split('&')) {
      if (!pair) continue;
      const at = pair.indexOf('=');
      const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      form.append(decodeFormComponent(name), decodeFormComponent(value));
    }
  }
  for (const [name, value] of form) assertNoNul(typeof value === 'string' ? [name, value] : name);
  return form;
}

/** One name or value of a URL-encoded form; a malformed or non-UTF-8 percent-encoding is refused. */
function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw userError(400, 'invalid_form', 'edge.badForm');
  }
}

/** A request path SvelteKit can decode (it would otherwise answer a bare "Malformed URI"). */
export function assertDecodablePath(pathname: string): void {
  try {
    decodeURI(pathname);
  } catch {
    throw userError(400, 'invalid_path', 'edge.badPath');
  }
}

/** A path segment as the router reads it; a malformed percent-encoding is a 400, not a crash. */
export function decodePathSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw userError(400, 'invalid_path', 'edge.badPath');
  }
  assertNoNul(decoded);
  return decoded;
}
