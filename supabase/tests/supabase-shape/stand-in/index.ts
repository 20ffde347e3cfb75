import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { startSupabaseProject, type SupabaseShapeCluster } from '../cluster';
import { AuthStandIn, type Reply } from './auth';
import { RealtimeStandIn } from './realtime';
import { RestStandIn } from './rest';
import { ProjectKeys } from './tokens';

export interface RecordedRequest {
  at: number;
  method: string;
  /** `/auth/v1/…` or `/rest/v1/…`, with the query. */
  path: string;
  /** The browser's Origin header: requests from the app server have none. */
  origin: string | null;
  userAgent: string | null;
  /** The caller's role and user, from its bearer token. */
  role: string | null;
  sub: string | null;
  status: number;
}

export interface SupabaseStandIn {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  requests: RecordedRequest[];
  auth: AuthStandIn;
  realtime: RealtimeStandIn;
  /** A superuser connection to the project's database. */
  admin: postgres.Sql;
  cluster: SupabaseShapeCluster;
  stop(): Promise<void>;
}

const corsHeaders = (request: IncomingMessage): Record<string, string> => ({
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': request.headers['access-control-request-headers'] ?? 'authorization, apikey, content-type, x-client-info',
  'access-control-max-age': '600'
});

/**
 * A Supabase project for the test suite, without Docker or network: the Supabase-shaped database with
 * the migrations pushed by the Supabase CLI, and in front of it stand-ins for Auth, PostgREST and
 * Realtime on one HTTP port, as supabase-js reaches a project (`/auth/v1`, `/rest/v1`,
 * `/realtime/v1/websocket`). Written from supabase-js's requests and Supabase's documented and
 * published behaviour; every request is recorded, with the Origin that tells a browser from a server.
 */
export async function startSupabaseStandIn(options: { accessTokenSeconds?: number } = {}): Promise<SupabaseStandIn> {
  const cluster = await startSupabaseProject('project');
  const admin = postgres(cluster.url('supabase_admin', 'project'), { max: 4, onnotice: () => {} });
  const authSql = postgres(cluster.url('supabase_auth_admin', 'project'), { max: 2, onnotice: () => {} });
  const apiSql = postgres(cluster.url('authenticator', 'project'), { max: 8, onnotice: () => {} });

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = await ProjectKeys.create(url);
  const auth = new AuthStandIn(authSql, keys, `${url}/auth/v1`);
  if (options.accessTokenSeconds) auth.accessTokenSeconds = options.accessTokenSeconds;
  const rest = new RestStandIn(apiSql);
  const realtime = new RealtimeStandIn(admin, keys);
  await realtime.start();
  const requests: RecordedRequest[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const address = new URL(request.url ?? '/', url);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, corsHeaders(request)).end();
      return;
    }
    let text = '';
    for await (const chunk of request) text += chunk;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1] ?? String(request.headers.apikey ?? '');
    const apiKey = await keys.verify(String(request.headers.apikey ?? ''));
    const claims = bearer ? await keys.verify(bearer, { allowExpired: true }) : null;
    let reply: Reply;
    if (!apiKey) reply = { status: 401, body: { message: 'Invalid API key' } };
    else if (address.pathname.startsWith('/auth/v1/')) {
      const live = claims && claims.exp > Date.now() / 1000 ? claims : null;
      reply = await auth.handle(request.method ?? 'GET', address.pathname.slice('/auth/v1'.length), address.searchParams, body, live);
    } else if (address.pathname.startsWith('/rest/v1/')) {
      reply = await rest.handle(request.method ?? 'GET', address.pathname.slice('/rest/v1'.length), address.searchParams, body, claims);
    } else reply = { status: 404, body: { message: 'not found' } };
    requests.push({
      at: Date.now(), method: request.method ?? 'GET', path: address.pathname + address.search,
      origin: (request.headers.origin as string | undefined) ?? null, userAgent: (request.headers['user-agent'] as string | undefined) ?? null,
      role: claims?.role ?? null, sub: claims?.sub ?? null, status: reply.status
    });
    response.writeHead(reply.status, {
      ...corsHeaders(request),
      'x-supabase-api-version': '2024-01-01',
      ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...reply.headers
    });
    response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  };
  server.on('request', (request, response) => {
    handle(request, response).catch((error) => {
      response.writeHead(500, corsHeaders(request)).end(JSON.stringify({ message: String(error) }));
    });
  });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', url).pathname === '/realtime/v1/websocket') realtime.upgrade(request, socket, head);
    else socket.destroy();
  });

  return {
    url,
    anonKey: keys.anonKey,
    serviceRoleKey: keys.serviceRoleKey,
    requests,
    auth,
    realtime,
    admin,
    cluster,
    async stop() {
      await realtime.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([admin, authSql, apiSql].map((sql) => sql.end({ timeout: 1 }).catch(() => {})));
      await cluster.stop();
    }
  };
}
