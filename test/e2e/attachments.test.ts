import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack, reviewLinkIn } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * The buyer's signed PO on letterhead: attached by checkout through a presigned upload straight to
 * storage (or as the request body for a small file), checked by size and first bytes before the PO
 * lists it, and shown to the reviewer.
 */
const stack = new LocalStack();
beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop());

let n = 0;
const place = async () =>
  (
    await stack.request('POST', '/purchase-orders', {
      key: keys.checkout,
      body: order({ customer: buyer('cust-letter', 'Stark Industries', 'ap@stark.example'), lines: [licence(30000, 1)] }),
      headers: { 'Idempotency-Key': `att-${++n}` },
    })
  ).body;

async function letterhead(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawText('Stark Industries - Purchase Order SI-4471 - signed', { x: 50, y: 780, size: 14, font: await pdf.embedFont(StandardFonts.Helvetica) });
  return pdf.save();
}
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe("the buyer's signed PO", () => {
  it('is uploaded straight to storage, checked, listed on the PO, and opened by finance and the reviewer', async () => {
    const po = await place();
    const request = await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`));
    expect(request.body.text).toContain("The buyer's signed PO has not arrived yet");

    const file = await letterhead();
    const pending = await stack.request('POST', `/purchase-orders/${po.id}/attachments`, {
      key: keys.checkout,
      body: { contentType: 'application/pdf', size: file.length, filename: 'SI-4471 signed.pdf' },
    });
    expect(pending.status).toBe(201);
    expect(pending.body).toMatchObject({ status: 'pending', upload: { method: 'PUT', url: expect.stringMatching(/^http/) } });
    // Not listed before the file is there and checked.
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.attachments).toEqual([]);
    const put = await fetch(pending.body.upload.url, { method: 'PUT', headers: pending.body.upload.headers, body: file });
    expect(put.status).toBe(200);
    const done = await stack.request('POST', pending.body.complete, { key: keys.checkout });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'received', contentType: 'application/pdf', size: file.length, filename: 'SI-4471 signed.pdf' });

    const listed = (await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body;
    expect(listed.attachments).toEqual([expect.objectContaining({ id: pending.body.id, href: `/purchase-orders/${po.id}/attachments/${pending.body.id}` })]);
    expect(listed.history.at(-1)).toMatchObject({ type: 'attach', by: { type: 'key', name: 'checkout' }, data: { contentType: 'application/pdf', filename: 'SI-4471 signed.pdf' } });
    const opened = await fetch(`${stack.api}${listed.attachments[0].href}`, { headers: { Authorization: `Bearer ${keys.finance}` } });
    expect(opened.status).toBe(200);
    expect(new Uint8Array(await opened.arrayBuffer())).toEqual(file);
    // The upload URL lives on for its five minutes: other bytes of the same length PUT there change nothing the PO lists.
    const forged = new Uint8Array(file.length).fill(0x25);
    expect((await fetch(pending.body.upload.url, { method: 'PUT', headers: pending.body.upload.headers, body: forged })).status).toBe(200);
    const again = await fetch(`${stack.api}${listed.attachments[0].href}`, { headers: { Authorization: `Bearer ${keys.finance}` } });
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(file);
    expect((await stack.request('POST', pending.body.complete, { key: keys.checkout })).body).toMatchObject({ status: 'received', size: file.length });

    // The reviewer sees it on the review page and opens it with the link's own credential.
    const link = reviewLinkIn(request);
    const page = await stack.request('GET', `${link.pathname}${link.search}`);
    expect(page.body).toContain('SI-4471 signed.pdf');
    const href = /href="([^"]+\/attachments\/[^"]+)"/.exec(page.body)![1]!.replace(/&#38;/g, '&');
    const fromReview = await fetch(new URL(href, `${stack.api}${link.pathname}`));
    expect(new Uint8Array(await fromReview.arrayBuffer())).toEqual(file);
    expect((await fetch(new URL(href.replace(/token=[^&]+/, 'token=wrong'), `${stack.api}${link.pathname}`), { redirect: 'manual' })).status).toBe(403);
  });

  it('takes a small file as the body too', async () => {
    const po = await place();
    const sent = await stack.request('POST', `/purchase-orders/${po.id}/attachments?filename=letter.png`, { key: keys.finance, body: Buffer.from(PNG), headers: { 'Content-Type': 'image/png' } });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ contentType: 'image/png', size: PNG.length, filename: 'letter.png', status: 'received' });
  });

  it('refuses a file that is not what it claims, another type, or too large, and lists nothing', async () => {
    const po = await place();
    const fake = new TextEncoder().encode('MZ this is no PDF at all');
    const pending = (await stack.request('POST', `/purchase-orders/${po.id}/attachments`, { key: keys.checkout, body: { contentType: 'application/pdf', size: fake.length } })).body;
    await fetch(pending.upload.url, { method: 'PUT', headers: pending.upload.headers, body: fake });
    const refused = await stack.request('POST', pending.complete, { key: keys.checkout });
    expect(refused).toMatchObject({ status: 422, body: { rule: 'attachment_signature' } });
    // The stored file was removed: completing again finds nothing.
    expect((await stack.request('POST', pending.complete, { key: keys.checkout })).status).toBe(404);

    expect((await stack.request('POST', `/purchase-orders/${po.id}/attachments`, { key: keys.checkout, body: { contentType: 'text/html', size: 10 } })).status).toBe(415);
    expect((await stack.request('POST', `/purchase-orders/${po.id}/attachments`, { key: keys.checkout, body: 'hello', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await stack.request('POST', `/purchase-orders/${po.id}/attachments`, { key: keys.checkout, body: { contentType: 'application/pdf', size: 10 * 1024 * 1024 + 1 } })).status).toBe(413);
    const direct = await stack.request('POST', `/purchase-orders/${po.id}/attachments`, { key: keys.checkout, body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25), headers: { 'Content-Type': 'application/pdf' } });
    expect(direct.status).toBe(413);
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.attachments).toEqual([]);
  });
});
