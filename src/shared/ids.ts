import { randomBytes, randomUUID, createHash, timingSafeEqual } from 'node:crypto';

export const newId = (): string => randomUUID();

/** URL-safe random token with `bytes` bytes of entropy (base64url, no padding). */
export const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** Tokens with ≥128 random bits need no slow hash: SHA-256 makes the stored value useless to a thief. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
