// kill -9 of a `tracklink serve` process while it is sending emails to a slow SMTP server (which
// already holds the messages but has not answered yet): the restarted process sends every email
// within the claim lease, and the ones sent twice carry the same Message-ID, so receiving systems
// keep one. Delivery is at least once, never lost, never late by more than the lease.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { consignmentBody } from '../helpers/fixtures.js';
import { recordSecret } from '../helpers/context.js';
import { runCli, startServerProcess, type ServerProcess } from '../helpers/server.js';
import { startSmtpSink, waitFor } from '../helpers/smtp.js';

const LEASE_MS = 2000;
const POLL_MS = 200;

describe('outbox after kill -9 [sqlite]', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracklink-outbox-crash-'));
  const processes: ServerProcess[] = [];
  const sinkReady = startSmtpSink();
  after(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await (await sinkReady).close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends every email claimed by a killed process within the lease, duplicates with the same Message-ID', async () => {
    const smtp = await sinkReady;
    const env = {
      DATABASE_URL: `sqlite:${path.join(dir, 'tl.db')}`,
      DATA_DIR: dir,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Tracklink <no-reply@crash.example>',
      OUTBOX_LEASE_MS: String(LEASE_MS),
      OUTBOX_POLL_MS: String(POLL_MS),
    };
    const created = runCli(['org', 'create', '--name', 'Crash Co', '--country', 'NL', '--owner-email', 'o@crash.example'], env);
    assert.equal(created.status, 0, created.stderr);
    const key = (JSON.parse(created.stdout) as { api_key: string }).api_key;
    recordSecret(key);
    const first = await startServerProcess(env);
    processes.push(first);
    const api = async (server: ServerProcess, method: string, url: string, body?: unknown) => {
      const r = await fetch(`${server.url}${url}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      assert.ok(r.status < 300, `${method} ${url}: ${r.status} ${await r.clone().text()}`);
      return (await r.json()) as any;
    };
    const recipients = Array.from({ length: 6 }, (_, i) => `r${i}@receiver.example`);
    const tpl = await api(first, 'POST', '/api/v1/email-templates', { name: 'Created', subject: '{{shipment.reference}}', html: '<p>{{shipment.tracking_link}}</p>', text: '{{shipment.tracking_link}}' });
    await api(first, 'POST', '/api/v1/tasks', { name: 'Created', trigger: 'shipment_created', level: 'shipment', recipients, template_id: tpl.id, enabled: true });

    // The server keeps each message it receives but answers 250 only 10 s later: the sender is
    // killed while it waits, with nothing recorded as sent.
    smtp.stall(10_000);
    const shipment = await api(first, 'POST', '/api/v1/shipments', consignmentBody());
    await waitFor(() => smtp.messages.length > 0, 'the first process is sending', 30_000);
    await first.kill('SIGKILL');
    const killedAt = Date.now();
    const heldByTheDead = smtp.messages.length;
    smtp.stall(0);

    const second = await startServerProcess(env);
    processes.push(second);
    const readyAt = Date.now();
    const rows = await waitFor(
      async () => {
        const items = (await api(second, 'GET', `/api/v1/outbox?shipment_id=${shipment.id}&limit=50`)).items as { id: string; recipient: string; status: string; sent_at: string | null }[];
        return items.length === recipients.length && items.every((r) => r.status === 'sent') ? items : null;
      },
      'every email sent after the restart',
      30_000,
    );
    // Claims of the dead process are free LEASE_MS after its last renewal; the new one looks every POLL_MS.
    const due = Math.max(killedAt + LEASE_MS, readyAt) + POLL_MS;
    for (const row of rows) {
      const late = Date.parse(row.sent_at as string) - due;
      assert.ok(late < 5000, `${row.recipient} was sent ${late} ms after its claim ran out`);
      const got = smtp.to(row.recipient);
      assert.ok(got.length >= 1, `${row.recipient} got nothing`);
      assert.deepEqual([...new Set(got.map((m) => m.messageId))], [`<${row.id}.outbox@crash.example>`], `every copy to ${row.recipient} has the row's Message-ID`);
    }
    const duplicates = rows.filter((r) => smtp.to(r.recipient).length > 1).length;
    assert.ok(duplicates >= 1 && heldByTheDead >= 1, `the kill came mid-send: ${heldByTheDead} messages were held when it died, ${duplicates} sent again`);
  });
});
