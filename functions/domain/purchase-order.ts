import { statuses, type DocumentType, type PaymentStatus, type Status } from '../../contract/purchase-order.js';
import { ReferenceConflict, RuleViolation, TransitionError } from './errors.js';
import type { AttachmentType } from './attachments.js';
import { calendarEvents, parseEventKey, unpaidEvents, type CalendarPolicy, type UnpaidCalendar } from './calendar.js';
import { entry, identityOf, whoFor, type Change, type HistoryEntry } from './history.js';
import { type Actor, type Who } from '../../contract/purchase-order.js';
import { add, multiply, sum } from './money.js';
import type { Address, Customer, OrderLine, OrderRequest } from '../../contract/order-request.js';
import { isTrusted, termsFor } from './policy.js';
import { type Policy } from '../../contract/policy.js';
import { taxFor, type TaxEntry, type Taxation } from './tax.js';
import type { HoldReason } from '../../contract/purchase-order.js';

/**
 * The purchase order and its lifecycle: every status, every allowed move, in one place.
 * `apply` is the only way a PO changes; it returns a new PO with one more history entry, or throws
 * TransitionError (not allowed in this status) or RuleViolation (allowed, but breaks a rule).
 */

export const terminalStatuses: ReadonlySet<Status> = new Set(['rejected', 'completed', 'cancelled']);
export type { HistoryEntry } from './history.js';

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
  /** Calendar events (reminders, due, auto-cancel) already handled, by key. */
  calendarDone: string[];
  /** The payment the buyer reported last: waiting for verification, or rejected (and perhaps disputed). */
  pending: { amount: number; reference: string; at: string } | null;
  /** Cancelled after money arrived: what is owed back to the buyer (finance refunds it outside the PO). */
  refundDue?: number;
  /** A dispute settled for less than the total: the difference, credited by a credit note (the invoice stays as issued). */
  shortfall?: number;
}

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

export interface Attachment {
  id: string;
  contentType: AttachmentType;
  size: number;
  filename: string | null;
  at: string;
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
  /** The net amount: the sum of the lines (absent on POs placed before taxes: then the total). */
  subtotal?: number;
  /** Tax per rate (empty without a tax policy; absent on POs placed before taxes). */
  tax?: TaxEntry[];
  /** The tax ids the documents print (absent on POs placed before taxes). */
  taxIds?: Taxation['taxIds'];
  /** What the buyer pays: the subtotal plus the tax. */
  total: number;
  billingAddress: Address;
  shippingAddress: Address | null;
  paymentTermsDays: number;
  /** Reminders and automatic cancellation of an unpaid invoice, as the policy said at placement. */
  calendar: CalendarPolicy;
  /** Reminders and cancellation of an unpaid offline order or proforma, as the policy said at placement (absent on older POs). */
  unpaidCalendar?: UnpaidCalendar;
  /** When an undecided review expires (the PO is then cancelled). */
  reviewDeadline: string | null;
  review: Review;
  payment: Payment;
  documents: DocumentRef[];
  shippingOrders: ShippingOrder[];
  licences: Licence[] | null;
  /** Files attached to the PO: the buyer's signed PO on letterhead, checked when they arrive. */
  attachments: Attachment[];
  /**
   * Set when a step of the workflow failed for good (not a passing fault, which is retried): the
   * workflow waits for finance to resume it. Absent on POs stored before it existed.
   */
  attention?: Attention | null;
  history: HistoryEntry[];
}

export interface Attention {
  /** The step that failed and why, as the workflow saw it. */
  step: string;
  reason: string;
  since: string;
}

export interface Approval {
  by: Who;
  at: string;
  comment: string | null;
}

export interface Review {
  required: boolean;
  decision: 'approved' | 'rejected' | 'expired' | null;
  decidedBy: Actor | null;
  decidedAt: string | null;
  comment: string | null;
  /** How many approvals from distinct people release the PO (the policy's approval rules). */
  approvalsRequired: number;
  /** The approvals so far, in order. */
  approvals: Approval[];
  /** Why credit control sent the PO to review (absent when it did not). */
  reasons?: HoldReason[];
  /** When the reviewers are reminded of a review still open (policy.reviewReminderDays), and whether they were. */
  reminderAt: string | null;
  reminded: boolean;
}

export type Action =
  | { type: 'approve'; comment?: string }
  | { type: 'reject'; comment?: string }
  | { type: 'expire_review' }
  | { type: 'remind_review' }
  | { type: 'submit_payment'; amount: number; reference: string }
  | { type: 'verify_payment'; decision: 'accept' | 'reject'; reason?: string }
  | { type: 'dispute'; reason?: string }
  | { type: 'resolve_dispute'; outcome: 'accept_payment' | 'cancel'; reason?: string }
  | { type: 'record_payment'; amount: number; reference: string }
  | { type: 'cancel'; reason?: string }
  | {
      type: 'convert_to_purchase_order';
      delivery: 'instant' | 'prepayment';
      paymentTermsDays: number;
      reviewTimeoutDays: number;
      reviewReminderDays: number | null;
      approvalRules: Policy['approvalRules'];
      /** The offline PO rules as they are now: the converted order must meet them. */
      rules: OfflineRules;
      /** Customers' own payment terms, by customer id. */
      customerTerms?: Record<string, number>;
    }
  | { type: 'update_shipping'; shippingOrderId: string; status: 'shipped' | 'delivered' }
  | { type: 'mark_overdue' }
  | { type: 'remind'; event: string }
  | { type: 'auto_cancel'; event: string }
  | { type: 'remind_unpaid'; event: string }
  | { type: 'cancel_unpaid'; event: string }
  | { type: 'deliver_digital'; licences: Licence[] }
  | { type: 'issue_document'; document: DocumentRef }
  | { type: 'attach'; attachment: Attachment }
  | { type: 'flag_attention'; step: string; reason: string }
  | { type: 'resume' }
  | { type: 'email_failed'; key: string; notice: string; audience: 'buyer' | 'finance' | 'reviewers'; to: string[]; reason: string };

export interface ActionContext {
  actor: Actor;
  at: Date;
  /** Who acted; the role's key (or the workflow) when not given. */
  by?: Who;
}

export function lineAmounts(lines: readonly OrderLine[]): { lines: PoLine[]; total: number } {
  const priced = lines.map((line) => ({ ...line, amount: multiply(line.unitAmount, line.quantity) }));
  return { lines: priced, total: sum(priced.map((line) => line.amount)) };
}

/** The order priced: its lines, their sum (net), the tax on it for this buyer, and the total the buyer pays. */
export function priceOrder(order: Pick<OrderRequest, 'lines' | 'customer' | 'billingAddress'>, policy: Pick<Policy, 'tax'>): Taxation & { lines: PoLine[] } {
  const { lines, total: subtotal } = lineAmounts(order.lines);
  return { lines, ...taxFor(subtotal, order, policy.tax) };
}

/** The net amount, the tax and the gross total of a PO (a PO placed before taxes: no tax, net = total). */
export function taxationOf(po: PurchaseOrder): Pick<Taxation, 'subtotal' | 'tax' | 'total'> {
  return { subtotal: po.subtotal ?? po.total, tax: po.tax ?? [], total: po.total };
}

/** Due date: the day the terms start plus the payment terms, as a calendar date (UTC). */
export function dueDateFrom(start: Date, termsDays: number): string {
  const due = new Date(start.getTime() + termsDays * 86_400_000);
  return due.toISOString().slice(0, 10);
}

/** What the back office's search matches (reference, buyer's PO number, company, customer id, email), in lower case. */
export function searchTextOf(po: PurchaseOrder): string {
  return [po.reference, po.poNumber, po.customer.company, po.customer.id, po.customer.email].filter(Boolean).join('\n').toLowerCase();
}

export function hasDigitalLines(po: Pick<PurchaseOrder, 'lines'>): boolean {
  return po.lines.some((line) => line.fulfilment === 'digital');
}

export function isFullyDelivered(po: PurchaseOrder): boolean {
  const digitalDone = !hasDigitalLines(po) || po.licences !== null;
  return digitalDone && po.shippingOrders.every((order) => order.status === 'delivered');
}

/**
 * Payment collected on delivery (deferred): once everything is delivered and it has not been
 * collected, it is due that day, and the usual calendar follows (the PO turns overdue at the end of
 * it, then the reminders after the due date). Reminders before a due date that is already here are
 * skipped, not sent late.
 */
function collectionDue(po: PurchaseOrder, at: string): void {
  const dueDate = at.slice(0, 10);
  po.payment.dueDate = dueDate;
  const passed = calendarEvents(dueDate, po.calendar).filter((event) => event.kind === 'reminder_before' && event.at <= at);
  po.payment.calendarDone = [...po.payment.calendarDone, ...passed.map((event) => event.key)];
}

/**
 * What a credit note for this PO credits, if one is due: all of an invoiced PO that was cancelled, or
 * the shortfall of a dispute settled for less; null when no credit note is due (none invoiced, or one
 * issued already).
 */
export function creditDue(po: PurchaseOrder): number | null {
  const invoiced = po.documents.some((doc) => doc.type === 'invoice');
  if (!invoiced || po.documents.some((doc) => doc.type === 'credit_note')) return null;
  if (po.status === 'cancelled') return po.total;
  return po.payment.shortfall ? po.payment.shortfall : null;
}

/** The payment calendar runs from a due date: none yet (collection on delivery, before it) -> nothing to do. */
function noCalendarWithoutDueDate(po: PurchaseOrder): void {
  if (!po.payment.dueDate) throw new RuleViolation('the payment has no due date yet (it is collected on delivery)', 'no_due_date');
}

/**
 * When the buyer was asked to pay before delivery: an offline order when it was placed, a prepayment
 * PO when its proforma was issued; null while nothing was asked yet.
 */
export function paymentAskedAt(po: PurchaseOrder): string | null {
  if (po.paymentMethod === 'offline') return po.createdAt;
  if (po.delivery === 'prepayment') return po.documents.find((doc) => doc.type === 'proforma')?.issuedAt ?? null;
  return null;
}

/** A PO cancelled after money arrived owes it back: recorded on the PO, returned as the amount. */
function owedBack(po: PurchaseOrder): number {
  if (po.payment.amountPaid > 0) po.payment.refundDue = po.payment.amountPaid;
  return po.payment.amountPaid;
}

export function outstanding(po: PurchaseOrder): number {
  return po.payment.amountDue - po.payment.amountPaid;
}

/** Statuses in which goods go out: the order is confirmed (or delivered first and paid on delivery). */
export const fulfilmentStatuses: ReadonlySet<Status> = new Set(['ordered', 'deferred', 'overdue']);
/** Statuses in which payment must arrive before anything is delivered. */
export const prepaymentStatuses: ReadonlySet<Status> = new Set(['awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed']);

/**
 * The lifecycle's table of moves: from which statuses each action may be taken, and by whom.
 * Anything not listed is refused with a TransitionError (HTTP 409) and changes nothing.
 */
const allowedFrom: Record<Action['type'], Partial<Record<Actor, readonly Status[]>>> = {
  approve: { reviewer: ['awaiting_review'], finance: ['awaiting_review'] },
  reject: { reviewer: ['awaiting_review'], finance: ['awaiting_review'] },
  expire_review: { system: ['awaiting_review'] },
  remind_review: { system: ['awaiting_review'] },
  submit_payment: { checkout: ['awaiting_payment', 'payment_rejected'] },
  verify_payment: { finance: ['payment_submitted'] },
  dispute: { checkout: ['payment_submitted', 'payment_rejected'], finance: ['payment_submitted', 'payment_rejected'] },
  resolve_dispute: { finance: ['disputed'] },
  record_payment: { finance: ['ordered', 'overdue', 'deferred', 'awaiting_payment', 'payment_submitted', 'payment_rejected'] },
  // The buyer may cancel before release or payment; finance until the PO is completed.
  cancel: {
    checkout: ['awaiting_review', 'awaiting_payment', 'payment_rejected'],
    finance: ['awaiting_review', 'awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed', 'ordered', 'deferred', 'overdue'],
  },
  convert_to_purchase_order: { finance: ['awaiting_payment'] },
  update_shipping: { finance: ['ordered', 'deferred', 'overdue', 'completed'] },
  // The payment calendar: on net terms from the release; collected on delivery (deferred) once everything is delivered.
  mark_overdue: { system: ['ordered', 'deferred', 'overdue'] },
  remind: { system: ['ordered', 'deferred', 'overdue'] },
  auto_cancel: { system: ['ordered', 'deferred', 'overdue'] },
  // An offline order or a proforma the buyer has not paid: reminded, then cancelled.
  remind_unpaid: { system: ['awaiting_payment', 'payment_rejected'] },
  cancel_unpaid: { system: ['awaiting_payment', 'payment_rejected'] },
  deliver_digital: { system: ['ordered', 'deferred', 'overdue'] },
  // The buyer's signed PO may arrive any time before the order ends.
  attach: {
    checkout: ['awaiting_review', 'awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed', 'ordered', 'deferred', 'overdue'],
    finance: ['awaiting_review', 'awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed', 'ordered', 'deferred', 'overdue'],
  },
  issue_document: { system: ['ordered', 'deferred', 'overdue', 'awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed', 'completed', 'cancelled'] },
  // Any step may fail, in any status; finance resumes it from there.
  flag_attention: { system: statuses },
  resume: { finance: statuses },
  email_failed: { system: statuses },
};

export function canApply(po: PurchaseOrder, type: Action['type'], actor: Actor): boolean {
  if (type === 'resume' && !po.attention) return false;
  // The buyer may cancel only before any money arrived; after that, finance cancels (and refunds).
  if (type === 'cancel' && actor === 'checkout' && po.payment.amountPaid > 0) return false;
  return allowedFrom[type][actor]?.includes(po.status) ?? false;
}

/** The actions this role may take on the PO as it is now, from the same table (the console's buttons). */
export function allowedActions(po: PurchaseOrder, actor: Actor): Action['type'][] {
  return (Object.keys(allowedFrom) as Action['type'][]).filter((type) => canApply(po, type, actor));
}

/**
 * A PO lives in one DynamoDB item (at most 400 KB) for its whole life: its lines, a copy of the
 * physical ones in shipping orders, every licence key, and every history entry. These bounds keep it
 * there: at placement, at most `digitalSeats` keys and `orderBytes` of order (so a delivered PO takes
 * under about 200 KB); later, people's changes stop at `personBytes` (422, rule "po_full"),
 * which leaves the workflow's own steps (documents, reminders) room to finish. See docs/api.md.
 */
export const sizeLimits = { digitalSeats: 2_000, orderBytes: 64 * 1024, personBytes: 300 * 1024 } as const;

const encoder = new TextEncoder();
export const utf8Bytes = (value: unknown): number => encoder.encode(JSON.stringify(value)).length;

export function apply(po: PurchaseOrder, action: Action, ctx: ActionContext): PurchaseOrder {
  const next = applyUnbounded(po, action, ctx);
  if (next !== po && ctx.actor !== 'system' && utf8Bytes(next) > sizeLimits.personBytes) {
    throw new RuleViolation(
      `this purchase order is full (${Math.ceil(utf8Bytes(next) / 1024)} KB of history and data): record the rest outside it, or cancel it and place a new one`,
      'po_full',
    );
  }
  return next;
}

function applyUnbounded(po: PurchaseOrder, action: Action, ctx: ActionContext): PurchaseOrder {
  if (!canApply(po, action.type, ctx.actor)) {
    if (action.type === 'resume' && !po.attention) throw new TransitionError('resume', po.status, 'the purchase order does not need attention: its workflow is running');
    if (action.type === 'cancel' && ctx.actor === 'checkout' && po.payment.amountPaid > 0 && allowedFrom.cancel.checkout?.includes(po.status)) {
      throw new TransitionError('cancel', po.status, 'money has arrived for this purchase order: only finance may cancel it now (and refund what was paid)');
    }
    if (Object.values(allowedFrom[action.type]).some((from) => from?.includes(po.status))) {
      throw new TransitionError(action.type, po.status, `the ${ctx.actor} role may not ${action.type.replace(/_/g, ' ')} a purchase order that is ${po.status.replace(/_/g, ' ')}`);
    }
    throw new TransitionError(action.type, po.status);
  }
  const at = ctx.at.toISOString();
  const next = structuredClone(po);
  let change: Change;
  const paymentAmount = (amount: number) => {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new RuleViolation('a payment must be a positive amount in minor units', 'payment_amount');
    const remaining = outstanding(po);
    if (amount > remaining) {
      throw new RuleViolation(`payment of ${amount} exceeds the amount outstanding (${remaining})`, 'overpayment');
    }
  };
  const credit = (amount: number, reference: string) => {
    next.payment.records.push({ reference, amount, at, actor: ctx.actor });
    next.payment.amountPaid = add(next.payment.amountPaid, amount);
    next.payment.pending = null;
    if (next.payment.amountPaid === next.payment.amountDue) next.payment.status = 'paid';
  };

  switch (action.type) {
    case 'approve': {
      const by = ctx.by ?? whoFor(ctx.actor);
      if (po.review.approvals.some((approval) => identityOf(approval.by) === identityOf(by))) {
        throw new TransitionError('approve', po.status, `${describeWho(by)} has already approved this purchase order; it needs another approver`);
      }
      next.review.approvals.push({ by, at, comment: action.comment ?? null });
      const approvals = next.review.approvals.length;
      change = { type: 'approve', data: { comment: action.comment ?? null, approvals, approvalsRequired: po.review.approvalsRequired } };
      if (approvals < po.review.approvalsRequired) break; // stays awaiting review until enough people approve
      next.review = decision(next.review, 'approved', ctx, action.comment);
      if (po.paymentMethod === 'deferred') {
        // Held by credit control: released, it is delivered first and collected on delivery, as placed.
        next.status = 'deferred';
        next.payment.status = 'unpaid';
      } else if (po.delivery === 'prepayment') {
        next.status = 'awaiting_payment';
        next.payment.status = 'unpaid';
      } else {
        next.status = 'ordered';
        next.payment = { ...next.payment, status: 'unpaid', dueDate: dueDateFrom(ctx.at, po.paymentTermsDays) };
      }
      break;
    }
    case 'reject':
      next.review = decision(po.review, 'rejected', ctx, action.comment);
      next.status = 'rejected';
      change = { type: 'reject', data: { comment: action.comment ?? null } };
      break;
    case 'remind_review':
      if (po.review.reminded) return po;
      next.review.reminded = true;
      change = { type: 'remind_review', data: { deadline: po.reviewDeadline } };
      break;
    case 'expire_review':
      next.review = decision(po.review, 'expired', ctx);
      next.status = 'cancelled';
      change = { type: 'expire_review', data: { deadline: po.reviewDeadline } };
      break;
    case 'submit_payment':
      paymentAmount(action.amount);
      if (po.payment.records.some((record) => record.reference === action.reference)) {
        throw new RuleViolation(`payment ${action.reference} is already recorded`, 'duplicate_reference');
      }
      next.status = 'payment_submitted';
      next.payment.status = 'submitted';
      next.payment.pending = { amount: action.amount, reference: action.reference, at };
      change = { type: 'submit_payment', data: { amount: action.amount, reference: action.reference } };
      break;
    case 'verify_payment': {
      const pending = po.payment.pending!;
      if (action.decision === 'reject') {
        // The rejected report stays on record: a dispute about it may still settle on its amount.
        next.status = 'payment_rejected';
        next.payment.status = 'rejected';
      } else {
        credit(pending.amount, pending.reference);
        next.status = next.payment.status === 'paid' ? 'ordered' : 'awaiting_payment';
        if (next.payment.status !== 'paid') next.payment.status = 'unpaid';
      }
      change = {
        type: 'verify_payment',
        data: { decision: action.decision, amount: pending.amount, reference: pending.reference, reason: action.reason ?? null, outstanding: outstanding(next) },
      };
      break;
    }
    case 'dispute':
      next.status = 'disputed';
      change = { type: 'dispute', data: { reason: action.reason ?? null } };
      break;
    case 'resolve_dispute':
      if (action.outcome === 'cancel') {
        next.status = 'cancelled';
        owedBack(next);
      } else {
        // Settled as agreed: what the buyer reported paying is accepted and closes the amount due.
        const pending = po.payment.pending;
        if (pending && !po.payment.records.some((r) => r.reference === pending.reference)) credit(pending.amount, pending.reference);
        if (next.payment.amountPaid === 0) throw new RuleViolation('there is no reported payment to accept; cancel instead', 'nothing_to_accept');
        if (next.payment.amountPaid < po.total) next.payment.shortfall = po.total - next.payment.amountPaid;
        next.payment.amountDue = next.payment.amountPaid;
        next.payment.status = 'paid';
        next.status = 'ordered';
      }
      change = { type: 'resolve_dispute', data: { outcome: action.outcome, reason: action.reason ?? null } };
      break;
    case 'record_payment': {
      const recorded = po.payment.records.find((record) => record.reference === action.reference);
      if (recorded && recorded.amount !== action.amount) throw new ReferenceConflict(action.reference, recorded.amount);
      if (recorded) return po; // the same payment again: counted once
      paymentAmount(action.amount);
      credit(action.amount, action.reference);
      if (next.payment.status === 'paid' && (prepaymentStatuses.has(po.status) || po.status === 'overdue')) next.status = 'ordered';
      else if (prepaymentStatuses.has(po.status)) {
        next.status = 'awaiting_payment';
        next.payment.status = 'unpaid';
      }
      change = { type: 'record_payment', data: { amount: action.amount, reference: action.reference, outstanding: outstanding(next) } };
      break;
    }
    case 'cancel':
      next.status = 'cancelled';
      change = { type: 'cancel', data: { reason: action.reason ?? null, refund: owedBack(next) } };
      break;
    case 'convert_to_purchase_order':
      if (po.paymentMethod !== 'offline' || po.payment.amountPaid > 0) {
        throw new RuleViolation('only an unpaid order awaiting offline payment can become a purchase order', 'convert_offline_only');
      }
      checkOfflineAccess(po.customer, po.currency, po.total, action.rules);
      next.paymentMethod = 'purchase_order';
      next.delivery = action.delivery;
      next.paymentTermsDays = action.customerTerms?.[po.customer.id] ?? action.paymentTermsDays;
      next.reviewDeadline = new Date(ctx.at.getTime() + action.reviewTimeoutDays * 86_400_000).toISOString();
      next.review = openReview(approvalsRequired(action, po.currency, po.total), reminderAt(next.reviewDeadline, action.reviewReminderDays, ctx.at));
      next.status = 'awaiting_review';
      next.payment.status = 'not_due';
      next.payment.pending = null;
      change = { type: 'convert_to_purchase_order', data: { delivery: action.delivery } };
      break;
    case 'update_shipping': {
      const order = next.shippingOrders.find((so) => so.id === action.shippingOrderId);
      if (!order) throw new RuleViolation(`no shipping order ${action.shippingOrderId}`, 'shipping_order_unknown');
      const rank = { pending: 0, shipped: 1, delivered: 2 } as const;
      if (rank[action.status] <= rank[order.status]) {
        if (order.status === action.status) return po;
        throw new TransitionError(`mark ${action.status}`, `shipping order ${order.status}`);
      }
      order.status = action.status;
      change = { type: 'update_shipping', data: { shippingOrderId: order.id, seller: order.seller, status: action.status } };
      break;
    }
    case 'mark_overdue':
      if (po.status === 'overdue' || po.payment.status === 'paid') return po;
      noCalendarWithoutDueDate(po);
      next.status = 'overdue';
      next.payment.status = 'overdue';
      next.payment.calendarDone = [...po.payment.calendarDone, 'due'];
      change = { type: 'mark_overdue', data: { dueDate: po.payment.dueDate, outstanding: outstanding(po) } };
      break;
    case 'remind':
      if (po.payment.calendarDone.includes(action.event) || po.payment.status === 'paid') return po;
      noCalendarWithoutDueDate(po);
      next.payment.calendarDone = [...po.payment.calendarDone, action.event];
      change = {
        type: 'remind',
        data: {
          reminder: action.event,
          when: parseEventKey(action.event).kind === 'reminder_before' ? 'before_due' : 'after_due',
          days: parseEventKey(action.event).days,
          dueDate: po.payment.dueDate,
          outstanding: outstanding(po),
        },
      };
      break;
    case 'auto_cancel':
      if (po.payment.status === 'paid') return po;
      noCalendarWithoutDueDate(po);
      next.status = 'cancelled';
      owedBack(next);
      next.payment.calendarDone = [...po.payment.calendarDone, action.event];
      change = {
        type: 'auto_cancel',
        data: { reminder: action.event, daysAfterDue: parseEventKey(action.event).days, dueDate: po.payment.dueDate, outstanding: outstanding(po) },
      };
      break;
    case 'remind_unpaid':
    case 'cancel_unpaid': {
      if (po.payment.calendarDone.includes(action.event) || po.payment.status === 'paid') return po;
      const asked = paymentAskedAt(po);
      const event = asked && po.unpaidCalendar ? unpaidEvents(asked, po.unpaidCalendar).find((e) => e.key === action.event) : undefined;
      if (!event) throw new RuleViolation(`no unpaid-payment event ${action.event} on this purchase order`, 'unknown_event');
      next.payment.calendarDone = [...po.payment.calendarDone, action.event];
      if (action.type === 'cancel_unpaid') {
        next.status = 'cancelled';
        change = { type: 'cancel_unpaid', data: { days: event.days, since: asked!, outstanding: outstanding(po), refund: owedBack(next) } };
      } else {
        change = { type: 'remind_unpaid', data: { reminder: event.key, days: event.days, since: asked!, outstanding: outstanding(po) } };
      }
      break;
    }
    case 'deliver_digital':
      if (po.licences !== null) return po;
      next.licences = action.licences;
      change = { type: 'deliver_digital', data: { keys: action.licences.reduce((n, licence) => n + licence.keys.length, 0) } };
      break;
    case 'attach':
      if ((po.attachments ?? []).some((attachment) => attachment.id === action.attachment.id)) return po;
      next.attachments = [...(po.attachments ?? []), action.attachment];
      change = { type: 'attach', data: { attachmentId: action.attachment.id, contentType: action.attachment.contentType, size: action.attachment.size, filename: action.attachment.filename } };
      break;
    case 'flag_attention':
      if (po.attention?.step === action.step && po.attention.reason === action.reason) return po;
      next.attention = { step: action.step, reason: action.reason, since: at };
      change = { type: 'flag_attention', data: { step: action.step, reason: action.reason } };
      break;
    case 'resume':
      next.attention = null;
      change = { type: 'resume', data: { step: po.attention!.step, reason: po.attention!.reason } };
      break;
    case 'email_failed':
      if (po.history.some((e) => e.type === 'email_failed' && e.data.key === action.key)) return po;
      change = { type: 'email_failed', data: { key: action.key, notice: action.notice, audience: action.audience, to: action.to, reason: action.reason } };
      break;
    case 'issue_document':
      if (po.documents.some((doc) => doc.id === action.document.id)) return po;
      next.documents.push(action.document);
      change = {
        type: 'issue_document',
        data: { documentId: action.document.id, documentType: action.document.type, number: action.document.number, total: action.document.total },
      };
      break;
  }

  if (fulfilmentStatuses.has(next.status) && next.shippingOrders.length === 0) next.shippingOrders = shippingOrdersFor(next);
  if (next.payment.status === 'paid' && fulfilmentStatuses.has(next.status) && isFullyDelivered(next)) next.status = 'completed';
  if (next.status === 'deferred' && next.payment.dueDate === null && isFullyDelivered(next)) collectionDue(next, at);
  // A change that moves the PO supersedes a failed step: the workflow takes the new path.
  if (next.status !== po.status && next.attention) next.attention = null;
  next.version = po.version + 1;
  next.updatedAt = at;
  next.history.push(entry(change, { at, from: po.status, to: next.status, actor: ctx.actor, by: ctx.by ?? whoFor(ctx.actor) }, po.currency));
  return next;
}

/** One shipping order per seller for the physical lines (Shopbay: a PO holds one or more SOs). */
export function shippingOrdersFor(po: Pick<PurchaseOrder, 'lines'>): ShippingOrder[] {
  const bySeller = new Map<string, PoLine[]>();
  for (const line of po.lines.filter((l) => l.fulfilment === 'physical')) {
    const seller = line.seller ?? 'default';
    bySeller.set(seller, [...(bySeller.get(seller) ?? []), line]);
  }
  return [...bySeller.entries()].map(([seller, lines], i) => ({
    id: `SO-${i + 1}`,
    seller,
    status: 'pending' as const,
    lines: lines.map((line) => ({ sku: line.sku, description: line.description, quantity: line.quantity })),
  }));
}

function decision(review: Review, outcome: Review['decision'], ctx: ActionContext, comment?: string): Review {
  return { ...review, required: true, decision: outcome, decidedBy: ctx.actor, decidedAt: ctx.at.toISOString(), comment: comment ?? null };
}

function openReview(approvalsRequired: number, reminderAt: string | null, required = true): Review {
  return { required, decision: null, decidedBy: null, decidedAt: null, comment: null, approvalsRequired, approvals: [], reminderAt, reminded: false };
}

/** The reviewers' reminder, `days` before the deadline; none when that moment has passed already. */
function reminderAt(deadline: string, days: number | null, now: Date): string | null {
  if (days === null) return null;
  const at = Date.parse(deadline) - days * 86_400_000;
  return at > now.getTime() ? new Date(at).toISOString() : null;
}

function describeWho(who: Who): string {
  if (who.type === 'person') return who.email;
  if (who.type === 'link') return who.email ?? 'this review link';
  return who.type === 'key' ? `the ${who.name} key` : 'the workflow';
}

/** How many distinct approvers a PO of this total needs: the highest rule it reaches, else one. */
export function approvalsRequired(policy: Pick<Policy, 'approvalRules'>, currency: string, total: number): number {
  return policy.approvalRules.reduce((needed, rule) => {
    const threshold = rule.minTotal[currency];
    return threshold !== undefined && total >= threshold ? Math.max(needed, rule.approvals) : needed;
  }, 1);
}

export interface Placement {
  status: Status;
  reviewRequired: boolean;
  delivery: 'instant' | 'prepayment' | null;
}

/** A PO accepted without review: delivered now on net terms, or waiting for its proforma to be paid. */
const released = (delivery: 'instant' | 'prepayment'): Status => (delivery === 'prepayment' ? 'awaiting_payment' : 'ordered');

/** Which route a new order takes, per the payment method, the channel and the seller's policy. */
export function decidePlacement(order: OrderRequest, total: number, policy: Policy): Placement {
  const violation = (message: string, rule: string) => new RuleViolation(message, rule);
  // Nothing to pay, nothing to invoice: a free order is not a purchase order.
  if (total === 0) throw violation('an order needs a total above zero', 'zero_total');
  const seats = order.lines.filter((line) => line.fulfilment === 'digital').reduce((n, line) => n + line.quantity, 0);
  if (seats > sizeLimits.digitalSeats) {
    throw violation(`a purchase order delivers at most ${sizeLimits.digitalSeats} licence keys (this one asks for ${seats}); split the order`, 'too_many_licences');
  }
  const bytes = utf8Bytes(order);
  if (bytes > sizeLimits.orderBytes) {
    throw violation(`the order's lines and addresses take ${Math.ceil(bytes / 1024)} KB; a purchase order holds at most ${sizeLimits.orderBytes / 1024} KB of them`, 'order_too_large');
  }
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
        const trusted = isTrusted(policy, order.customer.id);
        const reviewRequired = policy.reviewByDefault && !trusted;
        return { status: reviewRequired ? 'awaiting_review' : released(delivery), reviewRequired, delivery };
      }
      if (order.channel === 'offline') {
        checkOfflineAccess(order.customer, order.currency, total, policy);
        return { status: 'awaiting_review', reviewRequired: true, delivery };
      }
      checkPartnerAccess(order.customer.partnerId, order.currency, total, policy);
      return { status: released(delivery), reviewRequired: false, delivery };
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

/** The rules an offline PO (placed by letter, or converted from an order awaiting offline payment) must meet. */
export type OfflineRules = Pick<Policy, 'offline' | 'partners'>;

/**
 * Whether this customer may pay this total by offline PO: a registered partner by the partner's own
 * settings (PO enabled, a limit above zero in this currency, the total within it); anyone else by the
 * offline rules (an eligible customer type, the minimum and maximum in this currency).
 */
export function checkOfflineAccess(customer: Customer, currency: string, total: number, rules: OfflineRules): void {
  if (customer.partnerId !== undefined) return checkPartnerAccess(customer.partnerId, currency, total, rules);
  if (!rules.offline.eligibleCustomerTypes.includes(customer.type)) {
    throw new RuleViolation(`customers of type ${customer.type} may not pay by offline purchase order`, 'offline_customer_type');
  }
  const minimum = rules.offline.minimum[currency];
  const maximum = rules.offline.maximum[currency];
  if (minimum === undefined && maximum === undefined) {
    throw new RuleViolation(`offline purchase orders are not accepted in ${currency}`, 'offline_currency');
  }
  if (minimum !== undefined && total < minimum) {
    throw new RuleViolation(`an offline purchase order needs a total of at least ${minimum} (${currency} minor units)`, 'offline_minimum');
  }
  if (maximum !== undefined && total > maximum) {
    throw new RuleViolation(`an offline purchase order may total at most ${maximum} (${currency} minor units)`, 'offline_maximum');
  }
}

/** A partner's PO option: enabled, a limit above zero (zero means no access), in this currency, and the total within it. */
function checkPartnerAccess(partnerId: string | undefined, currency: string, total: number, rules: Pick<Policy, 'partners'>): void {
  const partner = partnerId === undefined ? undefined : rules.partners[partnerId];
  if (!partner || !partner.poEnabled) throw new RuleViolation('the partner may not pay by purchase order', 'partner_po_disabled');
  if (partner.limit === 0) throw new RuleViolation('the partner has a purchase-order limit of zero', 'partner_limit_zero');
  if (partner.currency !== currency) {
    throw new RuleViolation(`the partner's purchase-order limit is in ${partner.currency}, not ${currency}`, 'partner_currency');
  }
  if (total > partner.limit) throw new RuleViolation(`the order exceeds the partner's purchase-order limit of ${partner.limit}`, 'partner_limit');
}

export interface NewPurchaseOrder {
  id: string;
  reference: string;
  order: OrderRequest;
  policy: Policy;
  actor: Actor;
  by?: Who;
  at: Date;
  /** Credit control's holds on this customer (creditHolds): a PO on credit then waits for review. */
  holds?: HoldReason[];
}

/**
 * Which orders credit control may hold for review: those that extend credit, purchase orders and
 * collection on delivery. Orders paid online or prepaid offline owe nothing to hold.
 */
export const holdsApplyTo = (order: Pick<OrderRequest, 'paymentMethod'>) => order.paymentMethod === 'purchase_order' || order.paymentMethod === 'deferred';

export function placePurchaseOrder({ id, reference, order, policy, actor, by, at, holds = [] }: NewPurchaseOrder): PurchaseOrder {
  const { lines, subtotal, tax, total, taxIds } = priceOrder(order, policy);
  const decided = decidePlacement(order, total, policy);
  const held = holdsApplyTo(order) && holds.length > 0;
  const placement: Placement = held ? { ...decided, status: 'awaiting_review', reviewRequired: true } : decided;
  const when = at.toISOString();
  const reviewDeadline = placement.reviewRequired ? new Date(at.getTime() + policy.reviewTimeoutDays * 86_400_000).toISOString() : null;
  const online = order.paymentMethod === 'online' && order.onlinePayment;
  const payment: Payment = {
    status: placement.status === 'awaiting_review' ? 'not_due' : 'unpaid',
    amountDue: total,
    amountPaid: 0,
    dueDate: order.paymentMethod === 'purchase_order' && placement.status === 'ordered' ? dueDateFrom(at, termsFor(policy, order.customer.id)) : null,
    records: [],
    pending: null,
    calendarDone: [],
  };
  if (online) {
    payment.status = 'paid';
    payment.amountPaid = online.amount;
    payment.records.push({ reference: online.reference, amount: online.amount, at: when, actor });
  }
  const po: PurchaseOrder = {
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
    subtotal,
    tax,
    taxIds,
    total,
    billingAddress: order.billingAddress,
    // Physical lines without a shipping address ship to the billing address (the PO shows where).
    shippingAddress: order.shippingAddress ?? (order.lines.some((line) => line.fulfilment === 'physical') ? order.billingAddress : null),
    paymentTermsDays: termsFor(policy, order.customer.id),
    calendar: policy.reminders,
    unpaidCalendar: { reminderDays: policy.offline.reminderDays, cancelAfterDays: policy.offline.cancelAfterDays },
    reviewDeadline,
    review: {
      ...openReview(approvalsRequired(policy, order.currency, total), reviewDeadline && reminderAt(reviewDeadline, policy.reviewReminderDays, at), placement.reviewRequired),
      ...(held ? { reasons: holds } : {}),
    },
    payment,
    documents: [],
    shippingOrders: [],
    licences: null,
    attachments: [],
    history: [entry({ type: 'placed', data: { channel: order.channel, paymentMethod: order.paymentMethod, total, ...(held ? { holds } : {}) } }, { at: when, from: null, to: placement.status, actor, by: by ?? whoFor(actor) }, order.currency)],
  };
  if (fulfilmentStatuses.has(po.status)) po.shippingOrders = shippingOrdersFor(po);
  return po;
}
