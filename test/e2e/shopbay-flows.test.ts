import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessKeyFor } from '../../infra/local/iam.js';
import { keys, LocalStack } from '../support/local-stack.js';
import { pdfText } from '../support/pdf-text.js';
import { addresses, buyer, goods, order } from '../support/orders.js';

/**
 * Shopbay's purchase-order life cycle (seeds/002): online payment, offline payment with verification,
 * rejection, repayment, cancellation and dispute, and deferred payment; a PO holds one shipping
 * order per seller, each moving pending -> shipped -> delivered.
 */
const stack = new LocalStack();
let n = 0;

const base = order({
  customer: buyer('shop-1', 'Vandelay Industries', 'orders@vandelay.example'),
  currency: 'EUR',
  lines: [goods(1250, 10, 'LATEX-1', 'Latex gloves, box of 100', 'north-depot'), goods(2500, 4, 'LATEX-2', 'Latex aprons', 'south-depot')],
  billingAddress: addresses.CH,
  shippingAddress: { line1: 'Lager 7', city: 'Zurich', postalCode: '8005', country: 'CH' },
});
const total = 10 * 1250 + 4 * 2500;
const place = (overrides: Record<string, unknown>) =>
  stack.request('POST', '/purchase-orders', { key: keys.checkout, body: { ...base, ...overrides }, headers: { 'Idempotency-Key': `sb-${++n}` } });
const act = (id: string, action: string, body: unknown = {}, key = keys.finance) => stack.request('POST', `/purchase-orders/${id}/${action}`, { key, body });
const ship = (id: string, so: string, status: string) => act(id, `shipping-orders/${so}/status`, { status });
const advance = (days: number) => stack.request('POST', '/_local/clock', { body: { advanceSeconds: days * 86_400 } });
const template = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'cdk.out', 'PurchaseOrders.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
/** The credentials a function signs with on the local stack. */
const as = (fn: string) => {
  const logicalId = Object.entries(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(fn))![0];
  return { endpoint: stack.aws, region: 'us-east-1', credentials: { accessKeyId: accessKeyFor({ logicalId }), secretAccessKey: 'local' } };
};
const emailTo = (reference: string, subjectPart: string) => stack.waitForEmail((e) => e.subject.startsWith(`${reference}:`) && e.subject.includes(subjectPart));

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop());

describe('Shopbay flows on the local stack', () => {
  it('online payment: ordered at once with one shipping order per seller; completed when all are delivered', async () => {
    const po = (await place({ paymentMethod: 'online', onlinePayment: { reference: 'ch_3PqX', amount: total } })).body;
    expect(po).toMatchObject({ status: 'ordered', payment: { status: 'paid', amountPaid: total } });
    expect(po.shippingOrders.map((so: { id: string; seller: string; status: string }) => [so.id, so.seller, so.status])).toEqual([
      ['SO-1', 'north-depot', 'pending'],
      ['SO-2', 'south-depot', 'pending'],
    ]);
    expect((await place({ paymentMethod: 'online', onlinePayment: { reference: 'ch_bad', amount: total - 1 } })).body.rule).toBe('online_amount');

    await emailTo(po.reference, 'invoice');
    expect((await ship(po.id, 'SO-1', 'shipped')).body.shippingOrders[0].status).toBe('shipped');
    await emailTo(po.reference, 'shipment SO-1 shipped');
    expect((await ship(po.id, 'SO-1', 'shipped')).status).toBe(200); // repeated: no change
    expect((await ship(po.id, 'SO-1', 'delivered')).body.status).toBe('ordered');
    const done = await ship(po.id, 'SO-2', 'delivered');
    expect(done.body.status).toBe('completed');
    expect((await ship(po.id, 'SO-2', 'shipped')).status).toBe(409); // no way back
    expect((await ship(po.id, 'SO-9', 'shipped')).status).toBe(422);
  });

  it('offline payment: unpaid -> reported -> rejected -> reported again -> verified -> ordered', async () => {
    const po = (await place({ paymentMethod: 'offline' })).body;
    expect(po).toMatchObject({ status: 'awaiting_payment', shippingOrders: [] });
    await emailTo(po.reference, 'waiting for payment');

    const reported = await act(po.id, 'payment-submissions', { amount: total, reference: 'BANK-1' }, keys.checkout);
    expect(reported.body).toMatchObject({ status: 'payment_submitted', payment: { status: 'submitted' } });
    await stack.waitForEmail((e) => e.subject === `${po.reference}: payment reported by Vandelay Industries, please verify` && e.destination.to.includes('finance@seller.example'));
    expect((await act(po.id, 'payment-submissions', { amount: total, reference: 'BANK-1b' }, keys.checkout)).status).toBe(409);

    const rejected = await act(po.id, 'payment-verification', { decision: 'reject', reason: 'No transfer BANK-1 on our account' });
    expect(rejected.body).toMatchObject({ status: 'payment_rejected', payment: { status: 'rejected', amountPaid: 0 } });
    const notice = await emailTo(po.reference, 'could not verify your payment');
    expect(notice.body.text).toContain('No transfer BANK-1 on our account');

    await act(po.id, 'payment-submissions', { amount: total, reference: 'BANK-2' }, keys.checkout);
    const verified = await act(po.id, 'payment-verification', { decision: 'accept' });
    expect(verified.body).toMatchObject({ status: 'ordered', payment: { status: 'paid', amountPaid: total } });
    expect(verified.body.shippingOrders).toHaveLength(2);
    await emailTo(po.reference, 'invoice');
    await ship(po.id, 'SO-1', 'delivered');
    expect((await ship(po.id, 'SO-2', 'delivered')).body.status).toBe('completed');
  });

  it('offline payment: the buyer may cancel while unpaid, not once the payment is verified', async () => {
    const po = (await place({ paymentMethod: 'offline' })).body;
    const cancelled = await act(po.id, 'cancel', { reason: 'Ordered by mistake' }, keys.checkout);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.history.at(-1)).toMatchObject({ type: 'cancel', actor: 'checkout', detail: 'Ordered by mistake' });
    await emailTo(po.reference, 'your order is cancelled');

    const paid = (await place({ paymentMethod: 'offline' })).body;
    await act(paid.id, 'payment-submissions', { amount: total, reference: 'BANK-9' }, keys.checkout);
    await act(paid.id, 'payment-verification', { decision: 'accept' });
    const refused = await act(paid.id, 'cancel', {}, keys.checkout);
    expect(refused.status).toBe(409);
    expect(refused.body.currentStatus).toBe('ordered');
    // Finance may still cancel until the PO is completed.
    expect((await act(paid.id, 'cancel', { reason: 'Out of stock' })).body.status).toBe('cancelled');
  });

  it('dispute: when buyer and seller cannot agree on the payment, finance resolves it', async () => {
    const accept = (await place({ paymentMethod: 'offline' })).body;
    await act(accept.id, 'payment-submissions', { amount: total - 500, reference: 'BANK-D1' }, keys.checkout);
    await act(accept.id, 'payment-verification', { decision: 'reject', reason: 'Short by 5.00' });
    const disputed = await act(accept.id, 'dispute', { reason: 'Bank fees were deducted' }, keys.checkout);
    expect(disputed.body.status).toBe('disputed');
    await emailTo(accept.reference, 'payment dispute opened');
    expect((await act(accept.id, 'payment-submissions', { amount: 1, reference: 'X' }, keys.checkout)).status).toBe(409);
    const resolved = await act(accept.id, 'dispute/resolve', { outcome: 'accept_payment', reason: 'Bank fees waived' });
    expect(resolved.body).toMatchObject({ status: 'ordered', payment: { status: 'paid', amountPaid: total - 500, amountDue: total - 500 } });
    await emailTo(accept.reference, 'payment dispute resolved');

    const cancel = (await place({ paymentMethod: 'offline' })).body;
    await act(cancel.id, 'payment-submissions', { amount: total, reference: 'BANK-D2' }, keys.checkout);
    await act(cancel.id, 'dispute', { reason: 'Amount in question' });
    expect((await act(cancel.id, 'dispute/resolve', { outcome: 'cancel' })).body.status).toBe('cancelled');
  });

  it('deferred payment: shipping orders at once, payment collected on delivery', async () => {
    const po = (await place({ paymentMethod: 'deferred' })).body;
    expect(po).toMatchObject({ status: 'deferred', payment: { status: 'unpaid' } });
    expect(po.shippingOrders).toHaveLength(2);
    await emailTo(po.reference, 'invoice');
    await ship(po.id, 'SO-1', 'delivered');
    const delivered = await ship(po.id, 'SO-2', 'delivered');
    expect(delivered.body.status).toBe('deferred');
    const collected = await act(po.id, 'payments', { amount: total, reference: 'COD-17' });
    expect(collected.body.status).toBe('completed');
  });

  it('finance works from queues: POs by status, newest first, a page at a time', async () => {
    const first = (await place({ paymentMethod: 'offline' })).body;
    const second = (await place({ paymentMethod: 'offline' })).body;
    await act(first.id, 'payment-submissions', { amount: total, reference: 'Q-1' }, keys.checkout);
    await act(second.id, 'payment-submissions', { amount: total, reference: 'Q-2' }, keys.checkout);
    const page1 = await stack.request('GET', '/purchase-orders?status=payment_submitted&limit=1', { key: keys.finance });
    expect(page1.body.items.map((p: { id: string }) => p.id)).toEqual([second.id]);
    const page2 = await stack.request('GET', `/purchase-orders?status=payment_submitted&limit=1&nextToken=${page1.body.nextToken}`, { key: keys.finance });
    expect(page2.body.items.map((p: { id: string }) => p.id)).toEqual([first.id]);
    expect((await stack.request('GET', '/purchase-orders?status=nonsense', { key: keys.finance })).status).toBe(400);
    expect((await stack.request('GET', '/purchase-orders?status=overdue', { key: keys.checkout })).status).toBe(403);
  });

  it('collection on delivery: the invoice says so (no net terms, no empty due date); once delivered the payment is due, then overdue', async () => {
    const po = (await place({ paymentMethod: 'deferred', shippingAddress: undefined })).body;
    expect(po.shippingAddress).toEqual(base.billingAddress); // no shipping address: ships to the billing address
    const invoiceEmail = await emailTo(po.reference, 'invoice');
    expect(invoiceEmail.body.text).toContain('payment is collected on delivery');
    const invoice = (await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1)).documents[0];
    const pdf = await stack.request('GET', `/purchase-orders/${po.id}/documents/${invoice.id}`, { key: keys.finance });
    const text = await pdfText(pdf.body);
    expect(text).toContain('Payment is collected on delivery.');
    expect(text).not.toMatch(/days net|Due date/);
    await ship(po.id, 'SO-1', 'delivered');
    const delivered = await ship(po.id, 'SO-2', 'delivered');
    expect(delivered.body).toMatchObject({ status: 'deferred', payment: { dueDate: expect.any(String) } });
    expect((await emailTo(po.reference, 'shipment SO-2 delivered')).body.text).toContain('Everything is delivered: payment of');
    await advance(1);
    await emailTo(po.reference, 'payment overdue');
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.status).toBe('overdue');
  });

  it('an unpaid offline order is reminded after 7 and 14 days and cancelled after 30, the buyer told', async () => {
    const po = (await place({ paymentMethod: 'offline' })).body;
    await advance(8);
    await emailTo(po.reference, 'reminder - payment awaited');
    await advance(23);
    const cancelled = await emailTo(po.reference, 'your order is cancelled');
    expect(cancelled.body.text).toContain('not paid 30 days after we asked for payment');
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.status).toBe('cancelled');
  });

  it('a payment reported and rejected late: nothing fires at once, finance was reminded to verify, the buyer may pay again', async () => {
    const po = (await place({ paymentMethod: 'offline' })).body;
    await advance(5);
    await act(po.id, 'payment-submissions', { amount: total, reference: 'BANK-L1' }, keys.checkout);
    await advance(2);
    const reminder = await emailTo(po.reference, 'waiting 2 days for verification');
    expect(reminder.destination.to).toEqual(['finance@seller.example']);
    await advance(24); // day 31: past the 30 days an unpaid order is given
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.status).toBe('payment_submitted');
    const rejected = await act(po.id, 'payment-verification', { decision: 'reject', reason: 'No transfer BANK-L1 on our account' });
    expect(rejected.body.status).toBe('payment_rejected');
    await emailTo(po.reference, 'could not verify your payment');
    // The next timer is the 7-day reminder, two days on (the 26 days waiting for finance do not count).
    await advance(1);
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.status).toBe('payment_rejected');
    expect((await stack.emails()).some((e) => e.subject.startsWith(`${po.reference}: reminder`) || e.subject === `${po.reference}: your order is cancelled`)).toBe(false);
    await act(po.id, 'payment-submissions', { amount: total, reference: 'BANK-L2' }, keys.checkout);
    expect((await act(po.id, 'payment-verification', { decision: 'accept' })).body.status).toBe('ordered');
  });

  it('a part payment accepted before delivery: still awaiting payment, partially paid, the buyer told what remains; cancelled, the refund is on the PO', async () => {
    const po = (await place({ paymentMethod: 'offline' })).body;
    await act(po.id, 'payment-submissions', { amount: 10_000, reference: 'BANK-P1' }, keys.checkout);
    const accepted = await act(po.id, 'payment-verification', { decision: 'accept' });
    expect(accepted.body).toMatchObject({ status: 'awaiting_payment', payment: { status: 'partially_paid', amountPaid: 10_000 } });
    const told = await emailTo(po.reference, 'part payment received');
    expect(told.body.text).toMatch(/€\d+\.\d\d remains to be paid; we deliver as soon as it has arrived/);
    await act(po.id, 'cancel', { reason: 'Out of stock' });
    const read = (await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.checkout })).body;
    expect(read).toMatchObject({ status: 'cancelled', payment: { refundDue: 10_000, amountPaid: 10_000 } });
  });

  it('a digital order collected on delivery is due on the terms from delivery, and not overdue the next day', async () => {
    // Another customer: Vandelay has an overdue invoice by now, which would hold the order for review.
    const po = (
      await place({
        paymentMethod: 'deferred',
        customer: buyer('shop-2', 'Kramerica Industries', 'ap@kramerica.example'),
        lines: [{ sku: 'LIC-1', description: 'Inventory software, 1 year', quantity: 2, unitAmount: 45_000, fulfilment: 'digital' }],
        shippingAddress: undefined,
      })
    ).body;
    expect(po.status).toBe('deferred');
    const invoiceEmail = await emailTo(po.reference, 'invoice');
    const read = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1);
    const due = read.payment.dueDate as string;
    expect(Date.parse(due) - Date.parse(read.createdAt.slice(0, 10))).toBe(30 * 86_400_000);
    expect(invoiceEmail.body.text).toContain(`please pay it by ${due}`);
    const pdf = await stack.request('GET', `/purchase-orders/${po.id}/documents/${read.documents[0].id}`, { key: keys.finance });
    expect(await pdfText(pdf.body)).toContain(`Please pay by ${due}`);
    await advance(1);
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body).toMatchObject({ status: 'deferred', payment: { status: 'unpaid' } });
    expect((await stack.emails()).some((e) => e.subject.startsWith(`${po.reference}: payment overdue`))).toBe(false);
  });

  it('a PO paid and not shipped for over a year still moves: its execution hands over before Step Functions\' one-year limit', { timeout: 240_000 }, async () => {
    const po = (await place({ paymentMethod: 'online', onlinePayment: { reference: 'ch_slow', amount: total } })).body;
    await emailTo(po.reference, 'invoice');
    const execution = (name: string) =>
      new SFNClient(as('ResumeWorkflow'))
        .send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:us-east-1:000000000000:execution:PurchaseOrders-purchase-orders:${name}` }))
        .then((e) => e.status, (error: Error) => error.name);

    // 356 days on the clock: the reconciler wakes the waiting execution, which starts its successor and ends.
    expect((await advance(356)).status).toBe(200);
    expect(await execution(po.id)).toBe('SUCCEEDED');
    expect(await execution(`${po.id}-r2`)).toBe('RUNNING');
    // Past the year of the first execution (which would have timed out on AWS), the PO still moves and the buyer is told.
    await advance(20);
    expect(await execution(`${po.id}-r2`)).toBe('RUNNING');
    expect((await ship(po.id, 'SO-1', 'shipped')).status).toBe(200);
    await emailTo(po.reference, 'shipment SO-1 shipped');
    await ship(po.id, 'SO-1', 'delivered');
    expect((await ship(po.id, 'SO-2', 'delivered')).body.status).toBe('completed');
    for (let i = 0; i < 100 && (await execution(`${po.id}-r2`)) === 'RUNNING'; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await execution(`${po.id}-r2`)).toBe('SUCCEEDED');
  });
});
