// `npm start`: installs what is missing, builds when the build is missing or older than the sources,
// then serves the app on HOST/PORT (default 0.0.0.0:3000) with the embedded database in ./data.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('Installing dependencies…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const built = join(root, 'build', 'index.js');
const sources = ['src', 'static', 'supabase', 'schemas', 'package.json', 'svelte.config.js', 'vite.config.ts'];
const sourceTime = Math.max(...sources.map((s) => newest(join(root, s))));
if (!existsSync(built) || statSync(built).mtimeMs < sourceTime) {
  console.log('Building Kennisdag…');
  run('npm', ['run', 'build', '--silent']);
}

const env = { ...process.env, HOST: process.env.HOST ?? '0.0.0.0', PORT: process.env.PORT ?? '3000' };
// Large recap imports and exports fit; adapter-node's default is 512K.
env.BODY_SIZE_LIMIT ??= '10M';
const server = spawn(process.execPath, [built], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
