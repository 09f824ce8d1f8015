import { RuleViolation, TransitionError } from './errors.js';
import { add, multiply, sum } from './money.js';
import type { Address, Customer, OrderLine, OrderRequest } from './order-request.js';
import type { Policy } from './policy.js';

/**
 * The purchase order and its lifecycle: every status, every allowed move, in one place.
 * `apply` is the only way a PO changes; it returns a new PO with one more history entry, or throws
 * TransitionError (not allowed in this status) or RuleViolation (allowed, but breaks a rule).
 */

export const statuses = [
  'awaiting_review',
  'rejected',
  'awaiting_payment',
  'payment_submitted',
  'payment_rejected',
  'disputed',
  'ordered',
  'deferred',
  'overdue',
  'completed',
  'cancelled',
] as const;
export type Status = (typeof statuses)[number];
export const terminalStatuses: ReadonlySet<Status> = new Set(['rejected', 'completed', 'cancelled']);

export type PaymentStatus = 'not_due' | 'unpaid' | 'submitted' | 'rejected' | 'paid' | 'overdue';
export type Actor = 'checkout' | 'finance' | 'reviewer' | 'system';

export interface HistoryEntry {
  at: string;
  type: string;
  from: Status | null;
  to: Status;
  actor: Actor;
  detail?: string;
}

export interface PaymentRecord {
  reference: string;
  amount: number;
  at: string;
  actor: Actor;
}

export interface Payment {
  status: PaymentStatus;
  amountDue: number;
  amountPaid: number;
  dueDate: string | null;
  records: PaymentRecord[];
}

export type DocumentType = 'invoice' | 'proforma' | 'credit_note';
export interface DocumentRef {
  id: string;
  type: DocumentType;
  number: string;
  issuedAt: string;
  total: number;
  dueDate: string | null;
}

export interface ShippingOrder {
  id: string;
  seller: string;
  status: 'pending' | 'shipped' | 'delivered';
  lines: { sku: string; description: string; quantity: number }[];
}

export interface Licence {
  sku: string;
  description: string;
  keys: string[];
}

export interface PoLine extends OrderLine {
  amount: number;
}

export interface PurchaseOrder {
  id: string;
  reference: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  status: Status;
  channel: OrderRequest['channel'];
  paymentMethod: OrderRequest['paymentMethod'];
  delivery: 'instant' | 'prepayment' | null;
  poNumber: string | null;
  customer: Customer;
  currency: string;
  lines: PoLine[];
  total: number;
  billingAddress: Address;
  shippingAddress: Address | null;
  paymentTermsDays: number;
  review: {
    required: boolean;
    decision: 'approved' | 'rejected' | 'expired' | null;
    decidedBy: Actor | null;
    decidedAt: string | null;
    comment: string | null;
  };
  payment: Payment;
  documents: DocumentRef[];
  shippingOrders: ShippingOrder[];
  licences: Licence[] | null;
  history: HistoryEntry[];
}

export type Action =
  | { type: 'approve'; comment?: string }
  | { type: 'reject'; comment?: string }
  | { type: 'expire_review' }
  | { type: 'mark_overdue' }
  | { type: 'record_payment'; amount: number; reference: string }
  | { type: 'deliver_digital'; licences: Licence[] }
  | { type: 'issue_document'; document: DocumentRef };

export interface ActionContext {
  actor: Actor;
  at: Date;
}

export function lineAmounts(lines: readonly OrderLine[]): { lines: PoLine[]; total: number } {
  const priced = lines.map((line) => ({ ...line, amount: multiply(line.unitAmount, line.quantity) }));
  return { lines: priced, total: sum(priced.map((line) => line.amount)) };
}

/** Due date: the day the terms start plus the payment terms, as a calendar date (UTC). */
export function dueDateFrom(start: Date, termsDays: number): string {
  const due = new Date(start.getTime() + termsDays * 86_400_000);
  return due.toISOString().slice(0, 10);
}

export function hasDigitalLines(po: Pick<PurchaseOrder, 'lines'>): boolean {
  return po.lines.some((line) => line.fulfilment === 'digital');
}

export function isFullyDelivered(po: PurchaseOrder): boolean {
  const digitalDone = !hasDigitalLines(po) || po.licences !== null;
  return digitalDone && po.shippingOrders.every((order) => order.status === 'delivered');
}

export function outstanding(po: PurchaseOrder): number {
  return po.payment.amountDue - po.payment.amountPaid;
}

/** Statuses from which each action may be taken: the lifecycle's table of moves. */
const allowedFrom: Record<Action['type'], readonly Status[]> = {
  approve: ['awaiting_review'],
  reject: ['awaiting_review'],
  expire_review: ['awaiting_review'],
  mark_overdue: ['ordered', 'overdue'],
  record_payment: ['ordered', 'overdue', 'awaiting_payment', 'deferred'],
  deliver_digital: ['ordered', 'overdue', 'deferred'],
  issue_document: ['ordered', 'overdue', 'awaiting_payment', 'deferred', 'completed', 'cancelled'],
};

export function canApply(po: PurchaseOrder, type: Action['type']): boolean {
  return allowedFrom[type].includes(po.status);
}

export function apply(po: PurchaseOrder, action: Action, ctx: ActionContext): PurchaseOrder {
  if (!canApply(po, action.type)) throw new TransitionError(action.type, po.status);
  const at = ctx.at.toISOString();
  const next = structuredClone(po);
  let detail: string | undefined;

  switch (action.type) {
    case 'approve': {
      next.review = decision('approved', ctx, action.comment);
      if (po.delivery === 'prepayment') {
        next.status = 'awaiting_payment';
        next.payment = { ...next.payment, status: 'unpaid', amountDue: po.total };
      } else {
        next.status = 'ordered';
        next.payment = { ...next.payment, status: 'unpaid', amountDue: po.total, dueDate: dueDateFrom(ctx.at, po.paymentTermsDays) };
      }
      detail = action.comment;
      break;
    }
    case 'reject':
      next.review = decision('rejected', ctx, action.comment);
      next.status = 'rejected';
      detail = action.comment;
      break;
    case 'expire_review':
      next.review = decision('expired', ctx);
      next.status = 'cancelled';
      detail = 'review not decided in time';
      break;
    case 'mark_overdue':
      if (po.status === 'overdue' || po.payment.status === 'paid') return po;
      next.status = 'overdue';
      next.payment.status = 'overdue';
      detail = `payment was due ${po.payment.dueDate}`;
      break;
    case 'record_payment': {
      if (!Number.isSafeInteger(action.amount) || action.amount <= 0) {
        throw new RuleViolation('a payment must be a positive amount in minor units', 'payment_amount');
      }
      if (po.payment.records.some((record) => record.reference === action.reference)) return po;
      const remaining = outstanding(po);
      if (action.amount > remaining) {
        throw new RuleViolation(`payment of ${action.amount} exceeds the amount outstanding (${remaining})`, 'overpayment');
      }
      const amountPaid = add(po.payment.amountPaid, action.amount);
      next.payment.records.push({ reference: action.reference, amount: action.amount, at, actor: ctx.actor });
      next.payment.amountPaid = amountPaid;
      if (amountPaid === po.payment.amountDue) {
        next.payment.status = 'paid';
        if (po.status === 'awaiting_payment' || po.status === 'overdue') {
          next.status = 'ordered';
        }
      }
      detail = `${action.amount} received (reference ${action.reference}), ${po.payment.amountDue - amountPaid} outstanding`;
      break;
    }
    case 'deliver_digital':
      if (po.licences !== null) return po;
      next.licences = action.licences;
      detail = `${action.licences.reduce((n, licence) => n + licence.keys.length, 0)} licence key(s) delivered`;
      break;
    case 'issue_document':
      if (po.documents.some((doc) => doc.id === action.document.id)) return po;
      next.documents.push(action.document);
      detail = `${action.document.type.replace('_', ' ')} ${action.document.number}`;
      break;
  }

  if (next.payment.status === 'paid' && next.status !== 'completed' && next.status !== 'awaiting_payment' && isFullyDelivered(next)) {
    next.status = 'completed';
  }
  next.version = po.version + 1;
  next.updatedAt = at;
  next.history.push({ at, type: action.type, from: po.status, to: next.status, actor: ctx.actor, ...(detail ? { detail } : {}) });
  return next;
}

function decision(outcome: PurchaseOrder['review']['decision'], ctx: ActionContext, comment?: string): PurchaseOrder['review'] {
  return { required: true, decision: outcome, decidedBy: ctx.actor, decidedAt: ctx.at.toISOString(), comment: comment ?? null };
}

export interface Placement {
  status: Status;
  reviewRequired: boolean;
  delivery: 'instant' | 'prepayment' | null;
}

/** Which route a new order takes, per the payment method, the channel and the seller's policy. */
export function decidePlacement(order: OrderRequest, total: number, policy: Policy): Placement {
  const violation = (message: string, rule: string) => new RuleViolation(message, rule);
  switch (order.paymentMethod) {
    case 'purchase_order': {
      const delivery = order.delivery ?? policy.defaultDelivery;
      if (order.channel === 'cart') {
        const minimum = policy.cartMinimum[order.currency];
        if (minimum === undefined) {
          throw violation(`purchase orders are not offered in the cart for ${order.currency}`, 'cart_currency');
        }
        if (total < minimum) {
          throw violation(`a cart purchase order needs a total of at least ${minimum} (${order.currency} minor units)`, 'cart_minimum');
        }
        const trusted = policy.trustedCustomers.includes(order.customer.id);
        const reviewRequired = policy.reviewByDefault && !trusted;
        return { status: reviewRequired ? 'awaiting_review' : 'ordered', reviewRequired, delivery };
      }
      if (order.channel === 'offline') {
        if (!policy.offline.eligibleCustomerTypes.includes(order.customer.type)) {
          throw violation(`customers of type ${order.customer.type} may not pay by offline purchase order`, 'offline_customer_type');
        }
        const minimum = policy.offline.minimum[order.currency];
        const maximum = policy.offline.maximum[order.currency];
        if (minimum === undefined && maximum === undefined) {
          throw violation(`offline purchase orders are not accepted in ${order.currency}`, 'offline_currency');
        }
        if (minimum !== undefined && total < minimum) {
          throw violation(`an offline purchase order needs a total of at least ${minimum} (${order.currency} minor units)`, 'offline_minimum');
        }
        if (maximum !== undefined && total > maximum) {
          throw violation(`an offline purchase order may total at most ${maximum} (${order.currency} minor units)`, 'offline_maximum');
        }
        return { status: 'awaiting_review', reviewRequired: true, delivery };
      }
      const partnerId = order.customer.partnerId;
      const partner = partnerId === undefined ? undefined : policy.partners[partnerId];
      if (!partner || !partner.poEnabled) throw violation('the partner may not pay by purchase order', 'partner_po_disabled');
      if (partner.limit === 0) throw violation('the partner has a purchase-order limit of zero', 'partner_limit_zero');
      if (partner.currency !== order.currency) {
        throw violation(`the partner's purchase-order limit is in ${partner.currency}, not ${order.currency}`, 'partner_currency');
      }
      if (total > partner.limit) throw violation(`the order exceeds the partner's purchase-order limit of ${partner.limit}`, 'partner_limit');
      return { status: 'ordered', reviewRequired: false, delivery };
    }
    case 'online':
      if (!order.onlinePayment) throw violation('onlinePayment is required for paymentMethod online', 'online_payment_missing');
      if (order.onlinePayment.amount !== total) {
        throw violation(`onlinePayment.amount (${order.onlinePayment.amount}) must equal the order total (${total})`, 'online_amount');
      }
      return { status: 'ordered', reviewRequired: false, delivery: null };
    case 'offline':
      return { status: 'awaiting_payment', reviewRequired: false, delivery: null };
    case 'deferred':
      return { status: 'deferred', reviewRequired: false, delivery: null };
  }
}

export interface NewPurchaseOrder {
  id: string;
  reference: string;
  order: OrderRequest;
  policy: Policy;
  actor: Actor;
  at: Date;
}

export function placePurchaseOrder({ id, reference, order, policy, actor, at }: NewPurchaseOrder): PurchaseOrder {
  const { lines, total } = lineAmounts(order.lines);
  const placement = decidePlacement(order, total, policy);
  const when = at.toISOString();
  return {
    id,
    reference,
    version: 1,
    createdAt: when,
    updatedAt: when,
    status: placement.status,
    channel: order.channel,
    paymentMethod: order.paymentMethod,
    delivery: placement.delivery,
    poNumber: order.poNumber ?? null,
    customer: order.customer,
    currency: order.currency,
    lines,
    total,
    billingAddress: order.billingAddress,
    shippingAddress: order.shippingAddress ?? null,
    paymentTermsDays: policy.paymentTermsDays,
    review: { required: placement.reviewRequired, decision: null, decidedBy: null, decidedAt: null, comment: null },
    payment: { status: 'not_due', amountDue: total, amountPaid: 0, dueDate: null, records: [] },
    documents: [],
    shippingOrders: [],
    licences: null,
    history: [{ at: when, type: 'placed', from: null, to: placement.status, actor, detail: `${order.channel} ${order.paymentMethod}` }],
  };
}
