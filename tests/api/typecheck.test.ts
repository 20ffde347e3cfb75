import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** TypeScript strict holds for every module and component: svelte-check finds no error. */
describe('the type checker', () => {
  it('finds no errors in the app', async () => {
    const bin = new URL('../../node_modules/svelte-check/bin/svelte-check', import.meta.url).pathname;
    const result = await promisify(execFile)(process.execPath, [bin, '--tsconfig', './tsconfig.json', '--output', 'machine', '--threshold', 'error'], {
      cwd: new URL('../..', import.meta.url).pathname,
      timeout: 170_000,
      maxBuffer: 20 * 1024 * 1024
    }).catch((error: { stdout: string }) => error);
    const errors = result.stdout.split('\n').filter((line) => / ERROR /.test(line));
    expect(errors).toEqual([]);
    expect(result.stdout).toMatch(/COMPLETED \d+ FILES 0 ERRORS/);
  }, 180_000);
});
