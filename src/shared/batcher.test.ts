import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  const recording = (max?: number) => {
    const calls: string[][] = [];
    const b = new Batcher<string, string>(
      async (keys) => {
        calls.push([...keys]);
        return keys.map((k) => k.toUpperCase());
      },
      (k) => k,
      max,
    );
    return { b, calls };
  };

  it('answers the lookups of one turn with one call, once per distinct key', async () => {
    const { b, calls } = recording();
    const got = await Promise.all(['a', 'b', 'a', 'c'].map((k) => b.get(k)));
    assert.deepEqual(got, ['A', 'B', 'A', 'C']);
    assert.deepEqual(calls, [['a', 'b', 'c']]);
  });

  it('makes a new call for lookups of a later turn', async () => {
    const { b, calls } = recording();
    assert.equal(await b.get('a'), 'A');
    assert.equal(await b.get('a'), 'A');
    assert.deepEqual(calls, [['a'], ['a']]);
  });

  it('splits a turn larger than its batch size', async () => {
    const { b, calls } = recording(2);
    const got = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => b.get(k)));
    assert.deepEqual(got, ['A', 'B', 'C', 'D', 'E']);
    assert.deepEqual(calls, [['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('rejects every lookup of a failed call, and the next turn tries again', async () => {
    let fail = true;
    const b = new Batcher<string, string>(
      async (keys) => {
        if (fail) throw new Error('store down');
        return keys;
      },
      (k) => k,
    );
    const results = await Promise.allSettled([b.get('a'), b.get('b')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    fail = false;
    assert.equal(await b.get('a'), 'a');
  });
});
