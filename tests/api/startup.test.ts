import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtServer, ensureBuilt } from '../../scripts/prepare.mjs';

/** Runs the built server until it prints `until` or exits; returns what it printed and how it ended. */
function runServer(env: Record<string, string>, until?: RegExp, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [builtServer], { env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', ...env } });
    let stdout = '';
    let stderr = '';
    const finish = (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    };
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (until?.test(stdout)) {
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => finish(code));
  });
}

describe('start-up', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it.each([
    [{ DATABASE_URL: 'postgres://nobody:wrong@127.0.0.1:9/nothing' }, /Cannot use DATABASE_URL \(127\.0\.0\.1:9\/nothing\): nothing answers there/],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL must start with postgres:\/\//],
    [{ PUBLIC_SUPABASE_URL: 'https://x.supabase.co' }, /Supabase is half configured/]
  ])('stops on bad configuration %o with one sentence and no stack trace', async (env, message) => {
    const { code, stderr } = await runServer(env);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('keeps its data in KENNISDAG_DATA_DIR across restarts, and offers setup only until an organiser exists', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kennisdag-data-'));
    const first = await runServer({ KENNISDAG_DATA_DIR: dataDir }, /one-time code/);
    expect(first.stdout).toMatch(/enter the one-time code [0-9A-F]{8}/);

    const second = await runServer(
      { KENNISDAG_DATA_DIR: dataDir, KENNISDAG_ORGANISER_EMAIL: 'org@example.test', KENNISDAG_ORGANISER_PASSWORD: 'long enough' },
      /Kennisdag is running/
    );
    expect(second.stdout).not.toMatch(/one-time code/);

    // The organiser created by the second start is still there on the third, without the variables.
    const third = await runServer({ KENNISDAG_DATA_DIR: dataDir }, /Kennisdag is running/);
    expect(third.stdout).toMatch(/Kennisdag is running on embedded database/);
    expect(third.stdout).not.toMatch(/one-time code/);
  });
});
