import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack, reviewLinkIn } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * Cleverbridge's PO categories and flows (seeds/000): with and without review, instant and delayed
 * delivery, the cart PO with its minimum, the offline PO by customer request, the conversion of an
 * order awaiting offline payment, and POs of registered partners.
 */
const stack = new LocalStack();
let n = 0;

const base = order({ customer: buyer('cust-100', 'Initech LLC', 'ap@initech.example'), lines: [licence(60000, 1, 'LIC-ENT', 'Enterprise licence')] });
const place = (overrides: Record<string, unknown> = {}) =>
  stack.request('POST', '/purchase-orders', { key: keys.checkout, body: { ...base, ...overrides }, headers: { 'Idempotency-Key': `cb-${++n}` } });
const act = (id: string, action: string, body: unknown = {}, key = keys.finance) => stack.request('POST', `/purchase-orders/${id}/${action}`, { key, body });
const emailTo = (reference: string, subjectPart: string) => stack.waitForEmail((e) => e.subject.startsWith(`${reference}:`) && e.subject.includes(subjectPart));

beforeAll(async () => {
  await stack.start();
  await stack.updatePolicy({
    trustedCustomers: ['cust-trusted'],
    cartMinimum: { USD: 15000, EUR: 15000 },
    offline: { eligibleCustomerTypes: ['business', 'government'], minimum: { USD: 50000 }, maximum: { USD: 1000000 } },
    partners: {
      'partner-ok': { poEnabled: true, limit: 500000, currency: 'USD' },
      'partner-off': { poEnabled: false, limit: 500000, currency: 'USD' },
      'partner-zero': { poEnabled: true, limit: 0, currency: 'USD' },
    },
  });
}, 120_000);
afterAll(() => stack.stop());

describe('Cleverbridge flows on the local stack', () => {
  it('PO without review (trusted customer): accepted at once, invoice and licence sent, then paid', async () => {
    const po = (await place({ customer: { ...base.customer, id: 'cust-trusted' } })).body;
    expect(po).toMatchObject({ status: 'ordered', review: { required: false } });
    await emailTo(po.reference, 'your order is released - invoice');
    const paid = await act(po.id, 'payments', { amount: 60000, reference: 'W-TRUSTED' });
    expect(paid.body.status).toBe('completed');
  });

  it('PO with delayed delivery: proforma on release, licence and invoice only once the proforma is paid', async () => {
    const po = (await place({ delivery: 'prepayment' })).body;
    expect(po.status).toBe('awaiting_review');
    const link = reviewLinkIn(await emailTo(po.reference, 'purchase order to review'));
    await stack.request('POST', link.pathname, {
      body: new URLSearchParams({ token: link.searchParams.get('token')!, decision: 'approve' }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const proforma = await emailTo(po.reference, 'proforma invoice');
    expect(proforma.attachments![0]!.filename).toMatch(/^PRO-\d{4}-\d{6}\.pdf$/);
    const waiting = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1);
    expect(waiting).toMatchObject({ status: 'awaiting_payment', licences: null });

    const paid = await act(po.id, 'payments', { amount: 60000, reference: 'PREPAY-1' });
    expect(paid.body.status).toBe('ordered');
    const delivery = await emailTo(po.reference, 'payment received - invoice');
    const done = await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'completed');
    expect(done.documents.map((d: { type: string }) => d.type)).toEqual(['proforma', 'invoice']);
    expect(delivery.body.text).toContain(done.licences[0].keys[0]);
  });

  it('cart PO option: only at or above the minimum cart amount of the currency', async () => {
    const small = await place({ lines: [{ ...base.lines[0], unitAmount: 14999 }] });
    expect(small.status).toBe(422);
    expect(small.body.rule).toBe('cart_minimum');
    const notOffered = await place({ currency: 'GBP' });
    expect(notOffered.body.rule).toBe('cart_currency');
    expect((await place({ lines: [{ ...base.lines[0], unitAmount: 15000 }] })).status).toBe(201);
  });

  it('offline PO by customer request: eligible customer types, minimum and maximum, always reviewed', async () => {
    expect((await place({ channel: 'offline', customer: { ...base.customer, type: 'consumer' } })).body.rule).toBe('offline_customer_type');
    expect((await place({ channel: 'offline', lines: [{ ...base.lines[0], unitAmount: 49999 }] })).body.rule).toBe('offline_minimum');
    expect((await place({ channel: 'offline', lines: [{ ...base.lines[0], unitAmount: 1000001 }] })).body.rule).toBe('offline_maximum');
    const trusted = await place({ channel: 'offline', customer: { ...base.customer, id: 'cust-trusted' } });
    expect(trusted.body).toMatchObject({ status: 'awaiting_review', channel: 'offline', review: { required: true } });
    await emailTo(trusted.body.reference, 'purchase order to review');
  });

  it('an order awaiting offline payment is converted to a PO by finance, then reviewed and released', async () => {
    const order = (await place({ paymentMethod: 'offline' })).body;
    expect(order.status).toBe('awaiting_payment');
    await emailTo(order.reference, 'waiting for payment');
    const converted = await act(order.id, 'convert-to-purchase-order');
    expect(converted.body).toMatchObject({ status: 'awaiting_review', paymentMethod: 'purchase_order' });
    await emailTo(order.reference, 'purchase order to review');
    await act(order.id, 'review', { decision: 'approve' });
    await emailTo(order.reference, 'your order is released');
    // Only orders awaiting offline payment convert.
    expect((await act(order.id, 'convert-to-purchase-order')).status).toBe(409);
  });

  it('conversion applies the offline PO rules: a consumer, or a total over the maximum, stays an order awaiting payment', async () => {
    const consumer = (await place({ paymentMethod: 'offline', customer: { ...base.customer, id: 'conv-consumer', type: 'consumer' } })).body;
    const huge = (await place({ paymentMethod: 'offline', lines: [{ ...base.lines[0], unitAmount: 200_000_000 }] })).body;
    const refused = [await act(consumer.id, 'convert-to-purchase-order'), await act(huge.id, 'convert-to-purchase-order')];
    expect(refused.map((r) => [r.status, r.body.rule])).toEqual([
      [422, 'offline_customer_type'],
      [422, 'offline_maximum'],
    ]);
    // Nothing changed.
    expect((await stack.request('GET', `/purchase-orders/${consumer.id}`, { key: keys.finance })).body).toMatchObject({ status: 'awaiting_payment', paymentMethod: 'offline' });
  });

  it('registered partners: accepted without review from the portal, reviewed offline, refused outside the limit', async () => {
    const partner = (id: string) => ({ customer: { ...base.customer, id: `${id}-buyer`, partnerId: id } });
    const portal = await place({ channel: 'partner_portal', ...partner('partner-ok') });
    expect(portal.body).toMatchObject({ status: 'ordered', review: { required: false } });
    const offline = await place({ channel: 'offline', ...partner('partner-ok') });
    expect(offline.body.status).toBe('awaiting_review');
    // Offline, a partner's own settings decide too: switched off, a limit of zero, another currency, over the limit.
    const offlineRefusals = [
      await place({ channel: 'offline', ...partner('partner-off') }),
      await place({ channel: 'offline', ...partner('partner-zero') }),
      await place({ channel: 'offline', ...partner('partner-ok'), currency: 'EUR' }),
      await place({ channel: 'offline', ...partner('partner-ok'), lines: [{ ...base.lines[0], unitAmount: 500001 }] }),
    ];
    expect(offlineRefusals.map((r) => [r.status, r.body.rule])).toEqual([
      [422, 'partner_po_disabled'],
      [422, 'partner_limit_zero'],
      [422, 'partner_currency'],
      [422, 'partner_limit'],
    ]);
    const refusals = [
      await place({ channel: 'partner_portal', ...partner('partner-off') }),
      await place({ channel: 'partner_portal', ...partner('partner-zero') }),
      await place({ channel: 'partner_portal', ...partner('partner-ok'), lines: [{ ...base.lines[0], unitAmount: 500001 }] }),
      await place({ channel: 'partner_portal', ...partner('partner-ok'), currency: 'EUR' }),
      await place({ channel: 'partner_portal', ...partner('partner-unknown') }),
    ];
    expect(refusals.map((r) => [r.status, r.body.rule])).toEqual([
      [422, 'partner_po_disabled'],
      [422, 'partner_limit_zero'],
      [422, 'partner_limit'],
      [422, 'partner_currency'],
      [422, 'partner_po_disabled'],
    ]);
  });

  it('a review not decided in time expires: the PO is cancelled and its link answers 410', async () => {
    const po = (await place()).body;
    const link = reviewLinkIn(await emailTo(po.reference, 'purchase order to review'));
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 15 * 86400 } });
    await emailTo(po.reference, 'has expired');
    const expired = await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'cancelled');
    expect(expired.history.at(-1)).toMatchObject({ type: 'expire_review', actor: 'system' });
    expect((await stack.request('GET', `${link.pathname}${link.search}`)).status).toBe(410);
  });
});
