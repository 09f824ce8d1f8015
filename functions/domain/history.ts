import type { Actor, Who } from '../../contract/purchase-order.js';
import { holdDescriptions } from '../../contract/purchase-order.js';
import { type HoldReason } from '../../contract/purchase-order.js';
import { formatMoney } from './money.js';
import type { OrderRequest } from '../../contract/order-request.js';
import type { DocumentType, Status } from '../../contract/purchase-order.js';
import type { XmlFormat } from '../../contract/einvoice.js';

/**
 * The PO's history: one entry per change, append-only, each with typed `data` saying what changed.
 * Whatever follows a change (emails now, events later) is decided from `type` and `data`, never from
 * the prose of `detail`, which is written for people from the same data (`describe`).
 */

/** Who acted when the caller says no more than its role: a key of that role, or the workflow. */
export function whoFor(actor: Actor): Who {
  if (actor === 'system') return { type: 'system' };
  if (actor === 'reviewer') return { type: 'link', email: null };
  return { type: 'key', name: actor };
}

/**
 * Who someone is, in every way they may come: a signed-in person by their user id (`sub`, which no
 * email change alters) and their email (their review link's), a link by its reviewer's email, a key by
 * its name. Entries from before ids were kept read the same.
 */
export function identitiesOf(who: Who): string[] {
  if (who.type === 'person') return [`sub:${who.id}`, ...(who.email ? [`email:${who.email.toLowerCase()}`] : [])];
  if (who.type === 'link') return [who.email ? `email:${who.email.toLowerCase()}` : 'link:unnamed'];
  return [who.type === 'key' ? `key:${who.name}` : 'system'];
}

/** The same person (or link, or key), whichever way each came. */
export function samePerson(a: Who, b: Who): boolean {
  const known = new Set(identitiesOf(a));
  return identitiesOf(b).some((identity) => known.has(identity));
}

/** What each kind of entry records, by the entry's `type` (the action that made it). */
export interface EntryData {
  placed: { channel: OrderRequest['channel']; paymentMethod: OrderRequest['paymentMethod']; total: number; holds?: HoldReason[] };
  approve: { comment: string | null; approvals: number; approvalsRequired: number };
  reject: { comment: string | null };
  expire_review: { deadline: string | null };
  remind_review: { deadline: string | null };
  /** A day before an undecided review expires: finance is told, and the escalation reviewer if the policy names one. */
  escalate_review: { deadline: string | null };
  /** A payment the buyer reported has waited `days` for finance to verify it. */
  remind_verify: { reminder: string; days: number; amount: number; reference: string; reportedAt: string };
  submit_payment: { amount: number; reference: string };
  verify_payment: { decision: 'accept' | 'reject'; amount: number; reference: string; reason: string | null; outstanding: number };
  dispute: { reason: string | null };
  resolve_dispute: { outcome: 'accept_payment' | 'cancel'; reason: string | null };
  record_payment: { amount: number; reference: string; outstanding: number };
  /** `refund`: what was paid and is owed back (absent on entries from before it was recorded). */
  cancel: { reason: string | null; refund?: number };
  convert_to_purchase_order: { delivery: 'instant' | 'prepayment' };
  update_shipping: { shippingOrderId: string; seller: string; status: 'shipped' | 'delivered' };
  mark_overdue: { dueDate: string | null; outstanding: number };
  remind: { reminder: string; when: 'before_due' | 'after_due'; days: number; dueDate: string | null; outstanding: number };
  /** `refund`: what was paid of it before the cancellation (absent on entries from before it was recorded). */
  auto_cancel: { reminder: string; daysAfterDue: number; dueDate: string | null; outstanding: number; refund?: number };
  /** `since`: when the buyer was asked to pay (the order placed, the proforma issued). */
  remind_unpaid: { reminder: string; days: number; since: string; outstanding: number };
  cancel_unpaid: { days: number; since: string; outstanding: number; refund: number };
  deliver_digital: { keys: number };
  issue_document: { documentId: string; documentType: DocumentType; number: string; total: number; formats?: XmlFormat[] };
  attach: { attachmentId: string; contentType: string; size: number; filename: string | null };
  flag_attention: { step: string; reason: string };
  resume: { step: string; reason: string };
  /** An invoice or credit note handed to the seller's Peppol access point, or refused by it for good. */
  send_einvoice: { number: string; network: 'peppol'; receiver: string; outcome: 'sent' | 'refused'; reason: string | null };
  email_failed: { key: string; notice: string; audience: 'buyer' | 'finance' | 'reviewers' | 'escalation'; to: string[]; reason: string };
}

export type EntryType = keyof EntryData;

export type HistoryEntryOf<T extends EntryType> = {
  at: string;
  type: T;
  from: Status | null;
  to: Status;
  actor: Actor;
  by: Who;
  data: EntryData[T];
  /** The same change in words, for people reading the history. */
  detail?: string;
};

export type HistoryEntry = { [T in EntryType]: HistoryEntryOf<T> }[EntryType];

/** An entry's data before it is dated and placed in the history. */
export type Change = { [T in EntryType]: { type: T; data: EntryData[T] } }[EntryType];

/** The entry in one sentence (what `detail` says), written from its data. */
export function describe(change: Change, currency: string): string | undefined {
  const minor = (amount: number) => formatMoney(amount, currency);
  switch (change.type) {
    case 'placed':
      return `${change.data.channel} ${change.data.paymentMethod}${change.data.holds?.length ? `; held for review: ${change.data.holds.map((hold) => holdDescriptions[hold]).join('; ')}` : ''}`;
    case 'approve':
    case 'reject':
      return change.data.comment ?? undefined;
    case 'expire_review':
      return 'review not decided in time';
    case 'remind_review':
      return `reviewers reminded: the review closes ${change.data.deadline}`;
    case 'escalate_review':
      return `review escalated to finance: it closes ${change.data.deadline}`;
    case 'remind_verify':
      return `finance reminded: ${minor(change.data.amount)} reported ${change.data.days} days ago (reference ${change.data.reference}) waits for verification`;
    case 'submit_payment':
      return `buyer reports ${minor(change.data.amount)} paid (reference ${change.data.reference})`;
    case 'verify_payment':
      return change.data.decision === 'reject'
        ? (change.data.reason ?? `payment ${change.data.reference} could not be verified`)
        : `payment ${change.data.reference} of ${minor(change.data.amount)} verified, ${minor(change.data.outstanding)} outstanding`;
    case 'dispute':
      return change.data.reason ?? undefined;
    case 'cancel':
      return [change.data.reason, change.data.refund ? `${minor(change.data.refund)} paid, to be refunded` : null].filter(Boolean).join('; ') || undefined;
    case 'resolve_dispute':
      return [change.data.outcome.replace('_', ' '), change.data.reason].filter(Boolean).join(': ');
    case 'record_payment':
      return `${minor(change.data.amount)} received (reference ${change.data.reference}), ${minor(change.data.outstanding)} outstanding`;
    case 'convert_to_purchase_order':
      return 'offline order converted to a purchase order';
    case 'update_shipping':
      return `shipping order ${change.data.shippingOrderId} (${change.data.seller}) ${change.data.status}`;
    case 'mark_overdue':
      return `payment was due ${change.data.dueDate}`;
    case 'remind':
      return `reminder ${change.data.reminder}: ${minor(change.data.outstanding)} outstanding, due ${change.data.dueDate}`;
    case 'auto_cancel':
      return `cancelled automatically: unpaid ${change.data.daysAfterDue} days after the due date ${change.data.dueDate}${change.data.refund ? `; ${minor(change.data.refund)} paid, to be refunded` : ''}`;
    case 'remind_unpaid':
      return `reminder: ${minor(change.data.outstanding)} unpaid ${change.data.days} days after the buyer was asked to pay`;
    case 'cancel_unpaid':
      return `cancelled automatically: unpaid ${change.data.days} days after the buyer was asked to pay${change.data.refund ? `; ${minor(change.data.refund)} paid, to be refunded` : ''}`;
    case 'deliver_digital':
      return `${change.data.keys} licence key(s) delivered`;
    case 'issue_document':
      return `${change.data.documentType.replace('_', ' ')} ${change.data.number}`;
    case 'flag_attention':
      return `needs attention: ${change.data.step} failed (${change.data.reason})`;
    case 'resume':
      return `workflow resumed after ${change.data.step} failed`;
    case 'send_einvoice':
      return change.data.outcome === 'sent'
        ? `${change.data.number} sent over Peppol to ${change.data.receiver}`
        : `${change.data.number} refused by the Peppol access point for ${change.data.receiver}: ${change.data.reason ?? 'no reason given'}`;
    case 'email_failed':
      return `email ${change.data.notice} to ${change.data.to.join(', ')} refused: ${change.data.reason}`;
    case 'attach':
      return `${change.data.filename ?? 'a file'} attached (${change.data.contentType}, ${Math.ceil(change.data.size / 1024)} KB)`;
  }
}

/** A history entry from a change: dated, with its statuses, its actor and its sentence. */
export function entry(change: Change, moved: { at: string; from: Status | null; to: Status; actor: Actor; by: Who }, currency: string): HistoryEntry {
  const detail = describe(change, currency);
  return { ...moved, ...change, ...(detail ? { detail } : {}) } as HistoryEntry;
}
