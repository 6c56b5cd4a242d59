// SMTP through nodemailer, configured by SMTP_URL / MAIL_FROM.
import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryFailure } from './outbox.worker.js';

export interface Mail {
  to: { name: string | null; address: string };
  /** `<…@…>`, the same for every attempt at one email. */
  messageId: string;
  subject: string;
  html: string;
  text: string;
}

export class Mailer {
  private readonly transport: Transporter;
  private readonly domain: string;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // A small pool reuses connections across a batch; bounded timeouts end an attempt on a hung
    // server (the worker renews its claim meanwhile, so nobody else sends it in parallel).
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: 4,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
    // Message-IDs are under the sender's domain (RFC 5322 wants them globally unique).
    this.domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'tracklink.invalid';
  }

  /** The Message-ID of the outbox row `id`: stable across attempts and instances. */
  messageIdFor(id: string): string {
    return `<${id}.outbox@${this.domain}>`;
  }

  /** Rejects with a DeliveryFailure whose message a tenant may read (smtpFailure). */
  async send(mail: Mail): Promise<{ messageId: string }> {
    try {
      return await this.sendRaw(mail);
    } catch (err) {
      throw new DeliveryFailure(smtpFailure(err), { cause: err });
    }
  }

  private async sendRaw(mail: Mail): Promise<{ messageId: string }> {
    const info = (await this.transport.sendMail({
      from: this.from,
      to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
      // Tells auto-responders not to answer a notification (RFC 3834).
      headers: { 'Auto-Submitted': 'auto-generated' },
    })) as { messageId: string };
    return { messageId: info.messageId };
  }

  close(): void {
    this.transport.close();
  }
}

/** A nodemailer error as far as describing it goes (its `code` is nodemailer's, `originalCode` the system's). */
interface SmtpError {
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  message?: string;
  /** The SMTP command that failed ('MAIL FROM', 'RCPT TO', 'DATA'…). */
  command?: string;
}

// An IPv4 address or a bracketed IPv6 one, with any port: a remote reply may quote a relay's.
const ADDRESS = /\[?(?:\d{1,3}\.){3}\d{1,3}\]?(?::\d+)?|\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d+)?/gi;
// A host name (dotted labels, a TLD of two or more characters starting with a letter), with any
// port, that is not part of an email address: servers name themselves or their relay in replies
// (Postfix: "421 4.7.0 relay01.corp.lan Error: too many connections"). The recipient's address
// stays: it is the tenant's.
const HOST = /(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](?![\w@-]|\.[a-z0-9])(?::\d+)?/gi;

/** The remote server's reply line, as a tenant may read it: first line, no address or host name, bounded. */
function reply(e: SmtpError): string {
  const line = (e.response ?? '').split(/\r?\n/)[0].replace(ADDRESS, '…').replace(HOST, '…').trim().slice(0, 300);
  return line ? `: ${line}` : e.responseCode ? `: ${e.responseCode}` : '';
}

/**
 * What a failed send tells the tenant: what went wrong, in words, never the SMTP server's host,
 * address or port (nodemailer's messages name them: "connect ECONNREFUSED 10.0.0.5:587"). The
 * remote's reply about the recipient or the message is theirs to read (550 no such user).
 */
export function smtpFailure(err: unknown): string {
  const e = (err ?? {}) as SmtpError;
  const system = e.originalCode ?? '';
  // EENVELOPE is any envelope command's failure: only RCPT TO's is about the recipient.
  if (e.code === 'EENVELOPE' && e.command === 'MAIL FROM') return `The mail server refused this service's sender address; the operator must fix MAIL_FROM or the SMTP settings${reply(e)}`;
  if (e.code === 'EENVELOPE' && e.command === 'DATA') return `The mail server rejected the message${reply(e)}`;
  if (e.code === 'EENVELOPE') return `The mail server rejected the recipient${reply(e)}`;
  if (e.code === 'EMESSAGE') return `The mail server rejected the message${reply(e)}`;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return "The mail server refused this service's sign-in; the operator must fix the SMTP settings";
  if (e.code === 'ETIMEDOUT' || system === 'ETIMEDOUT') return 'The mail server did not answer in time';
  if (e.code === 'EDNS' || system === 'ENOTFOUND' || system === 'EAI_AGAIN') return "The mail server's name could not be resolved";
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS') return 'No secure connection could be made with the mail server';
  if (system === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message ?? '')) return 'The mail server refused the connection';
  if (system === 'ECONNRESET' || system === 'EPIPE') return 'The mail server closed the connection';
  if (e.responseCode) return `The mail server answered with an error${reply(e)}`;
  return 'The mail server could not be reached';
}
