// After the suite: no secret a test recorded (API keys, device tokens, link slugs, passwords)
// may appear in any log an app or server process wrote during that run.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const TOKEN = /[A-Za-z0-9_-]+/g;
const TOKEN_ONLY = /^[A-Za-z0-9_-]+$/;

function filesIn(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((n) => path.join(dir, n)).filter((p) => statSync(p).isFile());
}

/** Returns the leaks found: [{ file, line, secret }] with the secret shortened. */
export function findLeaks(logDir, secretDir) {
  const secrets = new Set();
  for (const f of filesIn(secretDir)) {
    for (const s of readFileSync(f, 'utf8').split('\n')) if (s.length >= 10) secrets.add(s);
  }
  const plain = [...secrets].filter((s) => TOKEN_ONLY.test(s));
  const other = [...secrets].filter((s) => !TOKEN_ONLY.test(s));
  const leaks = [];
  const logs = filesIn(logDir);
  let bytes = 0;
  for (const file of logs) {
    const text = readFileSync(file, 'utf8');
    bytes += text.length;
    // Secrets are single tokens of [A-Za-z0-9_-]; a set of the log's tokens finds them without
    // scanning the whole text once per secret.
    // A secret may be logged percent-encoded in part (/t/Ab%43d…): look in the decoded text too.
    const decoded = text.includes('%') ? text.replace(/%([0-9a-fA-F]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16))) : text;
    const tokens = new Set(text.match(TOKEN) ?? []);
    if (decoded !== text) for (const t of decoded.match(TOKEN) ?? []) tokens.add(t);
    const hits = plain.filter((s) => tokens.has(s)).concat(other.filter((s) => text.includes(s) || decoded.includes(s)));
    for (const secret of hits) {
      const where = text.includes(secret) ? text : decoded;
      const at = Math.max(0, where.indexOf(secret));
      leaks.push({ file, line: where.slice(0, at).split('\n').length, secret: `${secret.slice(0, 6)}…` });
    }
  }
  return { leaks, secrets: secrets.size, logs: logs.length, bytes };
}

/** Deletes runs older than a few hours so test-output does not grow without end. */
export function pruneOldRuns(root, keepMs = 6 * 3600_000) {
  for (const kind of ['logs', 'secrets']) {
    const dir = path.join(root, 'test-output', kind);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (Date.now() - statSync(p).mtimeMs > keepMs) rmSync(p, { recursive: true, force: true });
    }
  }
}

/** Prints the verdict for one run; true when clean. */
export function checkRun(root, run) {
  const { leaks, secrets, logs, bytes } = findLeaks(path.join(root, 'test-output', 'logs', run), path.join(root, 'test-output', 'secrets', run));
  if (leaks.length) {
    console.error(`# log redaction: ${leaks.length} secret(s) found in logs:`);
    for (const l of leaks.slice(0, 50)) console.error(`#   ${l.secret} in ${path.relative(root, l.file)}:${l.line}`);
    return false;
  }
  console.log(`# log redaction: ${secrets} recorded secrets absent from ${logs} log files (${(bytes / 1e6).toFixed(1)} MB)`);
  return true;
}
