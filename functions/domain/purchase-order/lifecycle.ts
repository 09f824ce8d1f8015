import { type Actor, type Status, statuses } from '../../../contract/purchase-order.js';
import type { Action, PurchaseOrder } from './model.js';

/**
 * The lifecycle: the statuses grouped by what they mean, and the table of moves (which action may be
 * taken from which status, and by whom). Anything not listed is refused with a TransitionError.
 */

export const terminalStatuses: ReadonlySet<Status> = new Set(['rejected', 'completed', 'cancelled']);

/** Statuses in which goods go out: the order is confirmed (or delivered first and paid on delivery). */
export const fulfilment = ['ordered', 'deferred', 'overdue'] as const satisfies readonly Status[];
export const fulfilmentStatuses: ReadonlySet<Status> = new Set(fulfilment);
/** Statuses in which payment must arrive before anything is delivered. */
export const prepaymentStatuses: ReadonlySet<Status> = new Set(['awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed']);

/**
 * The lifecycle's table of moves: from which statuses each action may be taken, and by whom.
 * Anything not listed is refused with a TransitionError (HTTP 409) and changes nothing.
 */
export const allowedFrom: Record<Action['type'], Partial<Record<Actor, readonly Status[]>>> = {
  approve: { reviewer: ['awaiting_review'], finance: ['awaiting_review'] },
  reject: { reviewer: ['awaiting_review'], finance: ['awaiting_review'] },
  expire_review: { system: ['awaiting_review'] },
  remind_review: { system: ['awaiting_review'] },
  escalate_review: { system: ['awaiting_review'] },
  remind_verify: { system: ['payment_submitted'] },
  submit_payment: { checkout: ['awaiting_payment', 'payment_rejected'] },
  verify_payment: { finance: ['payment_submitted'] },
  dispute: { checkout: ['payment_submitted', 'payment_rejected'], finance: ['payment_submitted', 'payment_rejected'] },
  resolve_dispute: { finance: ['disputed'] },
  record_payment: { finance: [...fulfilment, 'awaiting_payment', 'payment_submitted', 'payment_rejected'] },
  // The buyer may cancel before release or payment; finance until the PO is completed.
  cancel: {
    checkout: ['awaiting_review', 'awaiting_payment', 'payment_rejected'],
    finance: ['awaiting_review', 'awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed', ...fulfilment],
  },
  convert_to_purchase_order: { finance: ['awaiting_payment'] },
  update_shipping: { finance: [...fulfilment, 'completed'] },
  // The payment calendar: on net terms from the release; collected on delivery (deferred) once everything is delivered.
  mark_overdue: { system: fulfilment },
  remind: { system: fulfilment },
  auto_cancel: { system: fulfilment },
  // An offline order or a proforma the buyer has not paid: reminded, then cancelled.
  remind_unpaid: { system: ['awaiting_payment', 'payment_rejected'] },
  cancel_unpaid: { system: ['awaiting_payment', 'payment_rejected'] },
  deliver_digital: { system: fulfilment },
  // The buyer's signed PO may arrive any time before the order ends.
  attach: {
    checkout: ['awaiting_review', 'awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed', ...fulfilment],
    finance: ['awaiting_review', 'awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed', ...fulfilment],
  },
  issue_document: { system: ['ordered', 'deferred', 'overdue', 'awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed', 'completed', 'cancelled'] },
  // Any step may fail, in any status; finance resumes it from there.
  flag_attention: { system: statuses },
  resume: { finance: statuses },
  email_failed: { system: statuses },
  send_einvoice: { system: statuses },
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

/** Whether a PO in fulfilment has goods or licence keys left to hand over: the to-ship queue. */
export function hasSomethingToShip(po: Pick<PurchaseOrder, 'status' | 'shippingOrders'>): boolean {
  return fulfilmentStatuses.has(po.status) && po.shippingOrders.some((order) => order.status !== 'delivered');
}
