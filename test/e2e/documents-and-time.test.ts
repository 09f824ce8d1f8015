import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack, reviewLinkIn } from '../support/local-stack.js';
import { pdfText } from '../support/pdf-text.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * The paperwork and the calendar on the local stack: invoice numbers under concurrent releases,
 * currencies on documents, reminders, overdue and review expiry driven by the local clock, across a
 * restart, and the credit note of a cancelled invoice.
 */
const stack = new LocalStack();
let n = 0;
const base = order({ customer: buyer('cust-trusted', 'Hooli Inc.', 'ap@hooli.example'), poNumber: 'HOOLI-PO-9', lines: [licence(10000, 2)] });
const place = (overrides: Record<string, unknown> = {}) =>
  stack.request('POST', '/purchase-orders', { key: keys.checkout, body: { ...base, ...overrides }, headers: { 'Idempotency-Key': `dt-${++n}` } });
const advance = (days: number) => stack.request('POST', '/_local/clock', { body: { advanceSeconds: Math.round(days * 86400) } });
const emailTo = (reference: string, subjectPart: string) => stack.waitForEmail((e) => e.subject.startsWith(`${reference}:`) && e.subject.includes(subjectPart));

beforeAll(async () => {
  await stack.start();
  await stack.updatePolicy({
    trustedCustomers: ['cust-trusted'],
    cartMinimum: { USD: 15000, JPY: 2000, KWD: 50000 },
    reminders: { beforeDueDays: [7], afterDueDays: [7], autoCancelAfterDueDays: 30 },
  });
}, 120_000);
afterAll(() => stack.stop());

describe('documents', () => {
  it('numbers the invoices of POs released at once without gaps or duplicates', async () => {
    const placed = await Promise.all(Array.from({ length: 12 }, () => place()));
    const ids = placed.map((p) => p.body.id as string);
    const invoices = await Promise.all(ids.map((id) => stack.waitForPo(id, keys.finance, (p) => p.documents.length === 1, 30_000)));
    const numbers = invoices.map((p) => Number(p.documents[0].number.slice(-6))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(12);
    expect(numbers.at(-1)! - numbers[0]!).toBe(11);
  });

  it('prints each currency with its own decimals: JPY none, KWD three', async () => {
    for (const [currency, unitAmount, expected] of [['JPY', 1500, '¥3,000'], ['KWD', 30125, 'KWD 60.250']] as const) {
      const po = (await place({ currency, lines: [{ ...base.lines[0], unitAmount }] })).body;
      const ordered = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1);
      const pdf = await stack.request('GET', `/purchase-orders/${po.id}/documents/${ordered.documents[0].id}`, { key: keys.checkout });
      const text = await pdfText(pdf.body);
      expect(text).toContain(expected);
      expect(text).toContain('HOOLI-PO-9');
      expect(text).toContain(ordered.payment.dueDate);
    }
  });
});

describe('time, on the local clock and across a restart', () => {
  it('reminds before the due date, turns overdue at it, reminds after it, cancels with a credit note; an undecided review expires', { timeout: 120_000 }, async () => {
    const terms = (await place()).body; // trusted: ordered at once, due in 30 days
    await emailTo(terms.reference, 'your order is released');
    const review = (await place({ customer: { ...base.customer, id: 'someone-new' } })).body;
    const link = reviewLinkIn(await emailTo(review.reference, 'purchase order to review'));

    await advance(10);
    await stack.stop('SIGTERM');
    await stack.start(); // the timers are durable: the clock and the waits survive

    await advance(5); // day 15: the 14-day review has expired
    await emailTo(review.reference, 'has expired');
    expect((await stack.request('GET', `${link.pathname}${link.search}`)).status).toBe(410);

    await advance(8.5); // day 23.5: a week before the due date
    await emailTo(terms.reference, `payment due on ${terms.payment.dueDate}`);

    await advance(8); // day 31.5: past the due date
    await emailTo(terms.reference, 'payment overdue');
    expect((await stack.request('GET', `/purchase-orders/${terms.id}`, { key: keys.finance })).body).toMatchObject({ status: 'overdue', payment: { status: 'overdue' } });
    const overdueQueue = await stack.request('GET', '/purchase-orders?status=overdue', { key: keys.finance });
    expect(overdueQueue.body.items.map((p: { id: string }) => p.id)).toContain(terms.id);

    await advance(7);
    await emailTo(terms.reference, 'reminder - payment overdue');

    await advance(23); // day 61.5, 30 days after the due date: cancelled automatically, with a credit note
    const note = await emailTo(terms.reference, 'credit note');
    const cancelled = await stack.waitForPo(terms.id, keys.finance, (p) => p.documents.length === 2);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.documents.map((d: { type: string }) => d.type)).toEqual(['invoice', 'credit_note']);
    const text = await pdfText(Buffer.from(note.attachments![0]!.content, 'base64'));
    expect(text).toContain(cancelled.documents[0].number);
    expect(text).toContain('-$200.00');
  });

  it('a payment in time stops the reminders', async () => {
    const po = (await place()).body;
    await emailTo(po.reference, 'your order is released');
    await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: 20000, reference: 'ON-TIME' } });
    await emailTo(po.reference, 'payment received');
    await advance(40);
    await new Promise((r) => setTimeout(r, 1000));
    const subjects = (await stack.emails()).filter((e) => e.subject.startsWith(`${po.reference}:`)).map((e) => e.subject);
    expect(subjects.some((s) => s.includes('overdue') || s.includes('payment due'))).toBe(false);
  });
});
