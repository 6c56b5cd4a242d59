// An outbox row's last_error is read by every dispatcher of the tenant: it says what went wrong in
// words (refused, timed out, the recipient's 550) and never names the operator's SMTP host,
// address or port, or anything else of the operator's network; the operator's log has the whole
// error. Against a real SMTP server (smtp-server) and a closed port.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { describeStores, TEST_BACKGROUND, type TestContext, type TestOrg } from '../helpers/context.js';
import { consignmentBody, uniqueRef } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/smtp.js';
import { smtpFailure } from '../../src/modules/notifications/mailer.js';
import { INTERNAL_FAILURE, OutboxWorker } from '../../src/modules/notifications/outbox.worker.js';

/** A port nothing listens on: taken from the system, then given back. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

// A real server that takes mail for nobody: every RCPT TO gets 550, its reply quoting a relay's address.
const rejecting = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown (relay 10.9.8.7:2525)`), { responseCode: 550 }));
  },
});
await new Promise<void>((resolve) => rejecting.listen(0, '127.0.0.1', resolve));
const rejectingPort = (rejecting.server.address() as AddressInfo).port;
after(() => new Promise<void>((resolve) => rejecting.close(() => resolve())));
const refusedPort = await closedPort();

/** Sends one email through a contact task and returns its outbox row as a dispatcher reads it, with the API's whole text. */
async function failedEmail(ctx: TestContext, org: TestOrg): Promise<{ row: { status: string; last_error: string }; text: string }> {
  const to = `nobody.${uniqueRef('n').toLowerCase()}@example.test`;
  const tpl = await org.api.post('/api/v1/email-templates', { name: 'Hi', subject: 'Hi {{recipient.name}}', html: '<p>Hi</p>', text: 'Hi' });
  assert.equal(tpl.status, 201, tpl.text);
  const task = await org.api.post('/api/v1/tasks', { name: 'Created', trigger: 'shipment_created', level: 'shipment', recipients: [to], template_id: tpl.body.id, enabled: true });
  assert.equal(task.status, 201, task.text);
  const s = (await org.api.post('/api/v1/shipments', consignmentBody())).body as { id: string };
  const dispatcher = await org.withRole('dispatcher');
  return waitFor(async () => {
    await ctx.services.notifications.worker.runOnce();
    const r = await dispatcher.get(`/api/v1/outbox?shipment_id=${s.id}`);
    const row = r.body.items.find((o: { last_error: string | null }) => o.last_error);
    return row ? { row, text: r.text } : null;
  }, 'a failed attempt recorded');
}

function assertNoInfrastructure(text: string, port: number) {
  assert.doesNotMatch(text, /127\.0\.0\.1|10\.9\.8\.7|localhost|ECONNREFUSED/, text);
  assert.ok(!text.includes(String(port)), `the port ${port} is not shown: ${text}`);
}

await describeStores(
  'outbox errors with the SMTP server down',
  (ctx) => {
    it('tells a dispatcher the mail server refused the connection, without its address or port; the log has them', async () => {
      const { row, text } = await failedEmail(ctx(), await ctx().newOrg());
      assert.equal(row.status, 'pending');
      assert.equal(row.last_error, 'The mail server refused the connection', 'old code: "connect ECONNREFUSED 127.0.0.1:<port>"');
      assertNoInfrastructure(text, refusedPort);
      const log = readFileSync(ctx().logFile, 'utf8');
      assert.match(log, new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${refusedPort}`), 'the operator reads the whole error');
    });
  },
  { SMTP_URL: `smtp://127.0.0.1:${refusedPort}`, OUTBOX_RETRY_BASE_MS: '60000' },
  { background: [...TEST_BACKGROUND, 'outbox-worker'] },
);

await describeStores(
  'outbox errors with a recipient the server rejects',
  (ctx) => {
    it("shows the server's 550 reply for the recipient, with no address in it", async () => {
      const { row, text } = await failedEmail(ctx(), await ctx().newOrg());
      assert.match(row.last_error, /^The mail server rejected the recipient: 550 5\.1\.1 <nobody\.[^>]+>: Recipient address rejected: User unknown \(relay …\)$/, row.last_error);
      assertNoInfrastructure(text, rejectingPort);
    });

    it('shows a generic failure, not the error, when delivery fails for a reason nobody described (the database, a bug)', async () => {
      const org = await ctx().newOrg();
      const hook = await org.api.post('/api/v1/webhooks', { url: 'https://93.184.216.34/hook', events: ['link.created'] });
      assert.equal(hook.status, 201, hook.text);
      const queued = await org.api.post(`/api/v1/webhooks/${hook.body.id}/test`, {});
      assert.equal(queued.status, 202, queued.text);
      const logged: unknown[] = [];
      const worker = new OutboxWorker(
        ctx().repos.notifications,
        { webhook: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432 (db.internal)')) },
        { pollMs: 1000, retryBaseMs: 60_000, maxAttempts: 5, leaseMs: 5000, batch: 20, log: (_l, msg, data) => logged.push({ msg, ...data }) },
      );
      await worker.runOnce();
      const d = await org.api.get(`/api/v1/webhooks/${hook.body.id}/deliveries`);
      const row = d.body.items.find((x: { id: string }) => x.id === queued.body.delivery_id);
      assert.equal(row.last_error, INTERNAL_FAILURE, 'old code: the raw error');
      assert.doesNotMatch(d.text, /10\.0\.0\.5|5432|db\.internal/);
      assert.match(JSON.stringify(logged), /ECONNREFUSED 10\.0\.0\.5:5432/, 'the operator reads the whole error');
    });
  },
  { SMTP_URL: `smtp://127.0.0.1:${rejectingPort}`, OUTBOX_RETRY_BASE_MS: '60000' },
);

it('describes every kind of SMTP failure in words, without the host, address or port nodemailer names', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ code: 'ETIMEDOUT', message: 'Greeting never received', command: 'CONN' }, 'The mail server did not answer in time'],
    [{ code: 'EDNS', originalCode: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND smtp.corp.internal' }, "The mail server's name could not be resolved"],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.5:587' }, 'The mail server refused the connection'],
    [{ code: 'ETLS', message: 'Error initiating TLS - Hostname/IP does not match certificate: smtp.corp.internal' }, 'No secure connection could be made with the mail server'],
    [{ code: 'EAUTH', response: '535 5.7.8 Authentication failed for relay smtp.corp.internal', responseCode: 535 }, "The mail server refused this service's sign-in; the operator must fix the SMTP settings"],
    [{ code: 'EMESSAGE', response: '554 5.7.1 Message rejected as spam\r\nsmtp.corp.internal', responseCode: 554 }, 'The mail server rejected the message: 554 5.7.1 Message rejected as spam'],
    [{ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'The mail server could not be reached'],
  ];
  for (const [err, text] of cases) assert.equal(smtpFailure(Object.assign(new Error(String(err.message ?? '')), err)), text);
});

it("names no host of the server's reply: servers name themselves or their relay, the recipient's address stays", () => {
  const cases: [Record<string, unknown>, string][] = [
    // Postfix's answer to one connection too many (nodemailer: EPROTOCOL, the greeting).
    [{ code: 'EPROTOCOL', response: '421 4.7.0 relay01.corp.lan Error: too many connections from [10.1.2.3]', responseCode: 421 }, 'The mail server answered with an error: 421 4.7.0 … Error: too many connections from …'],
    [{ code: 'EENVELOPE', response: '550 5.7.1 <bob.smith@example.test>: Relay access denied by mx1.corp.internal.', responseCode: 550 }, 'The mail server rejected the recipient: 550 5.7.1 <bob.smith@example.test>: Relay access denied by ….'],
    [{ code: 'EMESSAGE', response: '554 5.6.0 Message rejected, e.g. too large (smtp-out.corp.internal:2525)', responseCode: 554 }, 'The mail server rejected the message: 554 5.6.0 Message rejected, e.g. too large (…)'],
  ];
  for (const [err, text] of cases) assert.equal(smtpFailure(Object.assign(new Error('x'), err)), text, 'old code: the host name was shown');
});

it('blames the recipient only for a refused RCPT TO: a refused sender is the operator’s to fix', () => {
  const refused = (command: string, response: string) => smtpFailure(Object.assign(new Error('x'), { code: 'EENVELOPE', command, response, responseCode: Number(response.slice(0, 3)) }));
  assert.equal(
    refused('MAIL FROM', '553 5.7.1 <no-reply@tracklink.test>: Sender address rejected: not owned by user'),
    "The mail server refused this service's sender address; the operator must fix MAIL_FROM or the SMTP settings: 553 5.7.1 <no-reply@tracklink.test>: Sender address rejected: not owned by user",
    'old code: "rejected the recipient"',
  );
  assert.equal(refused('DATA', '554 5.7.1 Message refused: sending rate exceeded'), 'The mail server rejected the message: 554 5.7.1 Message refused: sending rate exceeded');
  assert.equal(refused('RCPT TO', '550 5.1.1 <a@example.test>: User unknown'), 'The mail server rejected the recipient: 550 5.1.1 <a@example.test>: User unknown');
});
