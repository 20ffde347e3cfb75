import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organiser, startServer, type TestServer } from '../helpers/server';

/**
 * The shared contract checker (../shared/contract-check, beside the repository) replays each sample
 * event through the API by operationId, as an outside integration would.
 */
const checker = new URL('../../../shared/contract-check/day.mjs', import.meta.url).pathname;
const samples = new URL('../../../shared/samples/', import.meta.url).pathname;
const run = promisify(execFile);

describe.runIf(existsSync(checker))('the contract checker', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  }, 300_000);
  afterAll(() => server?.stop());

  it.each(['cioforum-masterclass.en.json', 'cionet-2012.nl.json'])('replays %s through the whole day and the recap', async (sample) => {
    const result = await run(process.execPath, [checker, samples + sample, 'all'], {
      env: { ...process.env, BASE: server.url, ORG_EMAIL: organiser.email, ORG_PASSWORD: organiser.password },
      timeout: 120_000
    }).catch((error: { stdout: string; stderr: string }) => error);
    const failures = result.stdout.split('\n').filter((line) => line.startsWith('FAIL'));
    const theses = JSON.parse(readFileSync(samples + sample, 'utf8')).theses.length;
    // The checker looks for "Thesis 1" in the PDF and on the public page even when an event had no
    // theses (the Dutch sample is a day of talks); a recap cannot honestly contain it then.
    const expected = theses ? [] : ['FAIL the PDF text holds the theses', 'FAIL the published recap is public'];
    expect(failures).toEqual(expected);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!).failures).toBe(expected.length);
  });
});
