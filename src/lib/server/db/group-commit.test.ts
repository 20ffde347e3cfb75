import { describe, expect, it } from 'vitest';
import { GroupCommit, type Outcome } from './group-commit';

/** A writer whose batches finish when the test says so. */
function controlledWriter() {
  const batches: { calls: number[]; finish: (outcomes?: Outcome<string>[]) => void; fail: (error: Error) => void }[] = [];
  const write = (calls: number[]) =>
    new Promise<Outcome<string>[]>((resolve, reject) => {
      batches.push({
        calls,
        finish: (outcomes) => resolve(outcomes ?? calls.map((call) => ({ ok: true, value: `done ${call}` }))),
        fail: reject
      });
    });
  return { batches, write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes the first call at once and the calls that arrive meanwhile together in the next batch', async () => {
    const { batches, write } = controlledWriter();
    const group = new GroupCommit(write, { maxBatch: 100, maxInFlight: 1 });
    const first = group.submit(1);
    await settle();
    expect(batches.map((b) => b.calls)).toEqual([[1]]);

    const waiting = [2, 3, 4].map((call) => group.submit(call));
    await settle();
    expect(batches).toHaveLength(1);
    batches[0].finish();
    expect(await first).toBe('done 1');
    await settle();
    expect(batches.map((b) => b.calls)).toEqual([[1], [2, 3, 4]]);
    batches[1].finish();
    expect(await Promise.all(waiting)).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('answers each call with its own outcome, and a failed batch fails only its own calls', async () => {
    const { batches, write } = controlledWriter();
    const group = new GroupCommit(write, { maxBatch: 100, maxInFlight: 1 });
    const calls = [1, 2, 3].map((call) => group.submit(call).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    await settle();
    batches[0].finish([{ ok: true, value: 'one' }, { ok: false, error: new Error('refused') }, { ok: true, value: 'three' }]);
    expect(await Promise.all(calls)).toEqual([{ value: 'one' }, { error: 'refused' }, { value: 'three' }]);

    const lost = group.submit(4).catch((error: Error) => error.message);
    await settle();
    batches[1].fail(new Error('connection lost'));
    expect(await lost).toBe('connection lost');
    const next = group.submit(5);
    await settle();
    batches[2].finish();
    expect(await next).toBe('done 5');
  });

  it('keeps batches within their size and the number in flight', async () => {
    const { batches, write } = controlledWriter();
    const group = new GroupCommit(write, { maxBatch: 3, maxInFlight: 2 });
    const all = Array.from({ length: 8 }, (_, i) => group.submit(i));
    await settle();
    expect(batches.map((b) => b.calls)).toEqual([[0, 1, 2], [3, 4, 5]]);
    batches[1].finish();
    await settle();
    expect(batches.map((b) => b.calls)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
    batches[0].finish();
    batches[2].finish();
    expect(await Promise.all(all)).toEqual(Array.from({ length: 8 }, (_, i) => `done ${i}`));
  });
});
