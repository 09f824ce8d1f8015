import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpAccessPoint } from '../../functions/adapters/access-point.js';
import { PeppolRefusedError } from '../../functions/app/errors.js';

/** The access point adapter against an HTTP server standing in for an access point's API (loopback, as in development). */
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
let answer = 202;
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    received.push({ headers: request.headers, body });
    response.writeHead(answer).end(answer >= 400 ? 'receiver 0208:0123456749\n  is not on the Peppol network' : '');
  });
});
let url: URL;
beforeAll(async () => {
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/documents`);
});
afterAll(() => new Promise((closed) => server.close(closed)));

const document = { id: 'PO1-INV-2026-000001', sender: '9930:DE123456789', receiver: '0208:0123456749', xml: '<Invoice>…</Invoice>' };

describe('a Peppol access point over HTTPS', () => {
  it('posts the UBL itself with both participant ids, its bearer token and the document id as the idempotency key', async () => {
    await new HttpAccessPoint(url, async () => 'ap-token').send(document);
    expect(received.at(-1)).toMatchObject({
      body: document.xml,
      headers: {
        authorization: 'Bearer ap-token',
        'content-type': 'application/xml; charset=utf-8',
        'idempotency-key': 'PO1-INV-2026-000001',
        'peppol-sender': '9930:DE123456789',
        'peppol-receiver': '0208:0123456749',
      },
    });
  });

  it('takes "known already" (409) as sent; a refusal of the document is for good, a fault that may pass is retried', async () => {
    const ap = new HttpAccessPoint(url, async () => 'ap-token');
    answer = 409;
    await expect(ap.send(document)).resolves.toBeUndefined();
    for (const status of [400, 404, 422]) {
      answer = status;
      const refusal = await ap.send(document).catch((error: unknown) => error);
      expect(refusal, String(status)).toBeInstanceOf(PeppolRefusedError);
      expect((refusal as Error).message).toBe(`the access point answered ${status} (receiver 0208:0123456749 is not on the Peppol network)`);
    }
    // Our token refused, too many requests, its own faults: the step retries (and finance hears if they last).
    for (const status of [401, 403, 429, 500, 503]) {
      answer = status;
      const fault = await ap.send(document).catch((error: unknown) => error);
      expect(fault, String(status)).not.toBeInstanceOf(PeppolRefusedError);
      expect((fault as Error).message).toContain(`answered ${status}`);
    }
    answer = 202;
  });

  it('is https only, but for loopback in development', () => {
    expect(() => new HttpAccessPoint(new URL('http://ap.example/v1'), async () => '')).toThrow(/https/);
    expect(() => new HttpAccessPoint(new URL('https://ap.example/v1'), async () => '')).not.toThrow();
  });
});
