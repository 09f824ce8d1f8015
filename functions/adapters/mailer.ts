import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import type { Mailer, OutgoingEmail } from '../app/ports.js';
import type { DynamoSentEmails } from './dynamo-store.js';

/**
 * Real MIME messages (text + HTML, PDF attachments) composed by nodemailer and sent through SES v2.
 * Sent-once: the mark is written after SES accepts the message, so a crash in between may repeat
 * one email but never lose one (a buyer would rather get an invoice twice than not at all).
 */
export class SesMailer implements Mailer {
  private readonly transport;

  constructor(
    ses: SESv2Client,
    private readonly sent: DynamoSentEmails,
    private readonly from: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.transport = nodemailer.createTransport({ SES: { sesClient: ses, SendEmailCommand } });
  }

  async sendOnce(poId: string, key: string, email: OutgoingEmail): Promise<void> {
    if (await this.sent.wasSent(poId, key)) return;
    const info = await this.transport.sendMail({
      from: this.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: email.attachments?.map((attachment) => ({
        filename: attachment.filename,
        content: Buffer.from(attachment.content),
        contentType: attachment.contentType,
      })),
    });
    await this.sent.markSent(poId, key, String(info.messageId ?? ''), this.clock().toISOString());
  }
}
