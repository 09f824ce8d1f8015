import { describe, expect, it } from 'vitest';
import { agingOfDays, bucketOf, csvField, daysPastDue, owedOnInvoice, receivables } from '../../functions/domain/receivables.js';
import { defaultPolicy } from '../../contract/policy.js';
import { apply, placePurchaseOrder, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { sampleOrder } from '../support/fakes.js';

const at = new Date('2026-01-01T10:00:00Z');
function invoiced(id: string, currency = 'USD', paid = 0): PurchaseOrder {
  const placed = placePurchaseOrder({ id, reference: `PO-2026-${id}`, order: orderRequestSchema.parse({ ...sampleOrder, currency }), policy: { ...defaultPolicy, cartMinimum: { USD: 0, EUR: 0 } }, actor: 'checkout', at });
  const ordered = apply(placed, { type: 'approve' }, { actor: 'finance', at });
  const doc = { id: `INV-${id}`, type: 'invoice' as const, number: `INV-${id}`, issuedAt: at.toISOString(), total: ordered.total, dueDate: ordered.payment.dueDate };
  const withInvoice = apply(ordered, { type: 'issue_document', document: doc }, { actor: 'system', at });
  return paid ? apply(withInvoice, { type: 'record_payment', amount: paid, reference: `W-${id}` }, { actor: 'finance', at }) : withInvoice;
}

describe('receivables', () => {
  it('ages by whole days after the end of the due date', () => {
    expect(daysPastDue('2026-01-31', new Date('2026-01-31T23:59:00Z'))).toBe(0);
    expect(daysPastDue('2026-01-31', new Date('2026-02-01T00:00:01Z'))).toBe(1);
    expect(daysPastDue(null, new Date('2027-01-01T00:00:00Z'))).toBe(0);
    expect([0, 1, 30, 31, 60, 61, 90, 91, 400].map(bucketOf)).toEqual(['current', '1-30', '1-30', '31-60', '31-60', '61-90', '61-90', '90+', '90+']);
  });

  it('lists open invoices with what is outstanding, most overdue first, and totals them per currency and bucket', () => {
    const due = invoiced('A'); // due 2026-01-31
    const partly = invoiced('B', 'USD', 10000);
    const euro = invoiced('C', 'EUR');
    const paid = invoiced('D', 'USD', 29700);
    const rows = receivables([due, partly, euro, paid], new Date('2026-03-15T12:00:00Z'));
    expect(rows.map((r) => [r.invoice, r.daysPastDue, r.bucket, r.outstanding])).toEqual([
      ['INV-A', 43, '31-60', 29700],
      ['INV-B', 43, '31-60', 19700],
      ['INV-C', 43, '31-60', 29700],
    ]);
    // The ages from what is owed per due date and currency, as the store keeps it with each write.
    const days = [due, partly, euro, paid].filter((po) => owedOnInvoice(po) > 0).map((po) => ({ due: po.payment.dueDate, currency: po.currency, owed: owedOnInvoice(po) }));
    expect(agingOfDays(days, new Date('2026-03-15T12:00:00Z'))).toEqual({ USD: { current: 0, '1-30': 0, '31-60': 49400, '61-90': 0, '90+': 0 }, EUR: { current: 0, '1-30': 0, '31-60': 29700, '61-90': 0, '90+': 0 } });
    // Ten days before the due date, all of it is current; an invoice without a due date too.
    expect(agingOfDays([...days, { due: null, currency: 'EUR', owed: 100 }], new Date('2026-01-21T12:00:00Z'))).toEqual({ USD: { current: 49400, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 }, EUR: { current: 29800, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 } });
  });

  it('writes CSV fields a spreadsheet reads back as they were, and does not run as formulas', () => {
    expect(csvField('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(-5)).toBe('-5');
  });
});
