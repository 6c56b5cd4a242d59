// Credentials shown to their owner once: API keys, device tokens, webhook signing secrets and
// generated passwords. Minting one inside collectMintedSecrets() also hands it to the collector,
// so a reply can be stored (for Idempotency-Key replays) without the secret in it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomToken } from './ids.js';

const collector = new AsyncLocalStorage<Set<string>>();

/** A random URL-safe secret of `bytes` bytes; reported to the collector of the current request, if any. */
export function mintSecret(bytes: number): string {
  const secret = randomToken(bytes);
  collector.getStore()?.add(secret);
  return secret;
}

/** Runs `fn` (and everything it starts) so that the secrets it mints land in `into`. */
export function collectMintedSecrets<T>(into: Set<string>, fn: () => T): T {
  return collector.run(into, fn);
}

export const REDACTED = '[redacted]';

/** `text` with every occurrence of each secret replaced (a secret inside a URL or a prefix too). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) out = out.replaceAll(s, REDACTED);
  return out;
}
