// Where a test run keeps what the log-redaction check reads: every log an app or server process
// writes (test-output/logs/<run>/) and every secret tests created (test-output/secrets/<run>/).
// scripts/test.mjs names the run (TRACKLINK_TEST_RUN) and, after the suite, fails it if any
// recorded secret appears in any log. Runs of several engineers side by side never mix.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUN = process.env.TRACKLINK_TEST_RUN ?? 'adhoc';
export const LOG_DIR = path.join(ROOT, 'test-output', 'logs', RUN);
export const SECRET_DIR = path.join(ROOT, 'test-output', 'secrets', RUN);

let fileCounter = 0;

/** A fresh log file path for this test process, e.g. for an app's pino destination. */
export function testLogFile(label: string): string {
  mkdirSync(LOG_DIR, { recursive: true });
  return path.join(LOG_DIR, `${label}-${process.pid}-${++fileCounter}.log`);
}

/** Remembers values that must never reach a log: API keys, device tokens, link slugs, passwords. */
export function recordSecret(...values: (string | null | undefined)[]): void {
  const real = values.filter((v): v is string => typeof v === 'string' && v.length >= 10 && !v.includes('\n'));
  if (!real.length) return;
  mkdirSync(SECRET_DIR, { recursive: true });
  appendFileSync(path.join(SECRET_DIR, `${process.pid}.txt`), `${real.join('\n')}\n`);
}

const SECRET_KEYS = /^(slug|token|api_key|secret|password|owner_password|device_token|[a-z_]*_token|[a-z_]*_secret)$/;
const SLUG_IN_URL = /\/t\/([A-Za-z0-9_-]{10,})/g;

/**
 * Records the secrets an API reply hands out (keys named like slug/token/api_key/password, and
 * slugs inside tracking URLs), so every test using the helper clients is covered without
 * calling recordSecret itself.
 */
export function recordSecretsIn(body: unknown, depth = 0): void {
  if (depth > 6 || body === null || typeof body !== 'object') return;
  const found: string[] = [];
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') {
      if (SECRET_KEYS.test(k)) found.push(v);
      for (const m of v.matchAll(SLUG_IN_URL)) found.push(m[1]);
    } else if (v && typeof v === 'object') recordSecretsIn(v, depth + 1);
  }
  recordSecret(...found);
}
