import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A seller's webhook receiver on 127.0.0.1, as one would write it: it verifies every request with
 * the standardwebhooks package against the endpoint's secrets, keeps each event once by its id
 * (a redelivery is acknowledged and counted, not kept twice), and can be taken down, brought back
 * on the same port, or told to answer an error.
 *
 * The package checks `webhook-timestamp` against the real clock (five minutes either way); the
 * local stack's clock may be days ahead, so the receiver verifies against the stack's time, which
 * `now` tells it (on AWS that is the real clock and `now` is Date.now).
 */
export interface Received {
  id: string;
  type: string;
  sequence: number;
  poId: string;
  body: Record<string, unknown> & { id: string; type: string; sequence: number; poId: string; data: Record<string, unknown> };
}

export class WebhookReceiver {
  /** Events kept, once each, in the order they arrived. */
  readonly events: Received[] = [];
  /** Requests whose event had been kept already. */
  duplicates = 0;
  /** Requests whose signature or timestamp did not verify (answered 400). */
  readonly rejected: string[] = [];
  /** All requests that arrived, verified or not, with the headers that mattered. */
  readonly requests: { id: string; signature: string; timestamp: string }[] = [];
  /** What to answer: 2xx keeps the event; anything else is a failure the sender retries. */
  answer: { status: number; headers?: Record<string, string> } = { status: 204 };
  secrets: string[] = [];
  private server: Server | undefined;
  port = 0;

  constructor(private readonly now: () => Promise<number> = async () => Date.now()) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
          this.requests.push({ id: headers['webhook-id'] ?? '', signature: headers['webhook-signature'] ?? '', timestamp: headers['webhook-timestamp'] ?? '' });
          const verified = this.verify(body, headers, await this.now());
          if (!verified) {
            this.rejected.push(headers['webhook-id'] ?? '(none)');
            res.writeHead(400).end();
            return;
          }
          if (this.answer.status >= 200 && this.answer.status < 300) {
            const event = verified as Received['body'];
            if (this.events.some((e) => e.id === event.id)) this.duplicates += 1;
            else this.events.push({ id: event.id, type: event.type, sequence: event.sequence, poId: event.poId, body: event });
          }
          res.writeHead(this.answer.status, this.answer.headers ?? {}).end();
        })();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Down: the port refuses connections until `start()` brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Verified with any of the secrets (during a rotation both old and new sign); null if none verifies. */
  verify(body: string, headers: Record<string, string>, nowMs: number): unknown {
    for (const secret of this.secrets) {
      const realNow = Date.now;
      Date.now = () => nowMs;
      try {
        return new Webhook(secret).verify(body, headers);
      } catch {
        // not this secret (or a stale timestamp): try the next
      } finally {
        Date.now = realNow;
      }
    }
    return null;
  }

  /** The events kept for one PO, by sequence. */
  eventsOf(poId: string): Received[] {
    return this.events.filter((event) => event.poId === poId).sort((a, b) => a.sequence - b.sequence);
  }

  async waitFor(predicate: (receiver: WebhookReceiver) => boolean, timeoutMs = 20_000, describe = ''): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > until) throw new Error(`the receiver did not get what was expected ${describe}; it has: ${JSON.stringify(this.events.map((e) => `${e.poId}#${e.sequence} ${e.type}`))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
