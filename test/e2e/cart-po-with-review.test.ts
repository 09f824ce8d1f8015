import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack, reviewLinkIn } from '../support/local-stack.js';
import { pdfText } from '../support/pdf-text.js';
import { addresses, buyer, licence, order as orderBody } from '../support/orders.js';

/** The default flow of the seeds: a cart PO, reviewed from the emailed link, invoiced on release, paid. */
const order = orderBody({
  customer: buyer('cust-42', 'Globex GmbH', 'buyer@globex.example'),
  poNumber: 'GLX-2026-0815',
  lines: [licence(45000, 2, 'LIC-TEAM', 'Team licence, 12 months'), licence(12050, 1, 'SUP-GOLD', 'Gold support')],
  billingAddress: addresses.DE,
});

const stack = new LocalStack();
let startupMs = 0;

beforeAll(async () => {
  startupMs = await stack.start();
}, 120_000);
afterAll(() => stack.stop());

describe('cart PO with review and instant delivery, on the local stack', () => {
  it('is healthy', async () => {
    const res = await stack.request('GET', '/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
    console.log(`local stack healthy in ${startupMs} ms (synthesized assembly)`);
  });

  it('goes from placement to completed over HTTP, with the emails a buyer and reviewer would get', async () => {
    const flowStarted = Date.now();
    const placed = await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: order, headers: { 'Idempotency-Key': 'e2e-flow-1' } });
    expect(placed.status).toBe(201);
    const po = placed.body;
    expect(po).toMatchObject({ status: 'awaiting_review', total: 102050, reference: expect.stringMatching(/^PO-\d{4}-\d{6}$/) });

    // The buyer is told how to confirm; the reviewer gets the link.
    const confirm = await stack.waitForEmail((e) => e.subject.includes(po.reference) && e.destination.to.includes('buyer@globex.example'));
    expect(confirm.body.text).toContain('signed confirmation on company letterhead');
    const request = await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`));
    expect(request.destination.to).toEqual(['reviews@seller.example']);
    const link = reviewLinkIn(request);
    expect(link.origin).toBe(stack.api);

    // Looking at the link changes nothing.
    const page = await stack.request('GET', `${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Globex GmbH');
    expect(page.body).toContain('$1,020.50');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.version).toBe(1);

    // The reviewer approves from the form.
    const decided = await stack.request('POST', link.pathname, {
      body: new URLSearchParams({ token: link.searchParams.get('token')!, decision: 'approve', comment: 'Letterhead received' }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toContain('approved');

    // Release: invoice (a real PDF) with the licence keys, due in 30 days.
    const released = await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: your order is released`));
    const ordered = await stack.waitForPo(po.id, keys.checkout, (p) => p.documents.length === 1);
    expect(ordered.status).toBe('ordered');
    const invoice = ordered.documents[0];
    expect(invoice).toMatchObject({ type: 'invoice', number: expect.stringMatching(/^INV-\d{4}-\d{6}$/), total: 102050 });
    const approvedAt = new Date(ordered.review.decidedAt);
    const due = new Date(approvedAt.getTime() + 30 * 86400_000).toISOString().slice(0, 10);
    expect(ordered.payment).toMatchObject({ status: 'unpaid', amountDue: 102050, amountPaid: 0, dueDate: due });
    for (const key of ordered.licences.flatMap((l: { keys: string[] }) => l.keys)) expect(released.body.text).toContain(key);
    const attachment = released.attachments!.find((a) => a.filename === `${invoice.number}.pdf`)!;
    expect(attachment.contentType).toBe('application/pdf');
    // A MIME message with both parts: the HTML one says the same as the text one.
    expect(released.body.html).toContain(`invoice ${invoice.number} is attached`);
    const text = await pdfText(Buffer.from(attachment.content, 'base64'));
    for (const expected of [invoice.number, 'GLX-2026-0815', po.reference, 'Globex GmbH', '$1,020.50', due]) expect(text).toContain(expected);

    // The same PDF is served to finance.
    const download = await stack.request('GET', `/purchase-orders/${po.id}/documents/${invoice.id}`, { key: keys.finance });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(download.body).equals(Buffer.from(attachment.content, 'base64'))).toBe(true);

    // Finance confirms the wire in two parts; an overpayment and a repeated reference count for nothing.
    expect((await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: 50000, reference: 'WIRE-881' } })).status).toBe(200);
    expect((await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: 50000, reference: 'WIRE-881' } })).body.payment.amountPaid).toBe(50000);
    const over = await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: 60000, reference: 'WIRE-882' } });
    expect(over.status).toBe(422);
    const paid = await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: 52050, reference: 'WIRE-883' } });
    expect(paid.body).toMatchObject({ status: 'completed', payment: { status: 'paid', amountPaid: 102050 } });
    await stack.waitForEmail((e) => e.subject === `${po.reference}: payment received, thank you`);
    console.log(`one full flow (place -> review -> invoice -> payment -> completed): ${Date.now() - flowStarted} ms`);

    const history = paid.body.history.map((h: { type: string; to: string; actor: string }) => `${h.type}:${h.to}:${h.actor}`);
    expect(history).toEqual([
      'placed:awaiting_review:checkout',
      'approve:ordered:reviewer',
      'deliver_digital:ordered:system',
      'issue_document:ordered:system',
      'record_payment:ordered:finance',
      'record_payment:completed:finance',
    ]);

    // The link is spent.
    const again = await stack.request('POST', link.pathname, {
      body: new URLSearchParams({ token: link.searchParams.get('token')!, decision: 'reject' }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(again.status).toBe(409);
  });

  it("reports each invocation's DynamoDB writes and reads as CloudWatch metrics in its log", async () => {
    const placementMetrics = async (key: string) => {
      const from = stack.output.length;
      const placed = await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: order, headers: { 'Idempotency-Key': key } });
      expect(placed.status).toBe(201);
      await new Promise((r) => setTimeout(r, 300));
      const lines = stack.output
        .slice(from)
        .split('\n')
        .filter((line) => line.includes('"DynamoDBWrites"'))
        .map((line) => JSON.parse(line));
      return lines.find((line) => line.function.startsWith('PlacePurchaseOrder'));
    };
    // The Idempotency-Key claim, the reference counter, the PO with what it adds to the kept sums (one
    // transaction), the key's completion. Reads: the policy, and for credit control on a table the
    // reconciler has not yet marked as counted (this new one), the marker and the overdue queue.
    const first = await placementMetrics('metrics-1');
    expect(first).toMatchObject({ DynamoDBWrites: 4, DynamoDBReads: 3, dynamodb: { PutItem: 1, TransactWriteItems: 1, UpdateItem: 2, GetItem: 2, Query: 1 } });
    expect(first._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'PurchaseOrders',
      Dimensions: [['service', 'function']],
      Metrics: [{ Name: 'DynamoDBWrites', Unit: 'Count' }, { Name: 'DynamoDBReads', Unit: 'Count' }, { Name: 'DynamoDBReadUnits', Unit: 'Count' }],
    });
    expect(first.DynamoDBReadUnits).toBeGreaterThan(0);
    // The reconciler's first run marks the table; then credit control reads the customer's overdue count, one item.
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 301 } });
    await placementMetrics('metrics-2'); // reads the marker once, and keeps it
    const later = await placementMetrics('metrics-3');
    expect(later).toMatchObject({ DynamoDBWrites: 4, DynamoDBReads: 2, dynamodb: { GetItem: 2 } });
    expect(later.dynamodb.Query).toBeUndefined();
  });

  it('tells the buyer when finance rejects the PO in the back office', async () => {
    const placed = await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: order, headers: { 'Idempotency-Key': 'e2e-reject-1' } });
    const po = placed.body;
    await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`));
    const rejected = await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'reject', comment: 'No signed confirmation' } });
    expect(rejected.body).toMatchObject({ status: 'rejected', review: { decision: 'rejected', decidedBy: 'finance' } });
    const notice = await stack.waitForEmail((e) => e.subject === `${po.reference}: your purchase order was not accepted`);
    expect(notice.body.text).toContain('No signed confirmation');
    expect((await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: 1, reference: 'X' } })).status).toBe(409);
  });

  it('answers bad requests with problems and changes nothing', async () => {
    const cases = [
      await stack.request('POST', '/purchase-orders', { body: order, headers: { 'Idempotency-Key': 'e2e-bad-1' } }),
      await stack.request('POST', '/purchase-orders', { key: keys.finance, body: order, headers: { 'Idempotency-Key': 'e2e-bad-2' } }),
      await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: order }),
      await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: '{"channel":', headers: { 'Idempotency-Key': 'e2e-bad-3' } }),
      await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: 'a=b', headers: { 'Idempotency-Key': 'e2e-bad-4', 'Content-Type': 'text/plain' } }),
      await stack.request('GET', '/purchase-orders/NOPE', { key: keys.finance }),
    ];
    expect(cases.map((c) => c.status)).toEqual([401, 422, 400, 400, 415, 404]);
    for (const c of cases) expect(c.headers.get('content-type')).toBe('application/problem+json');
  });
});
