import type { IncomingMessage, ServerResponse } from 'node:http';
import { localeCookie } from '../../i18n';
import { uuidSource } from '../../uuid';
import { bearerToken, deviceCookie, isDeviceId, sessionCookie, verifiedSession, type RequestHead } from '../auth/session';
import type { AuthPort } from '../auth/port';
import type { Database } from '../db/types';
import { jsonFromBytes } from '../edge/body';
import { nonPagePolicy, securityHeaders } from '../edge/headers';
import { refusalTranslatorFor } from '../edge/locale';
import { assertSameOrigin } from '../edge/origin';
import { castVote } from '../polls/polls';
import { errorResponse, objectWith } from './http';
import { failureResponse } from './router';

/** Answers a request on Node's own objects, or hands it on untouched (`next`: SvelteKit's handler). */
export type NodeRoute = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

// Matched as written, as SvelteKit's routes are; the ids in either case, as the API takes them.
const votePath = new RegExp(`^/api/v1/events/(${uuidSource})/polls/(${uuidSource})/votes$`);
/** A vote (an option or a word of at most 40 characters, and a key) is far below this; a larger body goes the long way. */
export const maxVoteBytes = 4096;

/**
 * A phone's vote, answered without SvelteKit. When a hall votes at once every request counts: building a
 * Fetch `Request` with its body stream and abort signal, and a SvelteKit response, for each vote cost
 * about half of the server's CPU per vote. This route answers the vote as the API operation
 * `castVote` does — the same session check, body checks, domain call, refusals in the event's
 * language and security headers — on Node's request and response.
 *
 * It takes only what it can answer exactly so: a POST to the vote address without a query, with a JSON
 * body of known length up to `maxVoteBytes`, and a session the auth accepts (a bearer token; or the
 * session cookie, from this site, with the device cookie the pages set). It decides that before it
 * reads the body; everything else goes on to SvelteKit untouched, which answers or refuses it as ever.
 * Only where this server verifies sessions itself (not on Supabase, where phones vote at Supabase).
 */
export function voteRoute(db: Database, auth: AuthPort, publicUrl: string | undefined): NodeRoute {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : null;
  // The address the request came to, as SvelteKit's Node adapter reads it when no proxy settings change that.
  const proxySettings = ['ORIGIN', 'HOST_HEADER', 'PORT_HEADER'].some((name) => process.env[name]);

  return (req, res, next) => {
    const address = req.method === 'POST' && req.url ? votePath.exec(req.url) : null;
    const length = Number(req.headers['content-length']);
    const json = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
    if (!address || !(length > 0 && length <= maxVoteBytes) || req.headers['transfer-encoding'] || !json) return next();

    const head = nodeHead(req);
    const cookies = cookiesOf(req.headers.cookie);
    let token = bearerToken(head);
    if (!token) {
      token = cookies.get(sessionCookie) ?? null;
      if (!token || proxySettings || !isDeviceId(cookies.get(deviceCookie))) return next();
      const proto = req.headers['x-forwarded-proto'];
      if ((proto !== 'http' && proto !== 'https') || !req.headers.host) return next();
      try {
        assertSameOrigin(head, [new URL(`${proto}://${req.headers.host}`).origin, ...(publicOrigin ? [publicOrigin] : [])]);
      } catch {
        return next();
      }
    }
    const accessToken = token;

    void (async () => {
      const session = await verifiedSession(auth, accessToken).catch(() => null);
      // Refused the long way, with the body unread (SvelteKit reads it when it answers).
      if (!session) return next();
      const params = { eventId: address[1], pollId: address[2] };
      let input: Record<string, unknown> | undefined;
      let response: Response | string;
      try {
        input = objectWith(jsonFromBytes(await bodyOf(req, length), {}), params);
        const caller = { kind: 'user' as const, claims: session.claims, accessToken };
        response = JSON.stringify(await castVote({ db, caller }, input, params.eventId));
      } catch (error) {
        if (error instanceof RequestGone) return;
        const reader = { choice: cookies.get(localeCookie), acceptLanguage: head.headers.get('accept-language') };
        response = await failureResponse(error, (ids) => refusalTranslatorFor(db, reader, ids, 'en'), params, input);
      }
      if (typeof response === 'string') send(res, 200, response);
      else send(res, response.status, await response.text());
    })().catch(async (error) => {
      // Only when even the refusal could not be made: the API's answer to what nobody expected.
      if (res.headersSent) return;
      const response = errorResponse(error);
      send(res, response.status, await response.text());
    });
  };
}

class RequestGone extends Error {}

/** The whole body (its length is known and small); rejects with RequestGone when the phone goes away first. */
function bodyOf(req: IncomingMessage, length: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks, length)));
    req.once('error', () => reject(new RequestGone()));
    req.once('close', () => reject(new RequestGone()));
  });
}

function send(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'content-security-policy': nonPagePolicy,
    ...securityHeaders
  });
  res.end(body);
}

/** Node's request as the edge checks read it. */
function nodeHead(req: IncomingMessage): RequestHead {
  return {
    method: req.method ?? 'GET',
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : (value ?? null);
      }
    }
  };
}

/** The cookies of a Cookie header, the first of a name winning (as SvelteKit reads them). */
function cookiesOf(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (cookies.has(name)) continue;
    let value = part.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}
