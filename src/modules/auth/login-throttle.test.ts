import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FORGET_FAILURES_AFTER_MS, FREE_FAILURES, lockRemainingMs } from './login-throttle.js';

it('locks an email after five failures for 1 minute, doubling per further failure up to 15 minutes, and forgets after a day', () => {
  const t = 1_000_000_000;
  assert.equal(FREE_FAILURES, 5);
  assert.equal(lockRemainingMs(4, t, t), 0);
  assert.equal(lockRemainingMs(5, t, t), 60_000);
  assert.equal(lockRemainingMs(6, t, t), 120_000);
  assert.equal(lockRemainingMs(8, t, t), 480_000);
  assert.equal(lockRemainingMs(9, t, t), 900_000);
  assert.equal(lockRemainingMs(40, t, t), 900_000);
  assert.equal(lockRemainingMs(5, t, t + 59_000), 1_000);
  assert.equal(lockRemainingMs(5, t, t + 60_000), 0);
  assert.equal(lockRemainingMs(40, t, t + FORGET_FAILURES_AFTER_MS), 0);
});
