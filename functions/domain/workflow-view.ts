import { pendingEvents } from './calendar.js';
import { fulfilmentStatuses, hasDigitalLines, type PurchaseOrder, type Status } from './purchase-order.js';

/**
 * What the workflow needs to know of a PO to choose its next step, computed in one place. The PO in
 * the table is the truth: every task returns this view, and every wait ends as soon as the PO's
 * version moves past the version the workflow last saw, so no change can slip between a wait and
 * the action that ends it.
 */
export interface WorkflowView {
  status: Status;
  version: number;
  /** The invoice is issued and the digital goods are delivered (shipping orders exist). */
  fulfilled: boolean;
  /** Waiting for prepayment and no proforma issued yet. */
  needsProforma: boolean;
  /** Cancelled after an invoice was issued, and no credit note yet. */
  needsCreditNote: boolean;
  /** How long the next wait may last before its timer acts (review expiry, due date), in seconds. */
  waitSeconds: number;
}

const YEAR = 365 * 86_400;

export function workflowView(po: PurchaseOrder, now: Date): WorkflowView {
  const has = (type: string) => po.documents.some((doc) => doc.type === type);
  const until = (iso: string) => Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 1000));
  let waitSeconds = YEAR;
  if (po.status === 'awaiting_review' && po.reviewDeadline) waitSeconds = until(po.reviewDeadline);
  else if ((po.status === 'ordered' || po.status === 'overdue') && po.payment.dueDate && po.payment.status !== 'paid') {
    // Until the next event of the payment calendar: a reminder, the due date, an automatic cancellation.
    const { due, next } = pendingEvents(po.payment.dueDate, po.calendar, po.payment.calendarDone, now);
    waitSeconds = due.length ? 1 : next ? until(next.at) : YEAR;
  }
  return {
    status: po.status,
    version: po.version,
    fulfilled: !fulfilmentStatuses.has(po.status) || (has('invoice') && (!hasDigitalLines(po) || po.licences !== null)),
    needsProforma: po.delivery === 'prepayment' && po.status === 'awaiting_payment' && !has('proforma'),
    needsCreditNote: po.status === 'cancelled' && has('invoice') && !has('credit_note'),
    waitSeconds,
  };
}
