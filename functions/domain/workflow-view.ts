import type { ExecutionState, NextStep, WorkflowView } from '../../contract/execution.js';
import { pendingEvents, pendingUnpaid, verifyReminderAt, verifyReminderKey } from './calendar.js';
import { creditDue, fulfilmentStatuses, hasDigitalLines, prepaymentStatuses, unpaidClock, type PurchaseOrder } from './purchase-order/index.js';

/**
 * What the workflow needs to know of a PO to choose its next step, computed in one place. The PO in
 * the table is the truth: every task returns this view, and every wait ends as soon as the PO's
 * version moves past the version the workflow last saw, so no change can slip between a wait and
 * the action that ends it.
 */

const hasDocument = (po: PurchaseOrder, type: string) => po.documents.some((doc) => doc.type === type);

/** The step that follows from the PO as it is now. */
export function nextStep(po: PurchaseOrder): NextStep {
  if (po.attention) return 'attention';
  if (po.status === 'awaiting_review') return 'review';
  if (prepaymentStatuses.has(po.status)) {
    return po.delivery === 'prepayment' && po.status === 'awaiting_payment' && !hasDocument(po, 'proforma') ? 'proforma' : 'await_prepayment';
  }
  // An invoiced PO that was cancelled, or settled for less after a dispute, is credited first.
  if (creditDue(po) !== null) return 'credit_note';
  if (fulfilmentStatuses.has(po.status)) {
    return hasDocument(po, 'invoice') && (!hasDigitalLines(po) || po.licences !== null) ? 'await_payment' : 'fulfil';
  }
  if (po.status === 'cancelled') return 'cancelled';
  return po.status === 'completed' ? 'completed' : 'rejected';
}

const YEAR = 365 * 86_400;

export function workflowView(po: PurchaseOrder, now: Date): WorkflowView {
  const until = (iso: string) => Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 1000));
  let waitSeconds = YEAR;
  if (po.status === 'awaiting_review' && po.reviewDeadline) {
    // Until the reviewers' reminder or finance's escalation, whichever is still to come first, else the deadline.
    const timers = [po.review.reminded ? null : po.review.reminderAt, po.review.escalated ? null : po.review.escalateAt, po.reviewDeadline];
    waitSeconds = until(timers.filter((at): at is string => typeof at === 'string').sort()[0]!);
  } else if (po.status === 'payment_submitted' && po.payment.pending) {
    // A reported payment waits for finance: until finance's reminder, if it is still to come.
    const remindAt = verifyReminderAt(po.payment.pending.at, po.unpaidCalendar);
    waitSeconds = remindAt && !po.payment.calendarDone.includes(verifyReminderKey(po.payment.pending.at)) ? until(remindAt) : YEAR;
  }
  else if ((po.status === 'ordered' || po.status === 'deferred' || po.status === 'overdue') && po.payment.dueDate && po.payment.status !== 'paid') {
    // Until the next event of the payment calendar: a reminder, the due date, an automatic cancellation.
    const { due, next } = pendingEvents(po.payment.dueDate, po.calendar, po.payment.calendarDone, now);
    waitSeconds = due.length ? 1 : next ? until(next.at) : YEAR;
  } else if ((po.status === 'awaiting_payment' || po.status === 'payment_rejected') && po.payment.status !== 'paid') {
    // An offline order or a proforma not paid yet: until its next reminder or its cancellation.
    const clock = unpaidClock(po);
    const { due, next } = clock ? pendingUnpaid(clock, po.unpaidCalendar, po.payment.calendarDone, now) : { due: [], next: null };
    waitSeconds = due.length ? 1 : next ? until(next.at) : YEAR;
  }
  return { status: po.status, version: po.version, next: nextStep(po), waitSeconds };
}

/** The execution's first state: the PO's view, nothing told yet. */
export function executionInput(po: PurchaseOrder, now: Date): ExecutionState {
  return { poId: po.id, po: workflowView(po, now), notifiedVersion: 0 };
}
