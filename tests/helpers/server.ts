import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Plain ES modules shared with the npm scripts.
import { freePort, serverEnvironment } from '../../scripts/harness.mjs';
import { builtServer, ensureBuilt } from '../../scripts/prepare.mjs';

export const organiser = { email: 'organiser@example.test', password: 'organiser-password' };

export interface TestServer {
  url: string;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the built app on a free port with its own embedded database and a known organiser. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  ensureBuilt();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kennisdag-server-'));
  const child: ChildProcess = spawn(process.execPath, [builtServer], {
    env: { ...serverEnvironment({ port, dataDir, organiser }), BODY_SIZE_LIMIT: '10M', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited: ${output}`);
    try {
      const response = await fetch(`${url}/api/v1/openapi.json`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`The server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}

/** A started server with a client for its JSON API and the test organiser's token. */
export async function startServerWithOrganiser(env: Record<string, string> = {}): Promise<{ server: TestServer; api: Api; token: string }> {
  const server = await startServer(env);
  try {
    const api = apiClient(server.url);
    return { server, api, token: (await api('POST', '/auth/sign-in', organiser)).body.token };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Every operation's id in the API's OpenAPI document. */
export function operationIds(openapi: { paths: Record<string, Record<string, { operationId: string }>> }): string[] {
  return Object.values(openapi.paths).flatMap((path) => Object.values(path).map((operation) => operation.operationId));
}

export type Api = ReturnType<typeof apiClient>;

/** A small client for the JSON API: returns status and parsed body, never throws on 4xx. */
export function apiClient(base: string) {
  return async function api<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : body instanceof Uint8Array ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body)
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, body: parsed as T };
  };
}
