import type { HoldReason } from '../../contract/purchase-order.js';
import { add } from './money.js';
import type { Policy } from '../../contract/policy.js';
import { termsFor } from './policy.js';
import type { PurchaseOrder } from './purchase-order/index.js';
import { outstanding, terminalStatuses } from './purchase-order/index.js';
import type { Status } from '../../contract/purchase-order.js';

/**
 * Credit control: what a customer owes on open POs, per currency, and the two holds that send a new
 * PO of theirs to review whatever else applies (trusted or not): one that would take what they owe in
 * the limit's currency over their credit limit, and any PO while one of theirs is overdue.
 *
 * Exposure counts every open PO (awaiting review, awaiting payment, ordered, deferred, overdue, ...)
 * at what is still unpaid on it (amount due minus paid), tax included: a PO under review is credit
 * the customer asks for, an invoice on net terms is credit given.
 */

/**
 * What credit control reads of an open PO: a few fields, not the PO (a customer may have thousands of
 * open POs, and each placement of theirs reads them all).
 */
export type OpenPurchaseOrder = Pick<PurchaseOrder, 'id' | 'reference' | 'status' | 'currency' | 'total' | 'createdAt'> & {
  payment: Pick<PurchaseOrder['payment'], 'amountDue' | 'amountPaid' | 'dueDate'>;
  customer: Pick<PurchaseOrder['customer'], 'company'>;
};

export interface CreditAccount {
  customerId: string;
  openPurchaseOrders: { id: string; reference: string; status: Status; currency: string; total: number; outstanding: number; dueDate: string | null }[];
  exposure: Record<string, number>;
  overdue: Record<string, number>;
  creditLimit: { amount: number; currency: string } | null;
  paymentTermsDays: number;
}

export function creditAccount(customerId: string, open: readonly OpenPurchaseOrder[], policy: Pick<Policy, 'customers' | 'paymentTermsDays'>): CreditAccount {
  const exposure: Record<string, number> = {};
  const overdue: Record<string, number> = {};
  const openPurchaseOrders = open.map((po) => {
    const owed = outstanding(po);
    exposure[po.currency] = add(exposure[po.currency] ?? 0, owed);
    if (po.status === 'overdue') overdue[po.currency] = add(overdue[po.currency] ?? 0, owed);
    return { id: po.id, reference: po.reference, status: po.status, currency: po.currency, total: po.total, outstanding: owed, dueDate: po.payment.dueDate };
  });
  return { customerId, openPurchaseOrders, exposure, overdue, creditLimit: policy.customers[customerId]?.creditLimit ?? null, paymentTermsDays: termsFor(policy, customerId) };
}

/**
 * What a PO adds to its customer's exposure in its currency: what is still unpaid on it while it is
 * open, nothing once it is closed. The store keeps the sum per customer and currency with each write.
 */
export function exposureOf(po: Pick<PurchaseOrder, 'status' | 'payment'>): number {
  return terminalStatuses.has(po.status) ? 0 : outstanding(po);
}

/**
 * The holds from the customer's exposure and number of overdue POs as kept (two items read): the
 * same verdict as `creditHolds` on the whole account, without reading every open PO.
 */
export function creditHoldsFromExposure(
  exposure: number,
  overdue: number,
  limit: { amount: number; currency: string } | null,
  currency: string,
  total: number,
): HoldReason[] {
  const holds: HoldReason[] = [];
  if (limit && limit.currency === currency && add(exposure, total) > limit.amount) holds.push('credit_limit');
  if (overdue > 0) holds.push('overdue_hold');
  return holds;
}

/** Why a new PO of this total must be reviewed, from the customer's account; none when it may go as usual. */
export function creditHolds(account: CreditAccount, currency: string, total: number): HoldReason[] {
  const holds: HoldReason[] = [];
  const limit = account.creditLimit;
  if (limit && limit.currency === currency && add(account.exposure[currency] ?? 0, total) > limit.amount) holds.push('credit_limit');
  if (account.openPurchaseOrders.some((po) => po.status === 'overdue')) holds.push('overdue_hold');
  return holds;
}
