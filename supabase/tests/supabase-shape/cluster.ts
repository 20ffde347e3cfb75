import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from '../../../scripts/harness.mjs';

/**
 * A PostgreSQL cluster of the test suite's own, shaped like Supabase's Postgres image. Roles are
 * cluster-wide and Supabase's `postgres` is not a superuser, so the shape cannot live in the shared
 * test server (where `postgres` is the bootstrap superuser and other suites create their own roles):
 * each suite starts a private cluster from the same PostgreSQL installation, on a free port of the
 * loopback address, and removes it afterwards.
 */

const here = new URL('.', import.meta.url).pathname;
const repo = join(here, '..', '..', '..');
const shapeSql = (name: string) => readFileSync(join(here, name), 'utf8');

/**
 * auth.uid(), auth.role(), auth.email() and auth.jwt() as Supabase defines them: the compatibility
 * layer gives the other back ends the very same definitions, so the shape takes them from there.
 */
function authClaimFunctions(): string {
  const compat = readFileSync(join(repo, 'supabase', 'compat', '00000000000000_supabase_compat.sql'), 'utf8');
  const functions = compat.match(/^create or replace function auth\.(uid|role|email|jwt)\(\)[^]*?^\$\$;$/gm) ?? [];
  if (functions.length !== 4) throw new Error(`The compatibility layer defines ${functions.length} of the four auth claims functions.`);
  return functions.join('\n');
}

/** The PostgreSQL server programs: the newest installed Debian version, or pg_config's. */
export function postgresBinDir(): string | undefined {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(debian, versions[0], 'bin');
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = pgConfig.status === 0 ? pgConfig.stdout.trim() : undefined;
  return dir && existsSync(join(dir, 'initdb')) ? dir : undefined;
}

const supabaseCli = join(repo, 'node_modules', '.bin', 'supabase');

/** PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` system user. */
const asRoot = process.getuid?.() === 0;
function runServerProgram(bin: string, args: string[]) {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface PushResult {
  status: number;
  output: string;
}

export interface SupabaseShapeCluster {
  readonly port: number;
  readonly password: string;
  /** The folder of the server's Unix socket. */
  readonly socketDir: string;
  /** The Supabase CLI and the project folder it runs in. */
  readonly cli: string;
  readonly workdir: string;
  /** A connection string for a role of the shape (every login role has the cluster's password). */
  url(role: string, database: string): string;
  /** An admin connection (supabase_admin, the superuser) to a database. */
  admin(database?: string): postgres.Sql;
  /** Creates a project database: owned by postgres, with Supabase's schemas, roles' rights and Realtime. */
  createProject(name: string): Promise<void>;
  /** Applies supabase/migrations with the Supabase CLI, connecting as postgres. */
  push(database: string, args?: string[]): Promise<PushResult>;
  /** Whether postgres may create policies on realtime.messages, as hosted Supabase allows. */
  setRealtimePolicyGrant(allowed: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** A cluster with one project, `name`, the migrations pushed by the Supabase CLI; stopped again if that fails. */
export async function startSupabaseProject(name: string): Promise<SupabaseShapeCluster> {
  const cluster = await startSupabaseShape();
  try {
    await cluster.createProject(name);
    const pushed = await cluster.push(name);
    if (pushed.status !== 0) throw new Error(`supabase db push failed:\n${pushed.output}`);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

export async function startSupabaseShape(options: { realtimePolicyGrant?: boolean } = {}): Promise<SupabaseShapeCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('The Supabase-shaped tests need PostgreSQL\'s server programs (Debian: apt-get install postgresql).');
  const dir = mkdtempSync(join(tmpdir(), 'kennisdag-supabase-shape-'));
  const data = join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  writeFileSync(join(dir, 'pwfile'), password + '\n');
  if (asRoot) {
    execFileSync('chown', ['-R', 'postgres', dir]);
  }
  runServerProgram(join(bin, 'initdb'), [
    '-D', data, '-U', 'supabase_admin', '--pwfile', join(dir, 'pwfile'), '--auth-local=trust',
    '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'
  ]);
  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=60`;
  runServerProgram(join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      runServerProgram(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);

  const url = (role: string, database: string) =>
    `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}?sslmode=disable`;
  const admins: postgres.Sql[] = [];
  const admin = (database = 'postgres') => {
    const sql = postgres(url('supabase_admin', database), { max: 1, onnotice: () => {} });
    admins.push(sql);
    return sql;
  };
  const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

  const root = admin();
  await root.unsafe(shapeSql('roles.sql').replaceAll(":'password'", literal(password)));
  const setRealtimePolicyGrant = async (allowed: boolean) => {
    if (allowed) await root.unsafe(shapeSql('policy-grants.sql'));
    else await root.unsafe('revoke supabase_realtime_admin from postgres');
  };
  if (options.realtimePolicyGrant ?? true) await setRealtimePolicyGrant(true);

  // The CLI reads supabase/config.toml and supabase/migrations below its working directory and keeps
  // a cache there: a folder of its own, pointing at the repository's files.
  const workdir = join(dir, 'cli');
  mkdirSync(join(workdir, 'supabase'), { recursive: true });
  cpSync(join(repo, 'supabase', 'config.toml'), join(workdir, 'supabase', 'config.toml'));
  symlinkSync(join(repo, 'supabase', 'migrations'), join(workdir, 'supabase', 'migrations'));

  return {
    port,
    password,
    socketDir: dir,
    cli: supabaseCli,
    workdir,
    url,
    admin,
    setRealtimePolicyGrant,
    async createProject(name) {
      await root.unsafe(`create database ${name} owner postgres`);
      const db = admin(name);
      try {
        await db.unsafe(shapeSql('database.sql').replaceAll(':"database"', `"${name}"`).replace(':auth_claim_functions', authClaimFunctions));
      } finally {
        await db.end();
      }
    },
    push(database, args = []) {
      return new Promise((resolve) => {
        const child = spawn(supabaseCli, ['db', 'push', '--db-url', url('postgres', database), '--workdir', workdir, '--yes', ...args], {
          cwd: workdir,
          env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NO_COLOR: '1', CI: '1' },
          stdio: ['ignore', 'pipe', 'pipe']
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('close', (status) => resolve({ status: status ?? 1, output }));
      });
    },
    async stop() {
      await Promise.all(admins.map((sql) => sql.end({ timeout: 1 }).catch(() => {})));
      process.removeListener('exit', stopNow);
      stopNow();
    }
  };
}
