// The bounds every request body is checked against: the quick answers must be the exact ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNul, freeJsonProblem, jsonDepthOver } from './json-bounds.js';

const nested = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('JSON bounds', () => {
  it('finds the path of a NUL in a string or a key at any depth, and nothing in clean values', () => {
    assert.equal(findNul({ positions: [{ a: 'x' }, { b: ['y', 'z'] }] }), null);
    assert.equal(findNul({ positions: [{ a: 'x' }, { b: ['y', 'z\u0000'] }] }), '/positions/1/b/1');
    assert.equal(findNul({ positions: [{ 'k\u0000ey': 1 }] }), '/positions/0/k\\u0000ey');
    assert.equal(findNul('a\u0000'), '');
    assert.equal(findNul(7), null);
  });

  it('measures depth: a scalar is 0, {} is 1', () => {
    assert.equal(jsonDepthOver(nested(16), 16), false);
    assert.equal(jsonDepthOver(nested(17), 16), true);
    assert.equal(jsonDepthOver({}, 1), false);
    assert.equal(jsonDepthOver([[]], 1), true);
    assert.equal(jsonDepthOver(5, 0), false);
  });

  it('refuses a free value by its exact JSON size, multi-byte and escaped characters counted as sent', () => {
    // {"s":"…"} is 8 bytes around the string; '€' is 3 bytes of UTF-8, a quote 2 bytes escaped.
    const limit = 1000;
    const euros = (n: number) => ({ s: '€'.repeat(n) });
    assert.equal(freeJsonProblem(euros(330), 16, limit), null, `${Buffer.byteLength(JSON.stringify(euros(330)))} bytes`);
    assert.match(freeJsonProblem(euros(331), 16, limit) ?? '', /larger than 1000 bytes as JSON \(1001\)/);
    const quotes = (n: number) => ({ s: '"'.repeat(n) });
    assert.equal(freeJsonProblem(quotes(496), 16, limit), null);
    assert.match(freeJsonProblem(quotes(497), 16, limit) ?? '', /\(1002\)/);
    // Many small values add up the same way.
    const many = Array.from({ length: 200 }, (_, i) => i);
    assert.equal(freeJsonProblem(many, 16, Buffer.byteLength(JSON.stringify(many))), null);
    assert.match(freeJsonProblem(many, 16, Buffer.byteLength(JSON.stringify(many)) - 1) ?? '', /larger than/);
    assert.equal(freeJsonProblem(nested(17)), 'is nested deeper than 16 levels');
  });
});
