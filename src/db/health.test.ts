// Which store errors are a temporary condition (a 503 with Retry-After) rather than a fault (500).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { storeProblem } from './health.js';

it('reads a PostgreSQL deadlock or serialization failure as a busy store, and a constraint violation as none', () => {
  assert.equal(storeProblem({ code: '40P01', message: 'deadlock detected' }), 'busy');
  assert.equal(storeProblem({ code: '40001', message: 'could not serialize access' }), 'busy');
  assert.equal(storeProblem({ code: '57014', message: 'canceling statement due to statement timeout' }), 'timeout');
  assert.equal(storeProblem({ code: '23505', message: 'duplicate key value' }), null);
});
