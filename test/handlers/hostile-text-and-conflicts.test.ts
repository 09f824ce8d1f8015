import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeRecordPayment, makeReview } from '../../functions/api/actions.js';
import { makeHandler as makeList } from '../../functions/api/list-purchase-orders.js';
import { makeHandler as makePlace } from '../../functions/api/place-purchase-order.js';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { InvalidCursorError } from '../../functions/app/errors.js';
import { placeOrder } from '../../functions/app/place.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { apiEvent, approvedOnFakes, sampleOrder, taskFakes } from '../support/fakes.js';

/** Small holes an audit found: text that rewrites what people read, a reused reference, a free order, a forged page token. */
const finance = { Authorization: 'Bearer test-finance-key', 'Content-Type': 'application/json' };
const checkout = { Authorization: 'Bearer test-checkout-key', 'Content-Type': 'application/json', 'Idempotency-Key': 'k-1' };

describe('free text', () => {
  it('refuses control and bidirectional formatting characters where people will read them (400), and stores nothing', async () => {
    const deps = taskFakes();
    const place = makePlace(deps);
    for (const company of ['Acme\u202egnp.exe', 'Acme\u0007 Corp', 'Acme\u2066Corp', 'Acme\nCorp']) {
      const res = await place(apiEvent({ method: 'POST', headers: checkout, body: JSON.stringify({ ...sampleOrder, customer: { ...sampleOrder.customer, company } }) }));
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).errors).toEqual([{ path: 'customer.company', message: 'must not contain control or bidirectional formatting characters' }]);
    }
    expect(deps.pos.items.size).toBe(0);
    // Text of other scripts, right-to-left included, is welcome.
    const fine = await place(apiEvent({ method: 'POST', headers: checkout, body: JSON.stringify({ ...sampleOrder, customer: { ...sampleOrder.customer, company: 'شركة أكمي / 株式会社アクメ' } }) }));
    expect(fine.statusCode).toBe(201);
  });

  it('lets a comment span lines, but not carry formatting controls', async () => {
    const deps = taskFakes();
    const review = makeReview(deps);
    const placed = (await placeOrder(deps, 'k2', 'h2', orderRequestSchema.parse(sampleOrder))).po.id;
    const refused = await review(apiEvent({ method: 'POST', headers: finance, body: JSON.stringify({ decision: 'reject', comment: 'ok \u202Efdp.exe' }), pathParameters: { id: placed } }));
    expect(refused.statusCode).toBe(400);
    const lines = await review(apiEvent({ method: 'POST', headers: finance, body: JSON.stringify({ decision: 'reject', comment: 'No letterhead.\nPlease resend.' }), pathParameters: { id: placed } }));
    expect(lines.statusCode).toBe(200);
    expect(JSON.parse(lines.body).review.comment).toBe('No letterhead.\nPlease resend.');
  });
});

describe('payments', () => {
  it('answers 409 when a reference already recorded comes again with another amount, and counts the same payment once', async () => {
    const { deps, poId: id } = await approvedOnFakes();
    const pay = makeRecordPayment(deps);
    const post = (amount: number) => pay(apiEvent({ method: 'POST', headers: finance, body: JSON.stringify({ amount, reference: 'WIRE-7' }), pathParameters: { id } }));
    expect((await post(10000)).statusCode).toBe(200);
    const again = await post(10000);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body).payment.amountPaid).toBe(10000);
    const other = await post(12000);
    expect(other.statusCode).toBe(409);
    expect(JSON.parse(other.body)).toMatchObject({ rule: 'reference_conflict', recordedAmount: 10000 });
    expect((await deps.pos.get(id))!.po.payment.amountPaid).toBe(10000);
  });
});

describe('placement', () => {
  it('refuses an order whose total is zero (422): nothing to pay or invoice', async () => {
    const deps = taskFakes();
    const free = { ...sampleOrder, lines: [{ ...sampleOrder.lines[0]!, unitAmount: 0 }] };
    const res = await makePlace(deps)(apiEvent({ method: 'POST', headers: checkout, body: JSON.stringify(free) }));
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body).rule).toBe('zero_total');
  });
});

describe('paging', () => {
  it('answers 400 for a nextToken we never handed out, before asking the table', async () => {
    const list = makeList(taskFakes());
    const res = await list(apiEvent({ headers: finance, query: { status: 'ordered', nextToken: 'forged' } }));
    expect(res.statusCode).toBe(400);
    const asked: unknown[] = [];
    const store = new DynamoPurchaseOrderStore({ send: async (command: unknown) => (asked.push(command), { Items: [] }) } as unknown as DynamoDBDocumentClient, 'T');
    const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const forged of ['not base64 json', token({ x: 1 }), token(['a']), token({ pk: 'PO#1', sk: 'PO', gsi1pk: 'STATUS#ordered', gsi1sk: 5 })]) {
      await expect(store.listByStatus('ordered', 10, forged)).rejects.toBeInstanceOf(InvalidCursorError);
    }
    expect(asked).toEqual([]);
    await store.listByStatus('ordered', 10, token({ pk: 'PO#1', sk: 'PO', gsi1pk: 'STATUS#ordered', gsi1sk: '2026-01-01#1' }));
    expect(asked).toHaveLength(1);
  });
});
