import type { XmlFormat } from '../../../contract/einvoice.js';
import type { Address, Customer, OrderLine, OrderRequest } from '../../../contract/order-request.js';
import type { Policy } from '../../../contract/policy.js';
import type { Actor, DocumentType, HoldReason, PaymentStatus, Status, Who } from '../../../contract/purchase-order.js';
import type { AttachmentType } from '../attachments.js';
import type { CalendarPolicy, UnpaidCalendar, UnpaidClock } from '../calendar.js';
import type { HistoryEntry } from '../history.js';
import type { TaxEntry, Taxation } from '../tax.js';

/**
 * The purchase order as every part of the product reads it: its fields, the actions that change it,
 * and the facts that follow from it (what is outstanding, whether it is delivered, what a credit
 * note would credit). How it changes is apply.ts; which moves are allowed, lifecycle.ts.
 */

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
  /** The XML an invoice or credit note is offered in besides its PDF (none for a proforma, or before e-invoices). */
  formats?: XmlFormat[];
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
  /** The net amount: the sum of the lines. */
  subtotal: number;
  /** Tax per rate (empty without a tax policy). */
  tax: TaxEntry[];
  /** The tax ids the documents print. */
  taxIds: Taxation['taxIds'];
  /** What the buyer pays: the subtotal plus the tax. */
  total: number;
  billingAddress: Address;
  shippingAddress: Address | null;
  paymentTermsDays: number;
  /** Reminders and automatic cancellation of an unpaid invoice, as the policy said at placement. */
  calendar: CalendarPolicy;
  /** Reminders and cancellation of an unpaid offline order or proforma, as the policy said at placement. */
  unpaidCalendar: UnpaidCalendar;
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
   * workflow waits for finance to resume it; null while it runs.
   */
  attention: Attention | null;
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
  /** A day before the deadline finance is told (and the policy's escalation reviewer): when, and whether it was (absent on POs from before). */
  escalateAt?: string | null;
  escalated?: boolean;
  /** The buyer must confirm the PO on company letterhead (a cart PO reviewed by the policy, a converted order); absent otherwise. */
  confirmation?: 'letterhead';
}

/** The rules an offline PO (placed by letter, or converted from an order awaiting offline payment) must meet. */
export type OfflineRules = Pick<Policy, 'offline' | 'partners'>;

export type Action =
  | { type: 'approve'; comment?: string }
  | { type: 'reject'; comment?: string }
  | { type: 'expire_review' }
  | { type: 'remind_review' }
  | { type: 'escalate_review' }
  | { type: 'remind_verify' }
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
  | { type: 'send_einvoice'; number: string; receiver: string; outcome: 'sent' | 'refused'; reason: string | null }
  | { type: 'email_failed'; key: string; notice: string; audience: 'buyer' | 'finance' | 'reviewers' | 'escalation'; to: string[]; reason: string };

export interface ActionContext {
  actor: Actor;
  at: Date;
  /** Who acted; the role's key (or the workflow) when not given. */
  by?: Who;
}

/**
 * Since when the PO waits for finance, or null: a step of its workflow failed for good, or its review
 * closes tomorrow undecided (escalated). The console's "Needs attention" queue lists these.
 */
export function needsFinanceSince(po: PurchaseOrder): string | null {
  if (po.attention) return po.attention.since;
  return po.status === 'awaiting_review' && po.review.escalated ? (po.review.escalateAt ?? po.updatedAt) : null;
}

/** What the back office's search matches (reference, buyer's PO number, company, customer id, email), in lower case. */
export function searchTextOf(po: PurchaseOrder): string {
  return [po.reference, po.poNumber, po.customer.company, po.customer.id, po.customer.email].filter(Boolean).join('\n').toLowerCase();
}

export function hasDigitalLines(po: Pick<PurchaseOrder, 'lines'>): boolean {
  return po.lines.some((line) => line.fulfilment === 'digital');
}

export function hasPhysicalLines(po: Pick<PurchaseOrder, 'lines'>): boolean {
  return po.lines.some((line) => line.fulfilment === 'physical');
}

export function isFullyDelivered(po: PurchaseOrder): boolean {
  const digitalDone = !hasDigitalLines(po) || po.licences !== null;
  return digitalDone && po.shippingOrders.every((order) => order.status === 'delivered');
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

/**
 * When the buyer was asked to pay before delivery: an offline order when it was placed, a prepayment
 * PO when its proforma was issued; null while nothing was asked yet.
 */
export function paymentAskedAt(po: PurchaseOrder): string | null {
  if (po.paymentMethod === 'offline') return po.createdAt;
  if (po.delivery === 'prepayment') return po.documents.find((doc) => doc.type === 'proforma')?.issuedAt ?? null;
  return null;
}

/** Statuses in which a payment the buyer reported waits for finance: the buyer's time to pay stands still. */
const verifying: readonly string[] = ['payment_submitted', 'disputed'];

/**
 * The buyer's clock of a payment asked before delivery, read from the history: when they were asked,
 * how long reported payments waited for finance since then, and the last rejection of one.
 */
export function unpaidClock(po: PurchaseOrder): UnpaidClock | null {
  const askedAt = paymentAskedAt(po);
  if (!askedAt) return null;
  let pausedMs = 0;
  let pausedSince: string | null = null;
  let rejectedAt: string | null = null;
  for (const entry of po.history) {
    if (entry.at < askedAt) continue;
    const into = verifying.includes(entry.to ?? '');
    if (into && pausedSince === null) pausedSince = entry.at;
    if (!into && pausedSince !== null) {
      pausedMs += Date.parse(entry.at) - Date.parse(pausedSince);
      pausedSince = null;
    }
    if (entry.type === 'verify_payment' && entry.data.decision === 'reject') rejectedAt = entry.at;
  }
  return { askedAt, pausedMs, rejectedAt };
}

/** What is still to be paid of a PO. */
export function outstanding(po: { payment: Pick<Payment, 'amountDue' | 'amountPaid'> }): number {
  return po.payment.amountDue - po.payment.amountPaid;
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
