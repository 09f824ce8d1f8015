import { add } from './money.js';
import type { PurchaseOrder } from './purchase-order/index.js';
import { outstanding } from './purchase-order/index.js';

/**
 * Receivables: the invoices still open, aged by how far past their due date they are, as a finance
 * team reads them every week. An invoice without a due date (payment collected on delivery) counts
 * as current until it has one.
 */
export const agingBuckets = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

export interface Receivable {
  po: PurchaseOrder;
  invoice: string;
  dueDate: string | null;
  daysPastDue: number;
  bucket: AgingBucket;
  outstanding: number;
}

const DAY_MS = 86_400_000;

/** Whole days after the end of the due date (a due date is a whole day: paying on it is on time). */
export function daysPastDue(dueDate: string | null, today: Date): number {
  if (!dueDate) return 0;
  const endOfDue = Date.parse(`${dueDate}T23:59:59.999Z`);
  return today.getTime() <= endOfDue ? 0 : Math.ceil((today.getTime() - endOfDue) / DAY_MS);
}

export function bucketOf(days: number): AgingBucket {
  if (days <= 0) return 'current';
  if (days <= 30) return '1-30';
  if (days <= 60) return '31-60';
  return days <= 90 ? '61-90' : '90+';
}

/** What is still owed on the PO's invoice; 0 when it has none, or nothing is owed, or it is closed. */
export function owedOnInvoice(po: PurchaseOrder): number {
  const owed = outstanding(po);
  return owed > 0 && po.status !== 'cancelled' && po.status !== 'completed' && po.documents.some((doc) => doc.type === 'invoice') ? owed : 0;
}

/** The open invoices among these POs, most overdue first. */
export function receivables(pos: readonly PurchaseOrder[], today: Date): Receivable[] {
  return pos
    .flatMap((po) => {
      const invoice = po.documents.find((doc) => doc.type === 'invoice');
      const owed = owedOnInvoice(po);
      if (!invoice || !owed) return [];
      const days = daysPastDue(po.payment.dueDate, today);
      return [{ po, invoice: invoice.number, dueDate: po.payment.dueDate, daysPastDue: days, bucket: bucketOf(days), outstanding: owed }];
    })
    .sort((a, b) => b.daysPastDue - a.daysPastDue || a.invoice.localeCompare(b.invoice));
}

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; formulas defused. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Outstanding per currency and bucket from what is owed per due date (as the store keeps it), exact. */
export function agingOfDays(days: readonly { due: string | null; currency: string; owed: number }[], today: Date): Record<string, Record<AgingBucket, number>> {
  const totals: Record<string, Record<AgingBucket, number>> = {};
  for (const day of days) {
    if (day.owed === 0) continue;
    const byBucket = (totals[day.currency] ??= { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 });
    const bucket = bucketOf(daysPastDue(day.due, today));
    byBucket[bucket] = add(byBucket[bucket], day.owed);
  }
  return totals;
}
