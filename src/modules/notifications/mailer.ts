// SMTP through nodemailer, configured by SMTP_URL / MAIL_FROM.
import nodemailer, { type Transporter } from 'nodemailer';

export interface Mail {
  to: { name: string | null; address: string };
  subject: string;
  html: string;
  text: string;
}

export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // A small pool reuses connections across a batch; bounded timeouts make a hung server fail the
    // attempt well within the worker's lease.
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: 4,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
  }

  async send(mail: Mail): Promise<{ messageId: string }> {
    const info = (await this.transport.sendMail({
      from: this.from,
      to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      // Tells auto-responders not to answer a notification (RFC 3834).
      headers: { 'Auto-Submitted': 'auto-generated' },
    })) as { messageId: string };
    return { messageId: info.messageId };
  }

  close(): void {
    this.transport.close();
  }
}
