import { describe, expect, it } from 'vitest';
import { changePurchaseOrder } from '../../functions/app/change.js';
import { placeOrder } from '../../functions/app/place.js';
import { fulfil, issueProforma, notify, paymentCalendar, reviewTimer } from '../../functions/app/tasks.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { presentPurchaseOrder } from '../../functions/http/present.js';
import { poPage } from '../../functions/console/views/purchase-order.js';
import { workflowView } from '../../functions/domain/workflow-view.js';
import { sampleOrder, taskFakes } from '../support/fakes.js';
import { pdfText } from '../support/pdf-text.js';

/**
 * The corners of the two seeds a buyer or a finance clerk hits (the third reading), each through the
 * workflow's own tasks on the fakes. Every case here failed on the code before it.
 */
const DAY = 86_400;
const letterLines = [{ ...sampleOrder.lines[0]!, quantity: 10, unitAmount: 9900 }]; // $990.00

async function placed(overrides: object = {}, setUp?: (deps: ReturnType<typeof taskFakes>) => void) {
  const deps = taskFakes();
  setUp?.(deps);
  const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse({ ...sampleOrder, ...overrides }));
  const read = async () => (await deps.pos.get(po.id))!.po;
  const told = async () => {
    await notify(deps, { poId: po.id, notifiedVersion: 0 });
    return deps.mailer.sent.map((sent) => ({ key: sent.key.replace(/^\d+-/, ''), ...sent.email }));
  };
  return { deps, poId: po.id, read, told };
}

describe('1. a digital order collected on delivery (deferred)', () => {
  it('is due on the customer terms from delivery, the invoice says so, and it is not overdue the next day', async () => {
    const { deps, poId, read, told } = await placed({ paymentMethod: 'deferred' });
    await fulfil(deps, { poId });
    const po = await read();
    // Placed and delivered 2026-03-02 10:00: 30 days' terms.
    expect(po).toMatchObject({ status: 'deferred', payment: { dueDate: '2026-04-01' } });
    expect(po.documents[0]).toMatchObject({ type: 'invoice', dueDate: '2026-04-01' });
    const invoice = (await told()).find((mail) => mail.key === 'invoice')!;
    const text = await pdfText(invoice.attachments![0]!.content);
    expect(text).toContain('Please pay by 2026-04-01');
    expect(invoice.text).toContain('please pay it by 2026-04-01');

    deps.clock.advance(DAY);
    expect(await paymentCalendar(deps, { poId })).toMatchObject({ status: 'deferred' });
    expect((await read()).payment.status).toBe('unpaid');
  });
});

describe('2. a payment reported, then rejected late', () => {
  const offline = { paymentMethod: 'offline', lines: letterLines };

  it('pauses the unpaid calendar while finance verifies, reminds finance, and leaves the buyer time to pay again', async () => {
    const { deps, poId, read, told } = await placed(offline);
    deps.clock.advance(5 * DAY);
    await changePurchaseOrder(deps, poId, { type: 'submit_payment', amount: 99000, reference: 'WIRE-5' }, { actor: 'checkout', at: deps.clock.now() });
    // Finance is reminded two days later (policy.offline.verifyReminderDays), once.
    expect(workflowView(await read(), deps.clock.now()).waitSeconds).toBe(2 * DAY);
    deps.clock.advance(2 * DAY);
    await paymentCalendar(deps, { poId });
    await paymentCalendar(deps, { poId });
    const reminders = (await told()).filter((mail) => mail.key === 'verify-reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ to: ['finance@seller.example'], subject: expect.stringContaining('waiting 2 days for verification') });

    // Day 31: finance rejects. Nothing of the buyer's calendar fires at once.
    deps.clock.advance(24 * DAY);
    await changePurchaseOrder(deps, poId, { type: 'verify_payment', decision: 'reject', reason: 'not on our account' }, { actor: 'finance', at: deps.clock.now() });
    await paymentCalendar(deps, { poId });
    expect(await read()).toMatchObject({ status: 'payment_rejected', payment: { calendarDone: [expect.stringMatching(/^verify-/)] } });
    // The 26 days of verification do not count: the 7-day reminder is due on day 33.
    expect(workflowView(await read(), deps.clock.now()).waitSeconds).toBe(2 * DAY);
    deps.clock.advance(2 * DAY);
    await paymentCalendar(deps, { poId });
    expect((await read()).history.at(-1)).toMatchObject({ type: 'remind_unpaid', data: { reminder: 'unpaid-7' } });
  });

  it('a report rejected on the last day still leaves the buyer a reminder’s worth of days before the cancellation', async () => {
    const { deps, poId, read } = await placed(offline);
    deps.clock.advance(29 * DAY);
    await paymentCalendar(deps, { poId }); // reminders 7 and 14
    await changePurchaseOrder(deps, poId, { type: 'submit_payment', amount: 99000, reference: 'WIRE-29' }, { actor: 'checkout', at: deps.clock.now() });
    deps.clock.advance(DAY);
    await changePurchaseOrder(deps, poId, { type: 'verify_payment', decision: 'reject' }, { actor: 'finance', at: deps.clock.now() });
    // Day 31 would have been the cancellation (30 days + 1 day paused); it comes 7 days after the rejection.
    deps.clock.advance(DAY);
    await paymentCalendar(deps, { poId });
    expect((await read()).status).toBe('payment_rejected');
    expect(workflowView(await read(), deps.clock.now()).waitSeconds).toBe(6 * DAY);
    deps.clock.advance(6 * DAY);
    await paymentCalendar(deps, { poId });
    expect((await read()).status).toBe('cancelled');
  });
});

describe('3. a short payment accepted before delivery', () => {
  it('stays awaiting payment, shows part paid, and tells the buyer what arrived and what remains', async () => {
    const { deps, poId, read, told } = await placed({ paymentMethod: 'offline', lines: letterLines });
    await changePurchaseOrder(deps, poId, { type: 'submit_payment', amount: 40000, reference: 'WIRE-1' }, { actor: 'checkout', at: deps.clock.now() });
    await changePurchaseOrder(deps, poId, { type: 'verify_payment', decision: 'accept' }, { actor: 'finance', at: deps.clock.now() });
    expect(await read()).toMatchObject({ status: 'awaiting_payment', payment: { status: 'partially_paid', amountPaid: 40000 } });
    const mail = (await told()).find((m) => m.key === 'part-payment')!;
    expect(mail.to).toEqual(['buyer@acme.example']);
    expect(mail.subject).toBe('PO-2026-000001: part payment received - $590.00 still to pay');
    expect(mail.text).toContain('We have received $400.00');
    expect(mail.text).toContain('DE89 3704 0044 0532 0130 00');
  });
});

describe('4. what is owed back', () => {
  it('the API and the console show the refund of a PO cancelled after a part payment', async () => {
    const { deps, poId, read } = await placed({ paymentMethod: 'offline', lines: letterLines });
    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 25000, reference: 'WIRE-1' }, { actor: 'finance', at: deps.clock.now() });
    expect(presentPurchaseOrder(await read()).payment.status).toBe('partially_paid');
    await changePurchaseOrder(deps, poId, { type: 'cancel', reason: 'customer withdrew' }, { actor: 'finance', at: deps.clock.now() });
    expect(presentPurchaseOrder(await read()).payment).toMatchObject({ refundDue: 25000, amountPaid: 25000 });
    const page = poPage({ base: '/console', title: 'x', session: { email: 'f@seller.example', role: 'finance', csrf: 'c' } }, await read(), []);
    expect(page).toContain('<dt>To refund</dt><dd>$250.00</dd>');
  });
});

describe('7. notices that fit the order', () => {
  it('a PO held only by credit control does not ask the buyer for a letter', async () => {
    const { told } = await placed({}, (deps) => {
      deps.policies.policy = { ...deps.policies.policy, trustedCustomers: ['cust-1'], customers: { 'cust-1': { creditLimit: { amount: 10000, currency: 'USD' } } } };
    });
    const mail = (await told()).find((m) => m.key === 'po-received')!;
    expect(mail.subject).toBe('PO-2026-000001: we have received your purchase order');
    expect(mail.text).not.toMatch(/letterhead/);
  });

  it('a cart PO under review asks for the letter, by email, fax (the seller has one) or post', async () => {
    const { told } = await placed();
    const mail = (await told()).find((m) => m.key === 'po-received')!;
    expect(mail.text).toContain('Fax +49 221 555 0199, or post: send a signed confirmation on company letterhead');
  });

  it('when the buyer cancels, finance is told too', async () => {
    const { deps, poId, told } = await placed();
    await changePurchaseOrder(deps, poId, { type: 'cancel', reason: 'ordered twice' }, { actor: 'checkout', at: deps.clock.now() });
    const mails = await told();
    expect(mails.find((m) => m.key === 'cancelled')!.to).toEqual(['buyer@acme.example']);
    expect(mails.find((m) => m.key === 'cancelled-by-buyer')).toMatchObject({ to: ['finance@seller.example'], subject: 'PO-2026-000001: cancelled by the buyer' });
  });
});

describe('8. a review nobody decides', () => {
  it('reminds the reviewers halfway, then tells finance and the escalation reviewer a day before it expires', async () => {
    const { deps, poId, read, told } = await placed({}, (deps) => {
      deps.policies.policy = { ...deps.policies.policy, reviewEscalationEmail: 'head-of-sales@seller.example' };
    });
    deps.clock.advance(7 * DAY);
    await reviewTimer(deps, { poId });
    expect((await read()).review.reminded).toBe(true);
    deps.clock.advance(6 * DAY);
    await reviewTimer(deps, { poId });
    expect(await read()).toMatchObject({ status: 'awaiting_review', review: { escalated: true } });
    const mails = await told();
    expect(mails.filter((m) => m.key.startsWith('review-reminder')).map((m) => m.to)).toEqual([['reviews@seller.example']]);
    const escalated = mails.filter((m) => m.key.startsWith('review-escalated'));
    expect(escalated.map((m) => m.to)).toEqual([['finance@seller.example'], ['head-of-sales@seller.example']]);
    expect(escalated[0]!.text).toContain(`https://po.seller.example/console/po/${poId}`);
    expect(escalated[1]!.text).toMatch(/\/reviews\/[^?]+\?token=/);
    expect((await deps.pos.needingAttention(10)).map((po) => po.id)).toEqual([poId]);
    const page = poPage({ base: '/console', title: 'x', session: { email: 'f@seller.example', role: 'finance', csrf: 'c' } }, await read(), ['approve', 'reject']);
    expect(page).toContain('The review closes 2026-03-16 10:00 UTC and nobody has decided yet.');
  });
});

describe('a prepayment PO released and paid in part', () => {
  it('keeps its proforma calendar and says part paid', async () => {
    const { deps, poId, read } = await placed({ delivery: 'prepayment' });
    await changePurchaseOrder(deps, poId, { type: 'approve' }, { actor: 'finance', at: deps.clock.now() });
    await issueProforma(deps, { poId });
    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 10000, reference: 'W1' }, { actor: 'finance', at: deps.clock.now() });
    expect(await read()).toMatchObject({ status: 'awaiting_payment', payment: { status: 'partially_paid', amountPaid: 10000 } });
  });
});
