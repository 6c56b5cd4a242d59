// SMTP through nodemailer, configured by SMTP_URL / MAIL_FROM.
import nodemailer, { type Transporter } from 'nodemailer';

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

  async send(mail: Mail): Promise<{ messageId: string }> {
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
