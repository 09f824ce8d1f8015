import type { Who } from '../../../contract/purchase-order.js';
import { calendarEvents, parseEventKey, unpaidEvents, verifyReminderAt, verifyReminderKey } from '../calendar.js';
import { ReferenceConflict, RuleViolation, TransitionError } from '../errors.js';
import { type Change, entry, samePerson, whoFor } from '../history.js';
import { add } from '../money.js';
import { allowedFrom, canApply, fulfilmentStatuses, prepaymentStatuses } from './lifecycle.js';
import { sizeLimits, utf8Bytes } from './limits.js';
import { type Action, type ActionContext, type PurchaseOrder, hasPhysicalLines, isFullyDelivered, outstanding, shippingOrdersFor, unpaidClock } from './model.js';
import { checkOfflineAccess } from './placement.js';
import { dueDateFrom } from './pricing.js';
import { approvalsRequired, decision, openReview, reviewTimers } from './review.js';

/**
 * `apply` is the only way a PO changes: it returns a new PO with one more history entry, or throws
 * TransitionError (not allowed in this status) or RuleViolation (allowed, but breaks a rule).
 */

/**
 * Payment collected on delivery (deferred): once everything is delivered and it has not been
 * collected, it falls due, and the usual calendar follows (the PO turns overdue at the end of the due
 * date, then the reminders after it). Goods handed over at the door are paid there: due that day.
 * Licence keys sent by email have no door: they are due on the customer's terms counted from
 * delivery. Reminders before a due date that is already here are skipped, not sent late.
 */
function collectionDue(po: PurchaseOrder, at: string): void {
  const dueDate = hasPhysicalLines(po) ? at.slice(0, 10) : dueDateFrom(new Date(at), po.paymentTermsDays);
  po.payment.dueDate = dueDate;
  const passed = calendarEvents(dueDate, po.calendar).filter((event) => event.kind === 'reminder_before' && event.at <= at);
  po.payment.calendarDone = [...po.payment.calendarDone, ...passed.map((event) => event.key)];
}

/** The payment calendar runs from a due date: none yet (collection on delivery, before it) -> nothing to do. */
function noCalendarWithoutDueDate(po: PurchaseOrder): void {
  if (!po.payment.dueDate) throw new RuleViolation('the payment has no due date yet (it is collected on delivery)', 'no_due_date');
}

/** A PO cancelled after money arrived owes it back: recorded on the PO, returned as the amount. */
function owedBack(po: PurchaseOrder): number {
  if (po.payment.amountPaid > 0) po.payment.refundDue = po.payment.amountPaid;
  return po.payment.amountPaid;
}

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
    // Paid in full; or part of it (an overdue invoice stays overdue until it is paid in full).
    if (next.payment.amountPaid === next.payment.amountDue) next.payment.status = 'paid';
    else if (next.payment.status !== 'overdue') next.payment.status = 'partially_paid';
  };

  switch (action.type) {
    case 'approve': {
      const by = ctx.by ?? whoFor(ctx.actor);
      if (po.review.approvals.some((approval) => samePerson(approval.by, by))) {
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
    case 'escalate_review':
      if (po.review.escalated) return po;
      next.review.escalated = true;
      // The reminder, if still to come, is overtaken: everyone hears now.
      next.review.reminded = true;
      change = { type: 'escalate_review', data: { deadline: po.reviewDeadline } };
      break;
    case 'remind_verify': {
      const pending = po.payment.pending!;
      const key = verifyReminderKey(pending.at);
      if (po.payment.calendarDone.includes(key) || verifyReminderAt(pending.at, po.unpaidCalendar) === null) return po;
      next.payment.calendarDone = [...po.payment.calendarDone, key];
      const days = Math.round((ctx.at.getTime() - Date.parse(pending.at)) / 86_400_000);
      change = { type: 'remind_verify', data: { reminder: key, days, amount: pending.amount, reference: pending.reference, reportedAt: pending.at } };
      break;
    }
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
        // Short of the total: the rest is still to pay before delivery, and the buyer is told how much.
        credit(pending.amount, pending.reference);
        next.status = next.payment.status === 'paid' ? 'ordered' : 'awaiting_payment';
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
      else if (prepaymentStatuses.has(po.status)) next.status = 'awaiting_payment';
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
      next.review = { ...openReview(approvalsRequired(action, po.currency, po.total), reviewTimers(next.reviewDeadline, action.reviewReminderDays, ctx.at)), confirmation: 'letterhead' };
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
      next.payment.calendarDone = [...po.payment.calendarDone, action.event];
      change = {
        type: 'auto_cancel',
        data: { reminder: action.event, daysAfterDue: parseEventKey(action.event).days, dueDate: po.payment.dueDate, outstanding: outstanding(po), refund: owedBack(next) },
      };
      break;
    case 'remind_unpaid':
    case 'cancel_unpaid': {
      if (po.payment.calendarDone.includes(action.event) || po.payment.status === 'paid') return po;
      const clock = unpaidClock(po);
      const event = clock ? unpaidEvents(clock, po.unpaidCalendar).find((e) => e.key === action.event) : undefined;
      if (!clock || !event) throw new RuleViolation(`no unpaid-payment event ${action.event} on this purchase order`, 'unknown_event');
      next.payment.calendarDone = [...po.payment.calendarDone, action.event];
      if (action.type === 'cancel_unpaid') {
        next.status = 'cancelled';
        change = { type: 'cancel_unpaid', data: { days: event.days, since: clock.askedAt, outstanding: outstanding(po), refund: owedBack(next) } };
      } else {
        change = { type: 'remind_unpaid', data: { reminder: event.key, days: event.days, since: clock.askedAt, outstanding: outstanding(po) } };
      }
      break;
    }
    case 'deliver_digital':
      if (po.licences !== null) return po;
      next.licences = action.licences;
      change = { type: 'deliver_digital', data: { keys: action.licences.reduce((n, licence) => n + licence.keys.length, 0) } };
      break;
    case 'attach':
      if (po.attachments.some((attachment) => attachment.id === action.attachment.id)) return po;
      next.attachments = [...po.attachments, action.attachment];
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
    case 'send_einvoice':
      // Once per document and outcome: a retried hand-over records nothing more.
      if (po.history.some((e) => e.type === 'send_einvoice' && e.data.number === action.number && e.data.outcome === action.outcome)) return po;
      change = { type: 'send_einvoice', data: { number: action.number, network: 'peppol', receiver: action.receiver, outcome: action.outcome, reason: action.reason } };
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
        data: {
          documentId: action.document.id,
          documentType: action.document.type,
          number: action.document.number,
          total: action.document.total,
          ...(action.document.formats?.length ? { formats: action.document.formats } : {}),
        },
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

function describeWho(who: Who): string {
  if (who.type === 'person') return who.email;
  if (who.type === 'link') return who.email ?? 'this review link';
  return who.type === 'key' ? `the ${who.name} key` : 'the workflow';
}
