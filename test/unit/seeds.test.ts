import { describe, expect, it } from 'vitest';
import { RuleViolation, TransitionError } from '../../functions/domain/errors.js';
import { orderRequestSchema, type OrderRequest } from '../../contract/order-request.js';
import { defaultPolicy, type Policy } from '../../contract/policy.js';
import { apply, placePurchaseOrder, type Action, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { documentContent } from '../../functions/domain/documents.js';
import { nextStep, workflowView } from '../../functions/domain/workflow-view.js';
import { cancelledEmail, releasedEmail, shippingEmail } from '../../functions/notices/emails.js';
import { exampleSellerProfile } from '../../functions/domain/seller.js';
import { renderText } from '../../functions/notices/render.js';
import { noticesFor } from '../../functions/notices/catalogue.js';
import { sampleOrder } from '../support/fakes.js';

/** Where the product departed from the two seeds; each case failed before it was mended. */
const at = new Date('2026-03-02T10:00:00Z');
const policy: Policy = {
  ...defaultPolicy,
  offline: { eligibleCustomerTypes: ['business', 'government'], minimum: { USD: 50000 }, maximum: { USD: 1000000 }, reminderDays: [7, 14], cancelAfterDays: 30, verifyReminderDays: 2 },
  partners: {
    'partner-ok': { poEnabled: true, limit: 500000, currency: 'USD' },
    'partner-off': { poEnabled: false, limit: 500000, currency: 'USD' },
    'partner-zero': { poEnabled: true, limit: 0, currency: 'USD' },
  },
};
const order = (overrides: Partial<OrderRequest> = {}): OrderRequest => orderRequestSchema.parse({ ...sampleOrder, ...overrides });
const place = (overrides: Partial<OrderRequest> = {}): PurchaseOrder => placePurchaseOrder({ id: 'PO1', reference: 'PO-2026-000001', order: order(overrides), policy, actor: 'checkout', at });
const convert: Action = { type: 'convert_to_purchase_order', delivery: 'instant', paymentTermsDays: 30, reviewTimeoutDays: 14, reviewReminderDays: null, approvalRules: [], rules: policy };
const ruleOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleViolation) return error.rule;
    throw error;
  }
  return 'accepted';
};

describe('the seeds to the letter', () => {
  it('converting an order awaiting offline payment applies the offline PO rules (type, minimum, maximum; a partner by its settings)', () => {
    const offline = (overrides: Partial<OrderRequest>) => place({ paymentMethod: 'offline', ...overrides });
    const line = sampleOrder.lines[0]!;
    expect(ruleOf(() => apply(offline({ customer: { ...sampleOrder.customer, type: 'consumer' } }), convert, { actor: 'finance', at }))).toBe('offline_customer_type');
    // 200 times the maximum.
    expect(ruleOf(() => apply(offline({ lines: [{ ...line, quantity: 1, unitAmount: 200_000_000 }] }), convert, { actor: 'finance', at }))).toBe('offline_maximum');
    expect(ruleOf(() => apply(offline({ lines: [{ ...line, quantity: 1, unitAmount: 100 }] }), convert, { actor: 'finance', at }))).toBe('offline_minimum');
    expect(ruleOf(() => apply(offline({ currency: 'EUR' }), convert, { actor: 'finance', at }))).toBe('offline_currency');
    const partner = (id: string) => ({ customer: { ...sampleOrder.customer, partnerId: id } });
    expect(ruleOf(() => apply(offline(partner('partner-off')), convert, { actor: 'finance', at }))).toBe('partner_po_disabled');
    const converted = apply(offline({ lines: [{ ...line, quantity: 1, unitAmount: 60000 }] }), convert, { actor: 'finance', at });
    expect(converted).toMatchObject({ status: 'awaiting_review', paymentMethod: 'purchase_order' });
  });

  it("a partner's offline PO respects the partner's settings: switched off, a limit of zero, another currency or over the limit -> no access; otherwise reviewed", () => {
    const partner = (id: string, overrides: Partial<OrderRequest> = {}) => () => place({ channel: 'offline', customer: { ...sampleOrder.customer, partnerId: id }, ...overrides });
    expect(ruleOf(partner('partner-off'))).toBe('partner_po_disabled');
    expect(ruleOf(partner('partner-zero'))).toBe('partner_limit_zero');
    expect(ruleOf(partner('partner-unknown'))).toBe('partner_po_disabled');
    expect(ruleOf(partner('partner-ok', { currency: 'EUR' }))).toBe('partner_currency');
    expect(ruleOf(partner('partner-ok', { lines: [{ ...sampleOrder.lines[0]!, quantity: 1, unitAmount: 500001 }] }))).toBe('partner_limit');
    // A partner's own settings replace the offline rules: a consumer partner buyer below the offline minimum is still reviewed.
    const reviewed = partner('partner-ok', { customer: { ...sampleOrder.customer, type: 'consumer', partnerId: 'partner-ok' }, lines: [{ ...sampleOrder.lines[0]!, quantity: 1, unitAmount: 100 }] })();
    expect(reviewed).toMatchObject({ status: 'awaiting_review', review: { required: true } });
  });

  it("a partner's settings hold in the cart too: switched off or a limit of zero is a refusal, not a review", () => {
    const partner = (id: string, overrides: Partial<OrderRequest> = {}) => () => place({ channel: 'cart', customer: { ...sampleOrder.customer, partnerId: id }, ...overrides });
    expect(ruleOf(partner('partner-off'))).toBe('partner_po_disabled');
    expect(ruleOf(partner('partner-zero'))).toBe('partner_limit_zero');
    expect(ruleOf(partner('partner-ok', { lines: [{ ...sampleOrder.lines[0]!, quantity: 1, unitAmount: 500001 }] }))).toBe('partner_limit');
    // Within the partner's settings, the cart's own rules follow (here: review by default).
    expect(partner('partner-ok')()).toMatchObject({ status: 'awaiting_review', review: { confirmation: 'letterhead' } });
  });

  it('the docs say who may cancel when exactly as the lifecycle decides (the moves table is generated from it)', async () => {
    const { movesTable } = await import('../../infra/docs.js');
    expect(movesTable()).toContain('| `cancel` | checkout | `awaiting_review`, `awaiting_payment`, `payment_rejected` |');
    // A released prepayment PO whose proforma is unpaid is "awaiting payment": the buyer may still cancel it.
    const prepaid = apply(place({ delivery: 'prepayment' }), { type: 'approve' }, { actor: 'reviewer', at });
    expect(apply(prepaid, { type: 'cancel' }, { actor: 'checkout', at }).status).toBe('cancelled');
  });

  it('checkout may cancel only before any money arrived; finance may cancel later, and the refund is recorded and told', () => {
    const prepaid = apply(place({ delivery: 'prepayment' }), { type: 'approve' }, { actor: 'reviewer', at });
    expect(apply(prepaid, { type: 'cancel' }, { actor: 'checkout', at }).status).toBe('cancelled');
    const part = apply(prepaid, { type: 'record_payment', amount: 10000, reference: 'W1' }, { actor: 'finance', at });
    expect(part.status).toBe('awaiting_payment');
    expect(() => apply(part, { type: 'cancel' }, { actor: 'checkout', at })).toThrow(new TransitionError('cancel', 'awaiting_payment', 'money has arrived for this purchase order: only finance may cancel it now (and refund what was paid)'));
    const cancelled = apply(part, { type: 'cancel', reason: 'Project stopped' }, { actor: 'finance', at });
    expect(cancelled.payment).toMatchObject({ amountPaid: 10000, refundDue: 10000 });
    expect(cancelled.history.at(-1)).toMatchObject({ type: 'cancel', data: { refund: 10000 }, detail: 'Project stopped; $100.00 paid, to be refunded' });
    expect(renderText(cancelledEmail(cancelled, 'Project stopped', exampleSellerProfile))).toContain('We will refund the $100.00 you paid');
    // Nothing paid: nothing to refund.
    expect(apply(prepaid, { type: 'cancel' }, { actor: 'finance', at }).payment.refundDue).toBeUndefined();
  });

  it('a physical order without a shipping address ships to the billing address', () => {
    const physical = { lines: [{ sku: 'BOX', description: 'Box', quantity: 2, unitAmount: 15000, fulfilment: 'physical' as const }] };
    expect(orderRequestSchema.safeParse({ ...sampleOrder, ...physical }).success).toBe(true);
    const po = place({ paymentMethod: 'deferred', ...physical });
    expect(po.shippingAddress).toEqual(sampleOrder.billingAddress);
    expect(place().shippingAddress).toBeNull(); // digital only: nothing ships
  });

  it('deferred payment: documents and emails say it is collected on delivery; once everything is delivered it is due, then overdue and reminded as usual', () => {
    const physical = { paymentMethod: 'deferred' as const, lines: [{ sku: 'BOX', description: 'Box', quantity: 2, unitAmount: 15000, fulfilment: 'physical' as const, seller: 's1' }] };
    let po = place(physical);
    const invoice = documentContent(po, 'invoice', 'INV-1', at, po.payment.dueDate, exampleSellerProfile);
    expect(invoice.notes.join(' ')).toContain('Payment is collected on delivery.');
    expect(invoice.notes.join(' ')).not.toMatch(/days net/);
    expect(invoice.dueDate).toBeNull();
    const ref = { id: 'D1', type: 'invoice' as const, number: 'INV-1', issuedAt: at.toISOString(), total: po.total, dueDate: null };
    const released = renderText(releasedEmail(po, ref, exampleSellerProfile));
    expect(released).toContain('payment is collected on delivery');
    expect(released).not.toMatch(/Due date:\s*$/m);
    expect(workflowView(po, at).waitSeconds).toBe(365 * 86_400); // nothing due before the delivery

    const deliveredAt = new Date('2026-03-10T15:00:00Z');
    po = apply(po, { type: 'update_shipping', shippingOrderId: 'SO-1', status: 'delivered' }, { actor: 'finance', at: deliveredAt });
    expect(po).toMatchObject({ status: 'deferred', payment: { dueDate: '2026-03-10', status: 'unpaid', calendarDone: ['before-7'] } });
    expect(renderText(shippingEmail(po, 'SO-1', 'delivered'))).toContain('Everything is delivered: payment of $300.00 is due by 2026-03-10.');
    // The calendar runs from here: overdue at the end of the delivery day.
    const endOfDay = new Date('2026-03-11T00:00:00Z');
    expect(workflowView(po, deliveredAt).waitSeconds).toBe(Math.ceil((endOfDay.getTime() - 1 - deliveredAt.getTime()) / 1000));
    po = apply(po, { type: 'mark_overdue' }, { actor: 'system', at: endOfDay });
    expect(po).toMatchObject({ status: 'overdue', payment: { status: 'overdue' } });
    po = apply(po, { type: 'remind', event: 'after-7' }, { actor: 'system', at: new Date('2026-03-18T00:00:00Z') });
    po = apply(po, { type: 'record_payment', amount: 30000, reference: 'COD-1' }, { actor: 'finance', at: new Date('2026-03-19T00:00:00Z') });
    expect(po.status).toBe('completed');
  });

  it('an unpaid offline order is reminded after 7 and 14 days and cancelled after 30, the buyer told; a proforma counts from its issue', () => {
    let po = place({ paymentMethod: 'offline' });
    const day = (n: number) => new Date(at.getTime() + n * 86_400_000);
    expect(workflowView(po, at).waitSeconds).toBe(7 * 86_400);
    po = apply(po, { type: 'remind_unpaid', event: 'unpaid-7' }, { actor: 'system', at: day(7) });
    expect(po.history.at(-1)).toMatchObject({ type: 'remind_unpaid', data: { days: 7, outstanding: 29700 } });
    expect(apply(po, { type: 'remind_unpaid', event: 'unpaid-7' }, { actor: 'system', at: day(8) })).toBe(po); // once
    expect(noticesFor(po.history.at(-1)!, po).map((n) => [n.name, n.to])).toEqual([['unpaid-reminder', 'buyer']]);
    expect(workflowView(po, day(7)).waitSeconds).toBe(7 * 86_400);
    po = apply(po, { type: 'remind_unpaid', event: 'unpaid-14' }, { actor: 'system', at: day(14) });
    po = apply(po, { type: 'cancel_unpaid', event: 'unpaid-cancel-30' }, { actor: 'system', at: day(30) });
    expect(po.status).toBe('cancelled');
    expect(noticesFor(po.history.at(-1)!, po).map((n) => [n.name, n.to])).toEqual([['cancelled', 'buyer'], ['cancelled-finance', 'finance']]);
    expect(po.history.at(-1)!.detail).toBe('cancelled automatically: unpaid 30 days after the buyer was asked to pay');

    // A prepayment PO: nothing is asked before its proforma; from its issue, the same calendar.
    let prepaid = apply(place({ delivery: 'prepayment' }), { type: 'approve' }, { actor: 'reviewer', at });
    expect(workflowView(prepaid, at).waitSeconds).toBe(365 * 86_400);
    prepaid = apply(prepaid, { type: 'issue_document', document: { id: 'P1', type: 'proforma', number: 'PF-1', issuedAt: day(1).toISOString(), total: 29700, dueDate: null } }, { actor: 'system', at: day(1) });
    expect(workflowView(prepaid, day(1)).waitSeconds).toBe(7 * 86_400);
    // Paid in part: still reminded of the rest, and what was paid is refunded if it is cancelled.
    prepaid = apply(prepaid, { type: 'record_payment', amount: 10000, reference: 'W1' }, { actor: 'finance', at: day(2) });
    prepaid = apply(prepaid, { type: 'cancel_unpaid', event: 'unpaid-cancel-30' }, { actor: 'system', at: day(31) });
    expect(prepaid.payment.refundDue).toBe(10000);
  });

  it('a dispute settled for less than the total: the invoice shows the total and is not "paid in full"; a credit note credits the difference', () => {
    let po = place({ paymentMethod: 'offline' });
    po = apply(po, { type: 'submit_payment', amount: 25000, reference: 'BANK-1' }, { actor: 'checkout', at });
    po = apply(po, { type: 'dispute', reason: 'Short payment' }, { actor: 'finance', at });
    po = apply(po, { type: 'resolve_dispute', outcome: 'accept_payment' }, { actor: 'finance', at });
    expect(po.payment).toMatchObject({ status: 'paid', amountPaid: 25000, shortfall: 4700 });
    expect(nextStep(po)).toBe('fulfil');
    po = apply(po, { type: 'deliver_digital', licences: [{ sku: 'LIC-PRO', description: 'x', keys: ['K'] }] }, { actor: 'system', at });
    const invoice = documentContent(po, 'invoice', 'INV-1', at, null, exampleSellerProfile);
    expect(invoice.total).toBe('$297.00'); // never changed
    expect(invoice.notes.join(' ')).not.toContain('Paid in full');
    expect(invoice.notes.join(' ')).toContain('Paid $250.00, as agreed when the payment dispute was resolved; the remaining $47.00 is credited by a credit note.');
    po = apply(po, { type: 'issue_document', document: { id: 'INV-1', type: 'invoice', number: 'INV-1', issuedAt: at.toISOString(), total: 29700, dueDate: null } }, { actor: 'system', at });
    expect(nextStep(po)).toBe('credit_note');
    const note = documentContent(po, 'credit_note', 'CN-1', at, null, exampleSellerProfile);
    expect(note.total).toBe('-$47.00');
    expect(note.rows).toHaveLength(1);
    expect(note.notes[0]).toContain('reduces invoice INV-1 of order PO-2026-000001 by $47.00, as agreed');
    po = apply(po, { type: 'issue_document', document: { id: 'CN-1', type: 'credit_note', number: 'CN-1', issuedAt: at.toISOString(), total: 4700, dueDate: null } }, { actor: 'system', at });
    expect(nextStep(po)).toBe('completed');
  });
});

describe('customers', () => {
  it('have payment terms of their own (60 days, 14 days, or the policy\'s) and may be trusted per customer', () => {
    const customerPolicy: Policy = { ...policy, customers: { 'cust-1': { paymentTermsDays: 60, trusted: true }, 'cust-2': { paymentTermsDays: 14 } } };
    const placeFor = (id: string) => placePurchaseOrder({ id: 'PO9', reference: 'PO-2026-000009', order: order({ customer: { ...sampleOrder.customer, id } }), policy: customerPolicy, actor: 'checkout', at });
    expect(placeFor('cust-1')).toMatchObject({ status: 'ordered', paymentTermsDays: 60, payment: { dueDate: '2026-05-01' } });
    const second = apply(placeFor('cust-2'), { type: 'approve' }, { actor: 'reviewer', at });
    expect(second).toMatchObject({ paymentTermsDays: 14, payment: { dueDate: '2026-03-16' } });
    expect(placeFor('cust-3')).toMatchObject({ status: 'awaiting_review', paymentTermsDays: 30 });
    expect(documentContent(second, 'invoice', 'INV-1', at, second.payment.dueDate, exampleSellerProfile).notes[0]).toBe('Payment terms: 14 days net. Please pay by 2026-03-16.');
    // A converted order takes the customer's terms too.
    const offline = placePurchaseOrder({ id: 'PO8', reference: 'PO-2026-000008', order: order({ paymentMethod: 'offline', customer: { ...sampleOrder.customer, id: 'cust-2' }, lines: [{ ...sampleOrder.lines[0]!, quantity: 1, unitAmount: 60000 }] }), policy: customerPolicy, actor: 'checkout', at });
    expect(apply(offline, { ...convert, customerTerms: { 'cust-2': 14 } } as Action, { actor: 'finance', at }).paymentTermsDays).toBe(14);
  });
});
