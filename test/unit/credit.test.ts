import { describe, expect, it } from 'vitest';
import { creditAccount, creditHolds, creditHoldsFromExposure, exposureOf } from '../../functions/domain/credit.js';
import { orderRequestSchema, type OrderRequest } from '../../contract/order-request.js';
import { defaultPolicy, policySchema, type Policy } from '../../contract/policy.js';
import { apply, placePurchaseOrder, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { nextStep } from '../../functions/domain/workflow-view.js';
import { sampleOrder } from '../support/fakes.js';

const at = new Date('2026-03-02T10:00:00Z');
const policy: Policy = {
  ...defaultPolicy,
  reviewByDefault: true,
  cartMinimum: { USD: 15_000, EUR: 15_000 },
  customers: { 'cust-1': { trusted: true, paymentTermsDays: 14, creditLimit: { amount: 50_000, currency: 'USD' } } },
};
const order = (overrides: Partial<OrderRequest> = {}) => orderRequestSchema.parse({ ...sampleOrder, customer: { ...sampleOrder.customer, id: 'cust-1' }, ...overrides });
let n = 0;
const place = (overrides: Partial<OrderRequest> = {}, holds: ('credit_limit' | 'overdue_hold')[] = []) =>
  placePurchaseOrder({ id: `PO${++n}`, reference: `PO-2026-00000${n}`, order: order(overrides), policy, actor: 'checkout', at, holds });

describe('credit control', () => {
  it("counts what the customer still owes on open POs, per currency, and what of it is overdue", () => {
    const ordered = place(); // $297.00, trusted: ordered
    const paidPart = apply(place(), { type: 'record_payment', amount: 10_000, reference: 'BANK-1' }, { actor: 'finance', at });
    const euros = place({ currency: 'EUR', lines: [{ ...sampleOrder.lines[0]!, unitAmount: 20_000, quantity: 1 }] });
    const late: PurchaseOrder = { ...place(), status: 'overdue' };
    const account = creditAccount('cust-1', [ordered, paidPart, euros, late], policy);
    expect(account.exposure).toEqual({ USD: 29_700 + 19_700 + 29_700, EUR: 20_000 });
    expect(account.overdue).toEqual({ USD: 29_700 });
    expect(account).toMatchObject({ creditLimit: { amount: 50_000, currency: 'USD' }, paymentTermsDays: 14 });
    expect(account.openPurchaseOrders.map((po) => po.outstanding)).toEqual([29_700, 19_700, 20_000, 29_700]);
  });

  it('holds a PO that would take the open amount over the limit, in the limit currency only; up to the limit exactly passes', () => {
    const account = creditAccount('cust-1', [place()], policy); // owes $297.00 of $500.00
    expect(creditHolds(account, 'USD', 20_300)).toEqual([]);
    expect(creditHolds(account, 'USD', 20_301)).toEqual(['credit_limit']);
    expect(creditHolds(account, 'EUR', 10_000_000)).toEqual([]);
    expect(creditHolds(creditAccount('cust-2', [], policy), 'USD', 10_000_000)).toEqual([]);
  });

  it('holds every new PO while one of the customer\'s is overdue', () => {
    expect(creditHolds(creditAccount('cust-1', [{ ...place(), status: 'overdue' }], policy), 'EUR', 100)).toEqual(['overdue_hold']);
  });

  it('a held PO of a trusted customer waits for review, says why, and has no due date yet; an online payment is not held', () => {
    const held = place({}, ['credit_limit', 'overdue_hold']);
    expect(held).toMatchObject({ status: 'awaiting_review', review: { required: true, reasons: ['credit_limit', 'overdue_hold'] }, payment: { status: 'not_due', dueDate: null } });
    expect(held.history[0]!.data).toMatchObject({ holds: ['credit_limit', 'overdue_hold'] });
    expect(held.history[0]!.detail).toContain('credit limit');
    expect(place({}).status).toBe('ordered');
    const online = place({ paymentMethod: 'online', onlinePayment: { reference: 'card', amount: 29_700 } }, ['credit_limit']);
    expect(online.status).toBe('ordered');
    // Approved, it goes on as any reviewed PO: due on the customer's own terms from the release.
    expect(apply(held, { type: 'approve' }, { actor: 'reviewer', at })).toMatchObject({ status: 'ordered', payment: { dueDate: '2026-03-16' } });
  });

  it('collection on delivery is credit too: held, then released to be delivered and collected on delivery', () => {
    const held = place({ paymentMethod: 'deferred', channel: 'partner_portal' }, ['overdue_hold']);
    expect(held).toMatchObject({ status: 'awaiting_review', review: { reasons: ['overdue_hold'] } });
    const released = apply(held, { type: 'approve' }, { actor: 'reviewer', at });
    expect(released).toMatchObject({ status: 'deferred', payment: { status: 'unpaid', dueDate: null } });
    expect(nextStep(released)).toBe('fulfil');
    expect(place({ paymentMethod: 'offline' }, ['overdue_hold']).status).toBe('awaiting_payment');
  });

  it('takes a credit limit in the policy and refuses one it cannot apply', () => {
    const with_ = (creditLimit: unknown) => policySchema.safeParse({ ...defaultPolicy, customers: { c: { creditLimit } } }).success;
    expect(with_({ amount: 5_000_000, currency: 'USD' })).toBe(true);
    expect(with_({ amount: 50.5, currency: 'USD' })).toBe(false);
    expect(with_({ amount: 100, currency: 'XAU' })).toBe(false);
    expect(with_({ amount: -1, currency: 'USD' })).toBe(false);
  });

  it('gives the same holds from the exposure kept with each write as from every open PO read', () => {
    const open = [place(), apply(place(), { type: 'record_payment', amount: 10_000, reference: 'BANK-2' }, { actor: 'finance', at }), place({ currency: 'EUR' })];
    const closed = apply(place(), { type: 'cancel', reason: 'changed mind' }, { actor: 'finance', at });
    expect(exposureOf(closed)).toBe(0);
    const usd = [...open, closed].filter((po) => po.currency === 'USD').reduce((sum, po) => sum + exposureOf(po), 0);
    expect(usd).toBe(creditAccount('cust-1', open, policy).exposure.USD);
    const limit = policy.customers['cust-1']!.creditLimit!;
    for (const total of [1_000, 50_000 - usd, 50_000 - usd + 1]) {
      expect(creditHoldsFromExposure(usd, 0, limit, 'USD', total)).toEqual(creditHolds(creditAccount('cust-1', open, policy), 'USD', total));
    }
    const late: PurchaseOrder = { ...place(), status: 'overdue' };
    expect(creditHoldsFromExposure(usd, 1, limit, 'EUR', 1_000)).toEqual(['overdue_hold']);
  });
});
