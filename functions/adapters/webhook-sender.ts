import { Webhook } from 'standardwebhooks';
import type { WebhookSender } from '../app/ports.js';

/** A receiver that has not answered in this long has not answered. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/**
 * Deliveries as the Standard Webhooks specification says: a POST of the event's JSON with
 * `webhook-id` (the event's id, the same on every attempt), `webhook-timestamp` and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs,
 * separated by spaces, while a rotated secret still signs beside the new one). The standardwebhooks
 * package signs, so receivers can verify with it or any implementation of the specification.
 * Redirects are not followed: a receiver that moved answers 3xx, which is a failure to fix.
 */
export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly userAgent = 'purchase-orders-webhooks/1') {}

  async send(url: string, signing: { id: string; timestamp: Date; secrets: string[] }, body: string) {
    const signature = signing.secrets.map((secret) => new Webhook(secret).sign(signing.id, signing.timestamp, body)).join(' ');
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': this.userAgent,
          'webhook-id': signing.id,
          'webhook-timestamp': String(Math.floor(signing.timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
      });
      // The answer's body is not ours to keep (nor to read: it may be large): dropping it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status, retryAfter: response.headers.get('retry-after'), error: null, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      const reason = timedOut ? `no answer in ${DELIVERY_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
      return { status: null, retryAfter: null, error: reason, durationMs: Math.round(performance.now() - started) };
    }
  }
}
