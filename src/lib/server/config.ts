import { resolve } from 'node:path';
import { defaultLimits, type LimitSettings } from './rate-limit';

/** A configuration mistake, said in one sentence that tells the operator what to fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Backend =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; databaseUrl: string; dataDir: string }
  | { kind: 'supabase'; url: string; anonKey: string; serviceRoleKey?: string };

export interface Config {
  backend: Backend;
  /** Signs the embedded back ends' session tokens; generated into the data folder when not set. */
  jwtSecret?: string;
  organiserEmail?: string;
  organiserPassword?: string;
  /** The address phones use, when the server sits behind a proxy or a tunnel. */
  publicUrl?: string;
  llm: { apiKey?: string; baseUrl?: string; model: string };
  limits: LimitSettings;
}

type Env = Record<string, string | undefined>;

const nonEmpty = (value: string | undefined) => (value && value.trim() !== '' ? value.trim() : undefined);

function positiveInteger(env: Env, name: string, fallback: number): number {
  const text = nonEmpty(env[name]);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new ConfigError(`${name} must be a whole number of at least 1 (got "${text}").`);
  return Number(text);
}

export function readConfig(env: Env = process.env): Config {
  const dataDir = resolve(nonEmpty(env.KENNISDAG_DATA_DIR) ?? 'data');
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  const supabaseUrl = nonEmpty(env.PUBLIC_SUPABASE_URL);
  const supabaseKey = nonEmpty(env.PUBLIC_SUPABASE_ANON_KEY);

  let backend: Backend;
  if (supabaseUrl || supabaseKey) {
    if (!supabaseUrl || !supabaseKey) {
      throw new ConfigError(
        `Supabase is half configured: set both PUBLIC_SUPABASE_URL and PUBLIC_SUPABASE_ANON_KEY, or neither (${supabaseUrl ? 'PUBLIC_SUPABASE_ANON_KEY' : 'PUBLIC_SUPABASE_URL'} is missing).`
      );
    }
    if (databaseUrl) {
      throw new ConfigError('Choose one database: unset DATABASE_URL when running on Supabase, or unset the PUBLIC_SUPABASE_* variables.');
    }
    if (!/^https?:\/\/[^/]+/.test(supabaseUrl)) {
      throw new ConfigError(`PUBLIC_SUPABASE_URL must be the project URL, like https://abcd.supabase.co (got "${supabaseUrl}").`);
    }
    backend = { kind: 'supabase', url: supabaseUrl, anonKey: supabaseKey, serviceRoleKey: nonEmpty(env.SUPABASE_SERVICE_ROLE_KEY) };
  } else if (databaseUrl) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL is not a URL: write it as postgres://user:password@host:5432/database.');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError(`DATABASE_URL must start with postgres:// (got ${url.protocol}//).`);
    }
    backend = { kind: 'postgres', databaseUrl, dataDir };
  } else {
    backend = { kind: 'pglite', dataDir };
  }

  const jwtSecret = nonEmpty(env.KENNISDAG_JWT_SECRET);
  if (jwtSecret && jwtSecret.length < 32) {
    throw new ConfigError('KENNISDAG_JWT_SECRET must be at least 32 characters long.');
  }
  const organiserEmail = nonEmpty(env.KENNISDAG_ORGANISER_EMAIL);
  const organiserPassword = nonEmpty(env.KENNISDAG_ORGANISER_PASSWORD);
  if (Boolean(organiserEmail) !== Boolean(organiserPassword)) {
    throw new ConfigError('Set both KENNISDAG_ORGANISER_EMAIL and KENNISDAG_ORGANISER_PASSWORD, or neither.');
  }
  if (organiserPassword && organiserPassword.length < 8) {
    throw new ConfigError('KENNISDAG_ORGANISER_PASSWORD must be at least 8 characters long.');
  }
  const publicUrl = nonEmpty(env.KENNISDAG_PUBLIC_URL);
  if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new ConfigError(`KENNISDAG_PUBLIC_URL must start with http:// or https:// (got "${publicUrl}").`);
  }
  return {
    backend,
    jwtSecret,
    organiserEmail,
    organiserPassword,
    publicUrl: publicUrl?.replace(/\/$/, ''),
    limits: {
      joinsPerAddress: positiveInteger(env, 'KENNISDAG_JOINS_PER_ADDRESS', defaultLimits.joinsPerAddress),
      lookupsPerAddress: positiveInteger(env, 'KENNISDAG_LOOKUPS_PER_ADDRESS', defaultLimits.lookupsPerAddress)
    },
    llm: {
      apiKey: nonEmpty(env.OPENAI_API_KEY),
      baseUrl: nonEmpty(env.OPENAI_BASE_URL),
      model: nonEmpty(env.KENNISDAG_LLM_MODEL) ?? 'gpt-4o-mini'
    }
  };
}
