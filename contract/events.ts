/**
 * The event types the seller's other systems hear, by webhook, on the event bus and in the feed.
 * Which history entry makes which event is the domain's catalogue (functions/domain/events.ts).
 */
export const eventTypes = [
  'po.placed',
  'po.approved',
  'po.rejected',
  'po.converted',
  'po.cancelled',
  'po.completed',
  'po.overdue',
  'po.reminder_sent',
  'po.disputed',
  'po.dispute_resolved',
  'payment.submitted',
  'payment.verified',
  'payment.rejected',
  'payment.received',
  'invoice.issued',
  'proforma.issued',
  'credit_note.issued',
  'licences.delivered',
  'shipping_order.shipped',
  'shipping_order.delivered',
] as const;
export type EventType = (typeof eventTypes)[number];
