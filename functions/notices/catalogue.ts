import type { EntryType, HistoryEntryOf } from '../domain/history.js';
import type { DocumentRef, PurchaseOrder } from '../domain/purchase-order/index.js';
import type { SellerProfile } from '../domain/seller.js';
import * as emails from './emails.js';
import type { Letterhead, Message } from './render.js';

/**
 * What is told to whom after each change, read top to bottom: history entry type -> who is told ->
 * which email. Notify walks the entries it has not told yet, in order, and sends each notice once
 * (keyed by the entry's index and the notice's name), so no change goes untold and none twice.
 * Every decision here reads the entry's typed `data` and the PO, never the entry's prose.
 */
/** Who hears: the buyer, the policy's finance people and reviewers, and the one reviewer undecided reviews are escalated to. */
export type Audience = 'buyer' | 'finance' | 'reviewers' | 'escalation';

export interface NoticeContext<T extends EntryType> {
  po: PurchaseOrder;
  entry: HistoryEntryOf<T>;
  seller: SellerProfile;
  /** The document the entry issued (issue_document entries). */
  document: DocumentRef | null;
  /** The recipient's own review link of a PO awaiting review, created on first use, the same on every retry. */
  reviewLink: () => Promise<{ href: string; expiresAt: string }>;
  /** The PO's page in the back office (for staff). */
  consoleHref: string;
}

export interface Notice<T extends EntryType> {
  /** Unique within its entry type: with the entry's index, the key that makes the email go once. */
  name: string;
  to: Audience;
  /** When the notice applies (always, if absent), and the same in words for the docs. */
  when?: (entry: HistoryEntryOf<T>, po: PurchaseOrder) => boolean;
  about?: string;
  email: (context: NoticeContext<T>) => Message | Promise<Message>;
  /** The email carries the entry's document as a PDF. */
  attachDocument?: boolean;
  /** One email per recipient (each reviewer gets a link of their own), not one to all. */
  personal?: boolean;
  /** Recipients of a personal notice it is not for (a reviewer who has approved already). */
  skip?: (recipient: string, po: PurchaseOrder) => boolean;
}

export type Catalogue = { [T in EntryType]: Notice<T>[] };

/** Still waiting for the review this entry started (a decision may already have overtaken it). */
const awaitingReview = (entry: { to: string }, po: PurchaseOrder) => entry.to === 'awaiting_review' && po.status === 'awaiting_review';

/** The buyer learns how to confirm the PO; each reviewer gets the link. */
const reviewNotices = <T extends 'placed' | 'convert_to_purchase_order'>(): Notice<T>[] => [
  { name: 'po-received', to: 'buyer', when: awaitingReview, about: 'the PO still awaits review', email: ({ po, seller }) => emails.poReceivedEmail(po, seller) },
  {
    name: 'review-request',
    to: 'reviewers',
    when: awaitingReview,
    about: 'the PO still awaits review; each reviewer gets their own link',
    personal: true,
    email: async ({ po, reviewLink }) => {
      const link = await reviewLink();
      return emails.reviewRequestEmail(po, link.href, link.expiresAt);
    },
  },
];

/** The buyer paid before anything was delivered: the invoice comes with the delivery, marked paid. */
const paidBeforehand = (po: PurchaseOrder) => po.delivery === 'prepayment' || po.paymentMethod === 'offline' || po.paymentMethod === 'online';
/** Paid in full by this entry; a prepaid PO's receipt goes out with its final invoice instead. */
const receiptDue = (entry: { data: { outstanding: number } }, po: PurchaseOrder) => entry.data.outstanding === 0 && po.delivery !== 'prepayment';
/** A payment arrived and some is still to pay: the buyer hears what arrived and what remains. */
const partPayment = <T extends 'verify_payment' | 'record_payment'>(): Notice<T> => ({
  name: 'part-payment',
  to: 'buyer',
  when: (entry) => entry.data.outstanding > 0 && (entry.type !== 'verify_payment' || (entry.data as { decision: string }).decision === 'accept'),
  about: 'a payment arrived (or was accepted) and some is still to pay: what arrived and what remains',
  email: ({ po, entry, seller }) => emails.partPaymentEmail(po, entry.data.amount, entry.data.reference, seller),
});

export const catalogue: Catalogue = {
  placed: [
    ...reviewNotices<'placed'>(),
    {
      name: 'offline-order',
      to: 'buyer',
      when: (entry, po) => entry.to === 'awaiting_payment' && po.paymentMethod === 'offline',
      about: 'an order for offline payment: how to pay',
      email: ({ po, seller }) => emails.offlineOrderEmail(po, seller),
    },
  ],
  convert_to_purchase_order: reviewNotices<'convert_to_purchase_order'>(),
  approve: [],
  reject: [{ name: 'rejected', to: 'buyer', email: ({ po, seller }) => emails.rejectedEmail(po, seller) }],
  remind_review: [
    {
      name: 'review-reminder',
      to: 'reviewers',
      about: 'the review closes soon; each reviewer who has not approved yet, with their own link',
      personal: true,
      skip: (recipient, po) => po.review.approvals.some((approval) => 'email' in approval.by && approval.by.email?.toLowerCase() === recipient.toLowerCase()),
      email: async ({ po, reviewLink }) => {
        const link = await reviewLink();
        return emails.reviewReminderEmail(po, link.href, link.expiresAt);
      },
    },
  ],
  escalate_review: [
    {
      name: 'review-escalated',
      to: 'finance',
      about: 'a day before an undecided review closes; the PO shows under "Needs attention"',
      email: ({ po, consoleHref }) => emails.reviewEscalationEmail(po, { label: 'Decide in the back office', href: consoleHref }),
    },
    {
      name: 'review-escalated-reviewer',
      to: 'escalation',
      about: "the same, to the policy's escalation reviewer, with a review link of their own",
      personal: true,
      email: async ({ po, reviewLink }) => emails.reviewEscalationEmail(po, { label: 'Review this purchase order', href: (await reviewLink()).href }),
    },
  ],
  remind_verify: [
    {
      name: 'verify-reminder',
      to: 'finance',
      about: 'a reported payment has waited policy.offline.verifyReminderDays for verification',
      email: ({ po, entry, consoleHref }) => emails.verifyReminderEmail(po, entry.data, consoleHref),
    },
  ],
  expire_review: [
    { name: 'expired', to: 'buyer', email: ({ po, seller }) => emails.reviewExpiredEmail(po, seller) },
    { name: 'expired-finance', to: 'finance', email: ({ po }) => emails.reviewExpiredFinanceEmail(po) },
  ],
  submit_payment: [{ name: 'payment-to-verify', to: 'finance', email: ({ po, consoleHref }) => emails.paymentToVerifyEmail(po, consoleHref) }],
  verify_payment: [
    {
      name: 'payment-rejected',
      to: 'buyer',
      when: (entry) => entry.data.decision === 'reject',
      about: 'finance rejected the reported payment',
      email: ({ po, entry, seller }) => emails.paymentRejectedEmail(po, entry.data.reason, seller),
    },
    {
      name: 'payment-received',
      to: 'buyer',
      when: (entry, po) => entry.data.decision === 'accept' && receiptDue(entry, po),
      about: 'accepted, and nothing is outstanding (not for prepayment: the final invoice says so)',
      email: ({ po }) => emails.paymentReceivedEmail(po),
    },
    partPayment<'verify_payment'>(),
  ],
  record_payment: [
    {
      name: 'payment-received',
      to: 'buyer',
      when: receiptDue,
      about: 'nothing is outstanding (not for prepayment: the final invoice says so)',
      email: ({ po }) => emails.paymentReceivedEmail(po),
    },
    partPayment<'record_payment'>(),
  ],
  dispute: [
    { name: 'dispute-opened', to: 'buyer', email: ({ po, entry }) => emails.disputeOpenedEmail(po, entry.data.reason) },
    { name: 'dispute-opened-finance', to: 'finance', email: ({ po, entry }) => emails.disputeOpenedEmail(po, entry.data.reason) },
  ],
  resolve_dispute: [{ name: 'dispute-resolved', to: 'buyer', email: ({ po, entry }) => emails.disputeResolvedEmail(po, entry.data.outcome, entry.data.reason) }],
  cancel: [
    { name: 'cancelled', to: 'buyer', email: ({ po, entry, seller }) => emails.cancelledEmail(po, entry.data.reason, seller) },
    {
      name: 'cancelled-by-buyer',
      to: 'finance',
      when: (entry) => entry.actor === 'checkout',
      about: 'the buyer cancelled through the shop (finance cancelling knows already)',
      email: ({ po, entry, consoleHref }) => emails.buyerCancelledEmail(po, entry.data.reason, consoleHref),
    },
  ],
  auto_cancel: [
    { name: 'cancelled', to: 'buyer', email: ({ po, entry, seller }) => emails.cancelledEmail(po, emails.unpaidSince(entry.data), seller) },
    { name: 'cancelled-finance', to: 'finance', email: ({ po, entry, seller }) => emails.cancelledEmail(po, emails.unpaidSince(entry.data), seller) },
  ],
  remind_unpaid: [{ name: 'unpaid-reminder', to: 'buyer', email: ({ po, entry, seller }) => emails.unpaidReminderEmail(po, entry.data.since, seller) }],
  cancel_unpaid: [
    { name: 'cancelled', to: 'buyer', email: ({ po, entry, seller }) => emails.cancelledEmail(po, emails.unpaidFor(entry.data), seller) },
    { name: 'cancelled-finance', to: 'finance', email: ({ po, entry, seller }) => emails.cancelledEmail(po, emails.unpaidFor(entry.data), seller) },
  ],
  update_shipping: [{ name: 'shipping', to: 'buyer', email: ({ po, entry }) => emails.shippingEmail(po, entry.data.shippingOrderId, entry.data.status) }],
  mark_overdue: [{ name: 'overdue', to: 'buyer', email: ({ po, seller }) => emails.overdueEmail(po, seller) }],
  remind: [{ name: 'reminder', to: 'buyer', email: ({ po, entry, seller }) => emails.reminderEmail(po, entry.data.when, seller) }],
  // The licence keys go out in the email of the invoice issued with them.
  deliver_digital: [],
  // The reviewers see the buyer's signed PO on the review page.
  attach: [],
  flag_attention: [
    {
      name: 'attention',
      to: 'finance',
      when: (entry, po) => po.attention?.since === entry.at,
      about: 'at once, from the step itself; later only if the PO still waits for finance',
      email: ({ po, entry, consoleHref }) => emails.attentionEmail(po, entry.data.step, entry.data.reason, consoleHref),
    },
  ],
  resume: [],
  send_einvoice: [
    {
      name: 'einvoice-refused',
      to: 'finance',
      when: (entry) => entry.data.outcome === 'refused',
      about: 'the Peppol access point refused an invoice or credit note for good',
      email: ({ po, entry, consoleHref }) => emails.einvoiceRefusedEmail(po, entry.data.number, entry.data.receiver, entry.data.reason, consoleHref),
    },
  ],
  email_failed: [
    {
      name: 'email-failed',
      to: 'finance',
      when: (entry) => entry.data.audience !== 'finance',
      about: 'an email to the buyer or the reviewers was refused for good (not one to finance: that would be refused too)',
      email: ({ po, entry }) => emails.emailFailedEmail(po, entry.data.notice, entry.data.to, entry.data.reason),
    },
  ],
  issue_document: [
    {
      name: 'invoice',
      to: 'buyer',
      when: (entry) => entry.data.documentType === 'invoice',
      about: 'an invoice: with the licence keys; marked paid if the buyer paid first',
      attachDocument: true,
      email: ({ po, document, seller }) => (paidBeforehand(po) ? emails.paidAndDeliveredEmail(po, document!) : emails.releasedEmail(po, document!, seller)),
    },
    {
      name: 'proforma',
      to: 'buyer',
      when: (entry) => entry.data.documentType === 'proforma',
      about: 'a proforma for prepayment, with bank details',
      attachDocument: true,
      email: ({ po, document, seller }) => emails.proformaEmail(po, document!, seller),
    },
    {
      name: 'credit-note',
      to: 'buyer',
      when: (entry) => entry.data.documentType === 'credit_note',
      about: 'a credit note: for the invoice of a cancelled PO, or for what a resolved dispute left unpaid',
      attachDocument: true,
      email: ({ po, document }) => emails.creditNoteEmail(po, document!, po.documents.find((doc) => doc.type === 'invoice')!),
    },
  ],
};

/** The notices an entry calls for now, in the catalogue's order. */
export function noticesFor<T extends EntryType>(entry: HistoryEntryOf<T>, po: PurchaseOrder): Notice<T>[] {
  return (catalogue[entry.type] as Notice<T>[]).filter((notice) => !notice.when || notice.when(entry, po));
}

/** The frame of an email to this audience about this PO: the seller's letterhead, a greeting by name, why the reader got it. */
export function letterheadFor(audience: Audience, po: PurchaseOrder, seller: SellerProfile): Letterhead {
  const name = po.customer.name ?? po.billingAddress.name;
  const greeting = { buyer: `Hello ${name ?? `${po.customer.company} team`},`, reviewers: 'Hello,', finance: 'Hello finance team,', escalation: 'Hello,' }[audience];
  const reason = {
    buyer: `You receive this email because ${po.customer.company} ordered from ${seller.name} (order ${po.reference}). Reply to ${seller.email} with any question.`,
    reviewers: `You receive this email because you review purchase orders for ${seller.name}.`,
    finance: `You receive this email because you are on the finance team for purchase orders at ${seller.name}.`,
    escalation: `You receive this email because ${seller.name}'s purchase-order policy names you for reviews about to expire.`,
  }[audience];
  return { seller, greeting, reason };
}
