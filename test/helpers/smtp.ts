// A real SMTP server in the test process (smtp-server), keeping every accepted message parsed,
// able to refuse the next messages with a given reply code to exercise retries, and to stall:
// keep a message (as a real server has it once the data arrived) but answer only later.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Services } from '../../src/services.js';
import type { TestOrg } from './context.js';

export interface ReceivedMail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  messageId: string | undefined;
  /** When the data had arrived (the message is kept from then, whatever happens to the sender). */
  at: number;
  parsed: ParsedMail;
}

export interface SmtpSink {
  url: string;
  messages: ReceivedMail[];
  /** The next `count` messages are refused with these reply codes, in order (e.g. [451, 554]). */
  refuse(codes: number[]): void;
  /** How many messages were refused so far. */
  refused(): number;
  /** From now on, every accepted message is answered `250` only after ms (0: at once). */
  stall(ms: number): void;
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  let refusals: number[] = [];
  let refusedCount = 0;
  let stallMs = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = refusals.shift();
        if (code !== undefined) {
          refusedCount++;
          const err = Object.assign(new Error(code >= 500 ? 'Message rejected by test policy' : 'Mailbox busy, try again later'), { responseCode: code });
          callback(err);
          return;
        }
        const rcpt = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const at = Date.now();
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            messages.push({ to: rcpt, subject: parsed.subject ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', text: parsed.text ?? '', messageId: parsed.messageId, at, parsed });
            if (stallMs) setTimeout(() => callback(), stallMs);
            else callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuse(codes) {
      refusals = [...codes];
    },
    refused: () => refusedCount,
    stall(ms) {
      stallMs = ms;
    },
    to: (address) => messages.filter((m) => m.to.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until check() returns a truthy value; fails with the message after timeoutMs. */
export async function waitFor<T>(check: () => Promise<T> | T, message: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out: ${message}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs the outbox worker until no email of this shipment is pending or being sent. */
export async function drainOutbox(services: Services, org: TestOrg, shipmentId: string): Promise<void> {
  await waitFor(async () => {
    await services.notifications.worker.runOnce();
    const pending = await org.api.get(`/api/v1/outbox?shipment_id=${shipmentId}&status=pending`);
    const sending = await org.api.get(`/api/v1/outbox?shipment_id=${shipmentId}&status=sending`);
    return pending.body.items.length === 0 && sending.body.items.length === 0;
  }, 'outbox drained');
}
