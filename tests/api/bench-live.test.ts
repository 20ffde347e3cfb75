import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The live benchmark itself runs to the end on a small hall, with nothing lost. */
describe('npm run bench:live', () => {
  it('joins, streams and votes with 20 phones and loses nothing', async () => {
    const script = new URL('../../scripts/bench-live.mjs', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--phones', '20', '--window', '1000', '--json'], { timeout: 170_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ phones: 20, joined: 20, streams: 20, acknowledged: 20, lost: 0, countsMatch: true, unseenOnProjector: 0, errors: 0 });
    // Every figure the report names is there, measured from the tap, beside the same-run baseline.
    for (const figure of ['tapToProjector', 'voteAck']) expect(result[figure]).toMatchObject({ n: 20, p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) });
    expect(result.capacity).toBeGreaterThan(0);
    expect(result.baseline.votesPerSecond).toBeGreaterThan(0);
    expect(result.capacityToBaseline).toBeCloseTo(result.capacity / result.baseline.votesPerSecond, 1);
  }, 180_000);
});
