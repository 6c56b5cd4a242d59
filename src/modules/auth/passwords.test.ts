import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../config.js';
import { DEFAULT_SCRYPT_N, PasswordHasher } from './passwords.js';

// A hash in the format and at the cost (N=2^14) the previous version stored.
const LEGACY = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$' + 'x'.repeat(43);

describe('password hashes', () => {
  it('are made with OWASP’s scrypt parameters by default (N=2^17, r=8, p=1), which the configuration keeps unless told otherwise', async () => {
    assert.equal(DEFAULT_SCRYPT_N, 131072);
    assert.equal(loadConfig({}).passwordScryptN, 131072);
    const hasher = new PasswordHasher();
    const hash = await hasher.hash('correct horse battery');
    assert.match(hash, /^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.equal(hasher.needsRehash(hash), false);
    assert.match(hasher.dummyHash, /^scrypt\$131072\$8\$1\$/, 'unknown emails cost a check at the same price');
  });

  it('refuse a PASSWORD_SCRYPT_N that is not a power of two or out of range', () => {
    assert.throws(() => loadConfig({ PASSWORD_SCRYPT_N: '100000' }), /PASSWORD_SCRYPT_N: expected a power of two/);
    assert.throws(() => loadConfig({ PASSWORD_SCRYPT_N: '512' }), /PASSWORD_SCRYPT_N/);
  });

  it('still verify a hash of the previous cost, and call for its replacement', async () => {
    // Small costs for speed: what matters is old < new.
    const old = new PasswordHasher(2 ** 10);
    const stored = await old.hash('legacy password');
    assert.match(stored, /^scrypt\$1024\$/);
    const hasher = new PasswordHasher(2 ** 11);
    assert.equal(await hasher.verify('legacy password', stored), true);
    assert.equal(await hasher.verify('wrong', stored), false);
    assert.equal(hasher.needsRehash(stored), true);
    assert.equal(new PasswordHasher().needsRehash(LEGACY), true, 'the previous version’s 2^14 hashes are replaced');
    assert.equal(new PasswordHasher(2 ** 10).needsRehash(stored), false);
  });

  it('treat malformed or absurdly expensive stored hashes as a wrong password, not a crash', async () => {
    const hasher = new PasswordHasher(1024);
    for (const stored of ['', 'bcrypt$x', 'scrypt$abc$8$1$AA$AA', 'scrypt$1073741824$8$1$AAAA$AAAA', 'scrypt$1024$8$1$AAAA$']) {
      assert.equal(await hasher.verify('x', stored), false, stored);
    }
  });
});
