// scrypt password hashes, "scrypt$N$r$p$salt$hash", so the cost can be raised later: a hash made
// with a lower cost than today's is replaced at the next successful sign-in.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** OWASP's scrypt minimum: N=2^17, r=8, p=1 (128 MiB and a few hundred ms per hash). */
export const DEFAULT_SCRYPT_N = 2 ** 17;
const R = 8;
const P = 1;
const KEYLEN = 32;
/** Stored hashes above this cost are not ours: refusing them bounds the memory one check may take. */
const MAX_N = 2 ** 20;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

// scrypt needs 128·N·r bytes; Node refuses anything over maxmem (32 MiB by default).
const maxmem = (n: number, r: number) => 256 * n * r;

interface Parsed {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (![n, r, p].every(Number.isSafeInteger) || n < 2 || n > MAX_N || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { n, r, p, salt: Buffer.from(parts[4], 'base64url'), key: Buffer.from(parts[5], 'base64url') };
}

export class PasswordHasher {
  /** A hash of nothing at today's cost: checked when no account matches, so timing tells nothing. */
  readonly dummyHash: string;

  /** `n`: scrypt's N for new hashes; only tests lower it (PASSWORD_SCRYPT_N). */
  constructor(private readonly n: number = DEFAULT_SCRYPT_N) {
    this.dummyHash = `scrypt$${n}$${R}$${P}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEYLEN).toString('base64url')}`;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, KEYLEN, { N: this.n, r: R, p: P, maxmem: maxmem(this.n, R) });
    return `scrypt$${this.n}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const h = parse(stored);
    if (!h || !h.key.length) return false;
    const key = await scrypt(password, h.salt, h.key.length, { N: h.n, r: h.r, p: h.p, maxmem: maxmem(h.n, h.r) });
    return timingSafeEqual(key, h.key);
  }

  /** True when `stored` was made with less work than a new hash gets (an older, cheaper setting). */
  needsRehash(stored: string): boolean {
    const h = parse(stored);
    return !h || h.n < this.n || h.r < R || h.p < P;
  }
}
