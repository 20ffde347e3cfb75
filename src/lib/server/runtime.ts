import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedAuth } from './auth/embedded';
import type { AuthPort } from './auth/port';
import { SupabaseAuth } from './auth/supabase';
import { ConfigError, readConfig, type Config } from './config';
import { PgliteDatabase } from './db/pglite';
import { PostgresDatabase } from './db/postgres';
import { SupabaseDatabase } from './db/supabase';
import { anonCaller, serviceCaller, type Database } from './db/types';
import { LiveHub } from './live/hub';
import { RateLimits } from './rate-limit';

export interface Runtime {
  config: Config;
  db: Database;
  /** The embedded back ends' accounts; on Supabase each request gets its own (cookie-bound) client. */
  auth: AuthPort | null;
  /** Relays broadcasts as Server-Sent Events; Supabase Realtime does that job on Supabase. */
  hub: LiveHub | null;
  /** The one-time code for the setup page while no organiser exists (embedded back ends only). */
  setupCode: string | null;
  /** In PostgreSQL on that back end, so every app server on it counts together; in memory otherwise. */
  limits: RateLimits;
}

let current: Promise<Runtime> | undefined;

function jwtSecret(config: Config, dataDir: string): string {
  if (config.jwtSecret) return config.jwtSecret;
  // Kept beside the data so that sessions survive restarts; several servers must share KENNISDAG_JWT_SECRET.
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

function describeConnectionError(error: unknown, url: string): ConfigError {
  const e = error as { code?: string; message?: string };
  let where = 'the database';
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    /* the URL was checked by readConfig */
  }
  const reason =
    e.code === 'ECONNREFUSED' ? 'nothing answers there'
    : e.code === 'ENOTFOUND' ? 'the host name is unknown'
    : e.code === '28P01' || e.code === '28000' ? 'the user name or password is wrong'
    : e.code === '3D000' ? 'that database does not exist'
    : e.code === 'CONNECT_TIMEOUT' ? 'the connection timed out'
    : (e.message ?? 'the connection failed');
  return new ConfigError(`Cannot use DATABASE_URL (${where}): ${reason}; check that PostgreSQL runs and the URL is right.`);
}

async function openRuntime(config: Config): Promise<Runtime> {
  const backend = config.backend;
  if (backend.kind === 'supabase') {
    const db = new SupabaseDatabase(backend);
    const auth = new SupabaseAuth(() => db.clientFor(anonCaller), () => db.clientFor(serviceCaller));
    if (config.organiserEmail && config.organiserPassword && backend.serviceRoleKey) {
      await auth.createOrganiser(config.organiserEmail, config.organiserPassword, config.organiserEmail.split('@')[0]);
    }
    return { config, db, auth: null, hub: null, setupCode: null, limits: new RateLimits({ kind: 'memory' }, config.limits) };
  }

  let db: PgliteDatabase | PostgresDatabase;
  if (backend.kind === 'postgres') {
    try {
      db = await PostgresDatabase.open(backend.databaseUrl);
    } catch (error) {
      throw describeConnectionError(error, backend.databaseUrl);
    }
  } else {
    try {
      db = await PgliteDatabase.open(join(backend.dataDir, 'pgdata'));
    } catch (error) {
      throw new ConfigError(`Cannot open the database in ${backend.dataDir}: ${(error as Error).message}; check KENNISDAG_DATA_DIR and that no other Kennisdag uses that folder.`);
    }
  }
  const auth = new EmbeddedAuth(db, jwtSecret(config, backend.dataDir));
  let setupCode: string | null = null;
  if (!(await auth.hasOrganiser())) {
    if (config.organiserEmail && config.organiserPassword) {
      await auth.createOrganiser(config.organiserEmail, config.organiserPassword, config.organiserEmail.split('@')[0]);
    } else {
      setupCode = randomBytes(4).toString('hex').toUpperCase();
    }
  }
  const limits = new RateLimits(db instanceof PostgresDatabase ? { kind: 'postgres', client: db.limiterClient() } : { kind: 'memory' }, config.limits);
  return { config, db, auth, hub: new LiveHub(db), setupCode, limits };
}

/** Starts the server's runtime once; every request shares it. */
export function startRuntime(config?: Config): Promise<Runtime> {
  current ??= openRuntime(config ?? readConfig()).catch((error) => {
    current = undefined;
    throw error;
  });
  return current;
}

export function getRuntime(): Promise<Runtime> {
  return startRuntime();
}

/** The setup code is spent once the first organiser exists. */
export async function spendSetupCode(): Promise<void> {
  const runtime = await getRuntime();
  runtime.setupCode = null;
}

/** Stops the live relay and closes the database (PGlite writes its files out): the last step of a shutdown. */
export async function stopRuntime(): Promise<void> {
  const runtime = await current?.catch(() => undefined);
  current = undefined;
  if (!runtime) return;
  runtime.hub?.close();
  await runtime.db.close();
}
