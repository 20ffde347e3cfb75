import { parse } from 'devalue';

/** What a form action answered, read the way `use:enhance` reads it. */
export interface ActionAnswer {
  httpStatus: number;
  type: 'success' | 'failure' | 'redirect' | 'error' | 'unparsed';
  status: number;
  data: Record<string, unknown> | null;
  location?: string;
  text: string;
}

/** Posts to a form action as an enhanced form does (JSON answer), from the app's own origin. */
export async function postAction(
  base: string,
  path: string,
  body: BodyInit,
  options: { contentType?: string; cookie?: string; headers?: Record<string, string> } = {}
): Promise<ActionAnswer> {
  const response = await fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin: base,
      accept: 'application/json',
      'x-sveltekit-action': 'true',
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers
    },
    body
  });
  const text = await response.text();
  try {
    const json = JSON.parse(text) as { type: ActionAnswer['type']; status?: number; data?: string; location?: string };
    return {
      httpStatus: response.status,
      type: json.type,
      status: json.status ?? response.status,
      data: json.data ? (parse(json.data) as Record<string, unknown>) : null,
      location: json.location,
      text
    };
  } catch {
    return { httpStatus: response.status, type: 'unparsed', status: response.status, data: null, text };
  }
}

/** A session cookie for a token, as the sign-in and join forms set it. */
export const sessionCookie = (token: string) => `kd_session=${token}`;

/** A URL-encoded form body. */
export const urlencoded = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
