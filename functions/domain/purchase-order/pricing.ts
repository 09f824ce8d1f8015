import type { OrderLine, OrderRequest } from '../../../contract/order-request.js';
import type { Policy } from '../../../contract/policy.js';
import { multiply, sum } from '../money.js';
import type { PoLine, PurchaseOrder } from './model.js';
import { type Taxation, taxFor } from '../tax.js';

/** The price of an order: its lines, the net sum, the tax for this buyer, the total; and the due date of net terms. */

export function lineAmounts(lines: readonly OrderLine[]): { lines: PoLine[]; total: number } {
  const priced = lines.map((line) => ({ ...line, amount: multiply(line.unitAmount, line.quantity) }));
  return { lines: priced, total: sum(priced.map((line) => line.amount)) };
}

/** The order priced: its lines, their sum (net), the tax on it for this buyer, and the total the buyer pays. */
export function priceOrder(order: Pick<OrderRequest, 'lines' | 'customer' | 'billingAddress'>, policy: Pick<Policy, 'tax'>): Taxation & { lines: PoLine[] } {
  const { lines, total: subtotal } = lineAmounts(order.lines);
  return { lines, ...taxFor(subtotal, order, policy.tax) };
}

/** The net amount, the tax and the gross total of a PO. */
export function taxationOf(po: PurchaseOrder): Pick<Taxation, 'subtotal' | 'tax' | 'total'> {
  return { subtotal: po.subtotal, tax: po.tax, total: po.total };
}

/** Due date: the day the terms start plus the payment terms, as a calendar date (UTC). */
export function dueDateFrom(start: Date, termsDays: number): string {
  const due = new Date(start.getTime() + termsDays * 86_400_000);
  return due.toISOString().slice(0, 10);
}
