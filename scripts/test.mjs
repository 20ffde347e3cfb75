// `npm test`: every test, on the embedded database (PGlite), on a PostgreSQL server and in Chromium.
// It installs what is missing (npm packages; as root also Debian's chromium, poppler-utils,
// postgresql and libreoffice-writer-nogui), starts PostgreSQL when it is not running, builds the app, and ends with one line:
// "N passed, N failed, N skipped".
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ensureInstalled, root, run } from './prepare.mjs';

const isRoot = process.getuid?.() === 0;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function ensureDebianPackages() {
  const missing = [
    ['chromium', 'chromium'],
    ['pdftotext', 'poppler-utils'],
    ['pg_ctlcluster', 'postgresql'],
    ['soffice', 'libreoffice-writer-nogui']
  ].filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (!missing.length) return;
  if (!isRoot || !has('apt-get')) {
    console.warn(`Missing Debian packages: ${missing.join(', ')}; install them (apt-get install ${missing.join(' ')}) for the full suite.`);
    return;
  }
  console.log(`Installing ${missing.join(', ')}…`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** A PostgreSQL server for the tests: TEST_DATABASE_URL, or the local Debian cluster, started if needed. */
function ensurePostgres() {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  if (!has('pg_ctlcluster') || !isRoot) return undefined;
  const clusters = execFileSync('pg_lsclusters', ['--no-header']).toString().trim().split('\n').filter(Boolean);
  if (!clusters.length) return undefined;
  const [version, name, port, status] = clusters[0].split(/\s+/);
  if (status !== 'online') run('pg_ctlcluster', [version, name, 'start']);
  const sql = `do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'kennisdag_test') then
        create role kennisdag_test login superuser password 'kennisdag_test';
      end if;
    end $$;`;
  run('su', ['postgres', '-c', `psql -q -p ${port} -c "${sql.replace(/"/g, '\\"').replace(/\$/g, '\\$')}"`], { stdio: ['ignore', 'ignore', 'inherit'] });
  return `postgres://kennisdag_test:kennisdag_test@127.0.0.1:${port}/postgres`;
}

ensureInstalled();
ensureDebianPackages();
const databaseUrl = ensurePostgres();
if (!databaseUrl) {
  if (process.env.CI) {
    console.error('No PostgreSQL server for the tests: set TEST_DATABASE_URL or install Debian\'s postgresql.');
    process.exit(1);
  }
  console.warn('No PostgreSQL server found: the database tests run on PGlite only.');
}
ensureBuilt();

const report = join(mkdtempSync(join(tmpdir(), 'kennisdag-test-')), 'report.json');
const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'server', '--project', 'e2e', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, ...(databaseUrl ? { TEST_DATABASE_URL: databaseUrl } : {}) } }
);

let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
if (existsSync(report)) summary = JSON.parse(readFileSync(report, 'utf8'));
const failed = summary.numFailedTests + (vitest.status !== 0 && summary.numFailedTests === 0 ? 1 : 0);
console.log(`${summary.numPassedTests} passed, ${failed} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`);
process.exit(vitest.status ?? 1);
