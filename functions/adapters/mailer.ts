import { BadRequestException, MessageRejected, SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail, SendOutcome } from '../app/ports.js';
import type { DynamoSentEmails } from './dynamo/sent-emails.js';

/**
 * Emails through SES v2 as simple content: subject, text and HTML bodies and PDF attachments. SES
 * composes the MIME message itself (multipart/mixed with a multipart/alternative body, base64
 * attachments), so the function carries no MIME library.
 * Sent-once: the mark is written after SES accepts the message, so a crash in between may repeat
 * one email but never lose one (a buyer would rather get an invoice twice than not at all).
 * A message SES refuses for good (MessageRejected: a blocked address, a virus; BadRequest: an address
 * it cannot parse) is marked refused instead, and never tried again. Anything else (throttling, a
 * paused account) is thrown: the workflow retries it or asks for attention. So is a refusal for an
 * identity SES has not verified (the sender; in the sandbox of a new account, any recipient): the
 * seller fixes that in SES, and the email goes once the PO is resumed, instead of being lost.
 */
export class EmailIdentityNotVerified extends Error {
  override readonly name = 'EmailIdentityNotVerified';
}

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly sent: DynamoSentEmails,
    private readonly from: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async sendOnce(poId: string, key: string, email: OutgoingEmail): Promise<SendOutcome> {
    const before = await this.sent.outcome(poId, key);
    if (before) return before.refused ? { refused: before.refused } : 'sent';
    let result;
    try {
      result = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: email.to },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
              ...(email.attachments?.length
                ? {
                    Attachments: email.attachments.map((attachment) => ({
                      FileName: attachment.filename,
                      RawContent: attachment.content,
                      ContentType: attachment.contentType,
                      ContentDisposition: 'ATTACHMENT' as const,
                      ContentTransferEncoding: 'BASE64' as const,
                    })),
                  }
                : {}),
            },
          },
        }),
      );
    } catch (error) {
      if (error instanceof MessageRejected && /not verified/i.test(error.message)) {
        throw new EmailIdentityNotVerified(
          `SES refused the email: ${error.message}. Verify the identity in SES (or ask AWS to take the account out of the SES sandbox), then resume the purchase order.`,
        );
      }
      if (!(error instanceof MessageRejected || error instanceof BadRequestException)) throw error;
      const reason = `${error.name}: ${error.message}`;
      await this.sent.markRefused(poId, key, reason, this.clock().toISOString());
      return { refused: reason };
    }
    await this.sent.markSent(poId, key, result.MessageId ?? '', this.clock().toISOString());
    return 'sent';
  }
}
