import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = new URL('../../scripts/bench-live.mjs', import.meta.url).pathname;
const run = async (env: NodeJS.ProcessEnv = {}) => {
  const { stdout } = await promisify(execFile)(process.execPath, [script, '--phones', '20', '--window', '1000', '--json'], { timeout: 170_000, env: { ...process.env, DATABASE_URL: '', ...env } });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
};

/** Every phone's vote of the round where all tap at once is answered and counted, and the capacity is measured from it. */
function expectFlood(result: Record<string, any>) {
  expect(result).toMatchObject({ floodAcknowledged: 20, floodLost: 0, floodCountsMatch: true });
  expect(result.floodAck).toMatchObject({ n: 20, p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) });
  // The votes acknowledged per second from the taps to the last answer.
  expect(result.capacity).toBeGreaterThan(0);
  expect(result.capacity / ((20 / result.floodMs) * 1000)).toBeCloseTo(1, 1);
  expect(result.baseline.votesPerSecond).toBeGreaterThan(0);
  expect(result.capacityToBaseline).toBeCloseTo(result.capacity / result.baseline.votesPerSecond, 1);
}

/** The live benchmark itself runs to the end on a small hall, with nothing lost. */
describe('npm run bench:live', () => {
  it('joins, streams and votes with 20 phones and loses nothing', async () => {
    const result = await run();
    expect(result).toMatchObject({ phones: 20, joined: 20, streams: 20, acknowledged: 20, lost: 0, countsMatch: true, unseenOnProjector: 0, errors: 0 });
    // Every figure the report names is there, measured from the tap, beside the same-run baseline.
    for (const figure of ['tapToProjector', 'voteAck']) expect(result[figure]).toMatchObject({ n: 20, p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) });
    expect(result.burstThroughput).toBeGreaterThan(0);
    // The capacity comes from the second round, every phone tapping at once on a poll of its own.
    expectFlood(result);
    expect(result.machineCpuMsPerVote).toMatchObject({ database: null, generator: expect.any(Number) });
  }, 180_000);

  it.runIf(process.env.TEST_DATABASE_URL)('runs on PostgreSQL too, and counts the CPU its backends spend on the votes', async () => {
    const result = await run({ DATABASE_URL: process.env.TEST_DATABASE_URL });
    expect(result).toMatchObject({ database: 'postgresql', acknowledged: 20, lost: 0, countsMatch: true, errors: 0 });
    expect(result.machineCpuMsPerVote.database).toBeGreaterThan(0);
    expectFlood(result);
  }, 180_000);
});
