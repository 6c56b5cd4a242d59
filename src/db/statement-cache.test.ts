import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { withStatementCache } from './index.js';

describe('SQLite statement cache', () => {
  const open = () => {
    const handle = new SQLite(':memory:');
    handle.exec('create table t (id integer primary key, v text)');
    return handle;
  };

  it('hands out one statement per SQL text and still runs it with new parameters', () => {
    const db = withStatementCache(open());
    const insert = db.prepare('insert into t (v) values (?)');
    assert.equal(db.prepare('insert into t (v) values (?)'), insert);
    insert.run(['a']);
    db.prepare('insert into t (v) values (?)').run(['b']);
    assert.deepEqual(db.prepare('select v from t order by id').all([]), [{ v: 'a' }, { v: 'b' }]);
    db.close();
  });

  it('drops the least recently used statement beyond its size', () => {
    const db = withStatementCache(open(), 2);
    const a = db.prepare('select 1 as x');
    const b = db.prepare('select 2 as x');
    assert.equal(db.prepare('select 1 as x'), a, 'a is now the most recently used');
    db.prepare('select 3 as x');
    assert.equal(db.prepare('select 1 as x'), a, 'a was kept');
    assert.notEqual(db.prepare('select 2 as x'), b, 'b was dropped');
    db.close();
  });

  it('gives a fresh statement while the kept one is being iterated', () => {
    const db = withStatementCache(open());
    db.prepare('insert into t (v) values (?)').run(['a']);
    db.prepare('insert into t (v) values (?)').run(['b']);
    const sql = 'select v from t order by id';
    const it1 = db.prepare(sql).iterate([]);
    const first = it1.next();
    assert.deepEqual(first.value, { v: 'a' });
    assert.deepEqual(db.prepare(sql).all([]), [{ v: 'a' }, { v: 'b' }]);
    assert.deepEqual(it1.next().value, { v: 'b' });
    it1.return?.();
    db.close();
  });

  it('sees a schema change made after a statement was kept', () => {
    const handle = open();
    const db = withStatementCache(handle);
    assert.deepEqual(db.prepare('select * from t').all([]), []);
    handle.exec('alter table t add column w text');
    handle.exec("insert into t (v, w) values ('a', 'b')");
    assert.deepEqual(db.prepare('select * from t').all([]), [{ id: 1, v: 'a', w: 'b' }]);
    db.close();
  });
});
