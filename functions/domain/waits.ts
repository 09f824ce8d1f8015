import { terminalStatuses, type PurchaseOrder } from './purchase-order.js';

/**
 * What the workflow waits for while a PO sits in a status, and when the wait is over. The PO in the
 * table is the truth: an action first changes the PO, then releases the waiting task with the outcome
 * computed here, so an outcome can never be lost between the two.
 */
export type WaitKind = 'review' | 'payment';

export function waitOutcome(kind: WaitKind, po: PurchaseOrder): Record<string, unknown> | null {
  switch (kind) {
    case 'review':
      if (po.review.decision !== null) return { decision: po.review.decision, status: po.status };
      if (po.status !== 'awaiting_review') return { decision: 'none', status: po.status };
      return null;
    case 'payment':
      if (po.payment.status === 'paid' || terminalStatuses.has(po.status)) return { status: po.status, paid: po.payment.status === 'paid' };
      return null;
  }
}
