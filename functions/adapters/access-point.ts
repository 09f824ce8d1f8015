import { PeppolRefusedError } from '../app/errors.js';
import type { AccessPoint, PeppolDocument } from '../app/ports.js';

/**
 * A Peppol access point reached over its HTTPS API: each document is POSTed as the UBL itself
 * (`application/xml`), with the sender's and receiver's participant ids in headers, a bearer token,
 * and the document's id as the Idempotency-Key, so a retried hand-over is one document on the
 * network. 2xx and 409 (known already) are taken; a refusal of the document itself (4xx but 401,
 * 403, 408, 425 and 429) is PeppolRefusedError, recorded on the PO; any other answer or a network
 * fault throws, and the workflow step retries. Access points' APIs differ in their details: this is the one adapter of the
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
    if (answer.ok || answer.status === 409) {
      await answer.body?.cancel();
      return;
    }
    // A refusal of this document (a receiver not on the network, a document it will not take) is for
    // good; our token refused, a timeout, too many requests or its own fault may pass: retried.
    if (answer.status >= 400 && answer.status < 500 && ![401, 403, 408, 425, 429].includes(answer.status)) {
      const detail = (await answer.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
      throw new PeppolRefusedError(`the access point answered ${answer.status}${detail ? ` (${detail})` : ''}`);
    }
    await answer.body?.cancel();
    throw new Error(`the Peppol access point answered ${answer.status} to document ${document.id}`);
  }
}
