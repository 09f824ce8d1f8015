import type { AccessPoint, PeppolDocument } from '../app/ports.js';

/**
 * A Peppol access point reached over its HTTPS API: each document is POSTed as the UBL itself
 * (`application/xml`), with the sender's and receiver's participant ids in headers, a bearer token,
 * and the document's id as the Idempotency-Key, so a retried hand-over is one document on the
 * network. 2xx and 409 (known already) are taken; any other answer or a network fault throws, and the
 * workflow step retries. Access points' APIs differ in their details: this is the one adapter of the
 * port (app/ports.ts `AccessPoint`), and another provider's is another adapter.
 */
export class HttpAccessPoint implements AccessPoint {
  constructor(
    private readonly url: URL,
    private readonly token: () => Promise<string>,
    private readonly timeoutMs = 20_000,
  ) {
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))) {
      throw new Error('the Peppol access point must be an https URL');
    }
  }

  async send(document: PeppolDocument): Promise<void> {
    const answer = await fetch(this.url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await this.token()}`,
        'Content-Type': 'application/xml; charset=utf-8',
        'Idempotency-Key': document.id,
        'Peppol-Sender': document.sender,
        'Peppol-Receiver': document.receiver,
      },
      body: document.xml,
      redirect: 'error',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await answer.body?.cancel();
    if (answer.ok || answer.status === 409) return;
    throw new Error(`the Peppol access point answered ${answer.status} to document ${document.id}`);
  }
}
