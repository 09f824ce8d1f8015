import { Webhook } from 'standardwebhooks';
import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { WebhookSender } from '../app/ports.js';
import { refusedAddress, refusedUrl, type AddressRules } from '../app/webhook-addresses.js';

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
  constructor(
    private readonly rules: AddressRules = { loopbackHttp: false },
    private readonly userAgent = 'purchase-orders-webhooks/1',
  ) {}

  async send(url: string, signing: { id: string; timestamp: Date; secrets: string[] }, body: string) {
    const signature = signing.secrets.map((secret) => new Webhook(secret).sign(signing.id, signing.timestamp, body)).join(' ');
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    // Checked again at each delivery: the URL as written, then every address its name resolves to.
    const refused = refusedUrl(url, this.rules);
    if (refused) return { status: null, retryAfter: null, error: `refused: the URL ${refused}`, durationMs: took() };
    try {
      const answer = await post(new URL(url), this.rules, body, {
        'content-type': 'application/json',
        'user-agent': this.userAgent,
        'webhook-id': signing.id,
        'webhook-timestamp': String(Math.floor(signing.timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      });
      return { ...answer, error: null, durationMs: took() };
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      const reason = code === 'ETIMEDOUT' ? `no answer in ${DELIVERY_TIMEOUT_MS / 1000} s` : code === 'EADDRNOTALLOWED' ? `refused: ${message}` : (code ?? message ?? String(error));
      return { status: null, retryAfter: null, error: reason, durationMs: took() };
    }
  }
}

/**
 * One POST, on the address the check let through: the resolver hands the socket only addresses
 * that may receive, so a name that resolves (or re-resolves) to an internal address is never
 * connected to. The answer's body is not read (it may be large); redirects are not followed.
 */
function post(url: URL, rules: AddressRules, body: string, headers: Record<string, string>): Promise<{ status: number; retryAfter: string | null }> {
  const lookup: LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '', 0);
      const addresses = found as LookupAddress[];
      const bad = addresses.map((entry) => refusedAddress(entry.address, rules)).find(Boolean);
      if (bad || !addresses.length) return callback(Object.assign(new Error(`${hostname}: ${bad ?? 'no address'}`), { code: 'EADDRNOTALLOWED' }), '', 0);
      if (options.all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, timeout: DELIVERY_TIMEOUT_MS }, (response) => {
      response.resume();
      response.destroy();
      const retryAfter = response.headers['retry-after'];
      resolve({ status: response.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end(body);
  });
}
