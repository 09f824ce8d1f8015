/**
 * The words every side uses of a purchase order: its statuses, the kinds of document it gets, who
 * acts on it and why credit control holds it. The domain gives them their rules; the API, the
 * workflow, the documents and the tests only name them.
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

export type PaymentStatus = 'not_due' | 'unpaid' | 'partially_paid' | 'submitted' | 'rejected' | 'paid' | 'overdue';

export type DocumentType = 'invoice' | 'proforma' | 'credit_note';

/** Why credit control sent a PO to review: it would take the customer over their limit, or they have an overdue PO. */
export type HoldReason = 'credit_limit' | 'overdue_hold';
export const holdDescriptions: Record<HoldReason, string> = {
  credit_limit: "this order would take the customer's open amount over their credit limit",
  overdue_hold: 'the customer has an overdue invoice',
};

export type Actor = 'checkout' | 'finance' | 'reviewer' | 'system';

/**
 * Who acted, beside the role: a signed-in person, a reviewer through their personal link (null for a
 * link sent before links were personal), a system through its API key, or the workflow itself.
 */
export type Who =
  | { type: 'person'; id: string; email: string }
  | { type: 'link'; email: string | null }
  | { type: 'key'; name: string }
  | { type: 'system' };
