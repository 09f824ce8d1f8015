import type { XmlFormat } from '../../contract/einvoice.js';
import type { EventType } from '../../contract/events.js';
import type { EntryType, HistoryEntry, HistoryEntryOf } from './history.js';
import type { Who } from '../../contract/purchase-order.js';
import type { PurchaseOrder } from './purchase-order/index.js';
import type { Status } from '../../contract/purchase-order.js';

/**
 * The events the seller's other systems hear: one catalogue, read top to bottom, from each kind of
 * history entry to the events it may make (`emits`, which the docs list) and how it makes them
 * (most make one, some none, a few two). An event is a pure
 * function of its entry and of what the PO fixed when it was placed, never of the PO's state now, so
 * the same history gives the same events, with the same ids and sequence numbers, however often
 * and whenever they are published.
 */

/** What every event's data carries, beside what the event is about. */
export interface EventBase {
  /** The PO's status after the event. */
  status: Status;
  /** The currency of every amount in the data, in its minor unit. */
  currency: string;
  /** Who acted: a person, a reviewer's link, a system's key, or the workflow. */
  by: Who;
}

/** The envelope, as delivered and as listed: the same for one event however often it is sent. */
export interface PoEvent {
  /** `evt_<poId>_<sequence>`: stable, and unique across POs. */
  id: string;
  type: EventType;
  /** When the change happened (the history entry's time). */
  timestamp: string;
  /** The PO's events counted from 1, with no gaps, in the order they happened. */
  sequence: number;
  poId: string;
  reference: string;
  data: EventBase & Record<string, unknown>;
}

type EventSpec = { type: EventType; data: Record<string, unknown> };
type EventsOf<T extends EntryType> = (entry: HistoryEntryOf<T>, po: PurchaseOrder) => EventSpec[];

const one = (type: EventType, data: Record<string, unknown> = {}): EventSpec[] => [{ type, data }];
/** Statuses a PO is released into when nobody has to review it. */
const released: ReadonlySet<Status> = new Set(['ordered', 'deferred', 'awaiting_payment']);

export const eventCatalogue: { [T in EntryType]: { emits: readonly EventType[]; make: EventsOf<T> } } = {
  placed: {
    emits: ['po.placed', 'po.approved'],
    make: (entry, po) => [
      {
        type: 'po.placed',
        data: {
          channel: entry.data.channel,
          paymentMethod: entry.data.paymentMethod,
          delivery: po.delivery,
          customerId: po.customer.id,
          poNumber: po.poNumber,
          subtotal: po.subtotal,
          tax: po.tax,
          total: entry.data.total,
          lines: po.lines.map((line) => ({ sku: line.sku, description: line.description, quantity: line.quantity, unitAmount: line.unitAmount, amount: line.amount, fulfilment: line.fulfilment })),
          holds: entry.data.holds ?? [],
        },
      },
      // A purchase order nobody had to review is approved as it is placed.
      ...(po.paymentMethod === 'purchase_order' && released.has(entry.to) ? one('po.approved', { automatic: true, comment: null }) : []),
    ],
  },
  // Each approval of several is recorded in the history; the PO is approved by the last one.
  approve: {
    emits: ['po.approved'],
    make: (entry) => (entry.to === 'awaiting_review' ? [] : one('po.approved', { automatic: false, comment: entry.data.comment, approvals: entry.data.approvals })),
  },
  reject: { emits: ['po.rejected'], make: (entry) => one('po.rejected', { reason: 'rejected', comment: entry.data.comment }) },
  expire_review: { emits: ['po.rejected', 'po.cancelled'], make: (entry) => one(entry.to === 'rejected' ? 'po.rejected' : 'po.cancelled', { reason: 'review_expired', deadline: entry.data.deadline, refund: 0 }) },
  remind_review: { emits: [], make: () => [] },
  escalate_review: { emits: [], make: () => [] },
  remind_verify: { emits: [], make: () => [] },
  convert_to_purchase_order: { emits: ['po.converted'], make: (entry) => one('po.converted', { delivery: entry.data.delivery }) },
  submit_payment: { emits: ['payment.submitted'], make: (entry) => one('payment.submitted', { amount: entry.data.amount, reference: entry.data.reference }) },
  verify_payment: {
    emits: ['payment.verified', 'payment.rejected'],
    make: (entry) =>
      entry.data.decision === 'accept'
        ? one('payment.verified', { amount: entry.data.amount, reference: entry.data.reference, outstanding: entry.data.outstanding })
        : one('payment.rejected', { amount: entry.data.amount, reference: entry.data.reference, reason: entry.data.reason }),
  },
  record_payment: { emits: ['payment.received'], make: (entry) => one('payment.received', { amount: entry.data.amount, reference: entry.data.reference, outstanding: entry.data.outstanding }) },
  dispute: { emits: ['po.disputed'], make: (entry) => one('po.disputed', { reason: entry.data.reason }) },
  resolve_dispute: { emits: ['po.dispute_resolved'], make: (entry) => one('po.dispute_resolved', { outcome: entry.data.outcome, reason: entry.data.reason }) },
  cancel: { emits: ['po.cancelled'], make: (entry) => one('po.cancelled', { reason: 'cancelled', comment: entry.data.reason, refund: entry.data.refund ?? 0 }) },
  auto_cancel: { emits: ['po.cancelled'], make: (entry) => one('po.cancelled', { reason: 'unpaid_after_due', dueDate: entry.data.dueDate, outstanding: entry.data.outstanding, refund: entry.data.refund ?? 0 }) },
  cancel_unpaid: { emits: ['po.cancelled'], make: (entry) => one('po.cancelled', { reason: 'unpaid', since: entry.data.since, outstanding: entry.data.outstanding, refund: entry.data.refund }) },
  mark_overdue: { emits: ['po.overdue'], make: (entry) => one('po.overdue', { dueDate: entry.data.dueDate, outstanding: entry.data.outstanding }) },
  remind: { emits: ['po.reminder_sent'], make: (entry) => one('po.reminder_sent', { reminder: entry.data.reminder, when: entry.data.when, days: entry.data.days, dueDate: entry.data.dueDate, outstanding: entry.data.outstanding }) },
  remind_unpaid: { emits: ['po.reminder_sent'], make: (entry) => one('po.reminder_sent', { reminder: entry.data.reminder, when: 'unpaid', days: entry.data.days, since: entry.data.since, outstanding: entry.data.outstanding }) },
  update_shipping: {
    emits: ['shipping_order.shipped', 'shipping_order.delivered'],
    make: (entry) => one(entry.data.status === 'shipped' ? 'shipping_order.shipped' : 'shipping_order.delivered', { shippingOrderId: entry.data.shippingOrderId, seller: entry.data.seller }),
  },
  // How many keys, never the keys: they go to the buyer only.
  deliver_digital: { emits: ['licences.delivered'], make: (entry) => one('licences.delivered', { keys: entry.data.keys }) },
  issue_document: {
    emits: ['invoice.issued', 'proforma.issued', 'credit_note.issued'],
    make: (entry, po) =>
      one(`${entry.data.documentType}.issued`, {
        documentId: entry.data.documentId,
        number: entry.data.number,
        total: entry.data.total,
        path: `/purchase-orders/${po.id}/documents/${entry.data.documentId}`,
        links: documentLinks(`/purchase-orders/${po.id}/documents/${entry.data.documentId}`, entry.data.formats),
      }),
  },
  // What only the back office acts on: an attachment, a step needing attention, a refused email, a Peppol hand-over.
  attach: { emits: [], make: () => [] },
  flag_attention: { emits: [], make: () => [] },
  resume: { emits: [], make: () => [] },
  email_failed: { emits: [], make: () => [] },
  send_einvoice: { emits: [], make: () => [] },
};

/** The events of one history entry, with `po.completed` after any that completes the PO. */
function eventsOfEntry(entry: HistoryEntry, po: PurchaseOrder): EventSpec[] {
  const { emits, make } = eventCatalogue[entry.type] as { emits: readonly EventType[]; make: EventsOf<EntryType> };
  const specs = make(entry as HistoryEntryOf<EntryType>, po);
  const undeclared = specs.find((spec) => !emits.includes(spec.type));
  if (undeclared) throw new Error(`the event catalogue makes ${undeclared.type} of a ${entry.type} entry without declaring it`);
  const completes = entry.to === 'completed' && entry.from !== 'completed';
  return completes ? [...specs, { type: 'po.completed', data: {} }] : specs;
}

export const eventId = (poId: string, sequence: number) => `evt_${poId}_${sequence}`;

/** The PO's events in sequence, each with the index of the history entry that made it. */
export function eventsOf(po: PurchaseOrder): (PoEvent & { entryIndex: number })[] {
  const events: (PoEvent & { entryIndex: number })[] = [];
  po.history.forEach((entry, entryIndex) => {
    for (const spec of eventsOfEntry(entry, po)) {
      const sequence = events.length + 1;
      const data = { ...spec.data, status: entry.to, currency: po.currency, by: entry.by };
      events.push({ id: eventId(po.id, sequence), type: spec.type, timestamp: entry.at, sequence, poId: po.id, reference: po.reference, data, entryIndex });
    }
  });
  return events;
}

/** Whether an endpoint subscribed to `types` (every type when empty) hears events of this type. */
export const subscribes = (types: readonly EventType[], type: EventType) => types.length === 0 || types.includes(type);

/** Where a document is fetched: its PDF, and each XML format it has (`?format=`), as paths of the API. */
export function documentLinks(path: string, formats: readonly XmlFormat[] = []): Record<'pdf' | XmlFormat, string> {
  return Object.fromEntries([['pdf', path], ...formats.map((format) => [format, `${path}?format=${format}`])]) as Record<'pdf' | XmlFormat, string>;
}
