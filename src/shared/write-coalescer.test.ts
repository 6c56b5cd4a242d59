import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteCoalescer } from './write-coalescer.js';

describe('WriteCoalescer', () => {
  /** A write of numbers that fails as a whole when any of them is negative (as a transaction would). */
  const recording = (maxWeight?: number) => {
    const calls: number[][] = [];
    const c = new WriteCoalescer<number, number>(
      async (items) => {
        calls.push([...items]);
        if (items.some((n) => n < 0)) throw new Error(`bad ${items.find((n) => n < 0)}`);
        return items.map((n) => n * 10);
      },
      (n) => Math.abs(n),
      maxWeight,
    );
    return { c, calls };
  };

  it('writes what is asked in one turn with one call, in order, answering each its own result', async () => {
    const { c, calls } = recording();
    assert.deepEqual(await Promise.all([1, 2, 3].map((n) => c.run(n))), [10, 20, 30]);
    assert.deepEqual(calls, [[1, 2, 3]]);
  });

  it('answers nobody before the shared write has returned', async () => {
    let finish: () => void = () => {};
    const c = new WriteCoalescer<number, number>((items) => new Promise((resolve) => (finish = () => resolve(items))));
    let answered = 0;
    const all = Promise.all([1, 2].map((n) => c.run(n).then(() => answered++)));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(answered, 0);
    finish();
    await all;
    assert.equal(answered, 2);
  });

  it('fails only the bad write of a group: the others are written again on their own and succeed', async () => {
    const { c, calls } = recording();
    const got = await Promise.allSettled([1, -2, 3].map((n) => c.run(n)));
    assert.deepEqual(
      got.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      [10, 'bad -2', 30],
    );
    assert.deepEqual(calls, [[1, -2, 3], [1], [-2], [3]]);
  });

  it('splits a turn heavier than maxWeight, keeping the order', async () => {
    const { c, calls } = recording(5);
    assert.deepEqual(await Promise.all([2, 2, 2, 9, 1].map((n) => c.run(n))), [20, 20, 20, 90, 10]);
    assert.deepEqual(calls, [[2, 2], [2], [9], [1]]);
  });

  it('lets writes asked for during a running write wait for it, then go together', async () => {
    const calls: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const c = new WriteCoalescer<number, number>(async (items) => {
      calls.push([...items]);
      if (items[0] === 1) await gate;
      return items;
    });
    const first = c.run(1);
    await new Promise((r) => setImmediate(r));
    const later = [c.run(2), c.run(3)];
    await new Promise((r) => setImmediate(r));
    const more = c.run(4);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls, [[1]], 'nothing else is written while the first write runs');
    release();
    assert.deepEqual(await Promise.all([first, ...later, more]), [1, 2, 3, 4]);
    assert.deepEqual(calls, [[1], [2, 3, 4]]);
  });
});
