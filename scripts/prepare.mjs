// What `npm start`, `npm test` and the benchmarks need before they run: installed dependencies and a
// build no older than the sources. Uses only Node's built-ins, so it works before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** @param {string} cmd @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [options] */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

/** @param {string} path @returns {number} */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

export function ensureInstalled() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
    console.log('Installing dependencies…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

/** The production server: server.js, around the built SvelteKit handler. */
export const builtServer = join(root, 'server.js');
const builtHandler = join(root, 'build', 'handler.js');

export function buildIsStale() {
  const sources = ['src', 'static', 'supabase/migrations', 'supabase/compat', 'schemas', 'package.json', 'svelte.config.js', 'vite.config.ts'];
  const sourceTime = Math.max(...sources.map((s) => newest(join(root, s))));
  return !existsSync(builtHandler) || statSync(builtHandler).mtimeMs < sourceTime;
}

const buildLock = join(root, 'node_modules', '.kennisdag-build-lock');
const sleep = (/** @type {number} */ ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds when stale. Test files may ask at the same time: one builds, the others wait for it. */
export function ensureBuilt() {
  if (!buildIsStale()) return;
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(buildLock);
      break;
    } catch {
      // A lock older than ten minutes belongs to a build that died.
      if (existsSync(buildLock) && Date.now() - statSync(buildLock).mtimeMs > 600_000) rmSync(buildLock, { recursive: true, force: true });
      sleep(250);
    }
  }
  try {
    if (buildIsStale()) {
      console.log('Building Kennisdag…');
      run('npm', ['run', 'build', '--silent']);
    }
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
}
