import { describe, expect, it } from 'vitest';
import { changePurchaseOrder, reconcile } from '../../functions/app/change.js';
import { placeOrder } from '../../functions/app/place.js';
import { awaitChange, fulfil, handOver, issueCreditNote, issueProforma, notify, paymentCalendar, reviewTimer } from '../../functions/app/tasks.js';
import { nextGeneration } from '../../functions/adapters/workflow-client.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { exampleSellerProfile } from '../../functions/domain/seller.js';
import { approvedOnFakes, sampleOrder } from '../support/fakes.js';
import { pdfText } from '../support/pdf-text.js';

const approved = approvedOnFakes;

describe('release (fulfil)', () => {
  it('issues a numbered invoice PDF, delivers licence keys, and emails both to the buyer', async () => {
    const { deps, poId } = await approved();
    const out = await fulfil(deps, { poId });
    expect(out).toMatchObject({ status: 'ordered', next: 'await_payment' });
    await notify(deps, { poId, notifiedVersion: 0 });
    const po = (await deps.pos.get(poId))!.po;
    expect(po.documents).toEqual([expect.objectContaining({ type: 'invoice', number: 'INV-2026-000001', total: 29700, dueDate: '2026-04-01' })]);
    expect(po.licences![0]!.keys).toHaveLength(3);

    const mail = deps.mailer.sent.find((s) => s.key.endsWith('-invoice'))!.email;
    expect(mail.to).toEqual(['buyer@acme.example']);
    expect(mail.subject).toBe('PO-2026-000001: your order is released - invoice INV-2026-000001');
    for (const key of po.licences![0]!.keys) expect(mail.text).toContain(key);
    expect(mail.attachments![0]).toMatchObject({ filename: 'INV-2026-000001.pdf', contentType: 'application/pdf' });

    const text = await pdfText(mail.attachments![0]!.content);
    for (const expected of ['INV-2026-000001', 'ACME-4711', 'PO-2026-000001', 'Acme Corp', '$297.00', '2026-04-01', exampleSellerProfile.bank.iban]) {
      expect(text).toContain(expected);
    }
  });

  it('run twice, issues one invoice, one set of keys, one email', async () => {
    const { deps, poId } = await approved();
    await fulfil(deps, { poId });
    await notify(deps, { poId, notifiedVersion: 0 });
    const first = (await deps.pos.get(poId))!.po;
    await fulfil(deps, { poId });
    await notify(deps, { poId, notifiedVersion: 0 });
    const second = (await deps.pos.get(poId))!.po;
    expect(second.documents).toEqual(first.documents);
    expect(second.licences).toEqual(first.licences);
    expect(second.version).toBe(first.version);
    expect(deps.mailer.sent.filter((s) => s.key.endsWith('-invoice'))).toHaveLength(1);
    expect(deps.documents.items.size).toBe(1);
  });
});

describe('waiting and telling', () => {
  it('a parked wait is released by the next change, with the new view', async () => {
    const { deps, poId } = await approved();
    const view = await fulfil(deps, { poId });
    await awaitChange(deps, { poId, token: 'pay-token', seenVersion: view.version });
    expect(deps.workflow.signals).toEqual([]);
    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 29700, reference: 'WIRE-1' }, { actor: 'finance', at: deps.clock.now() });
    expect(deps.workflow.signals).toEqual([{ token: 'pay-token', output: expect.objectContaining({ status: 'completed' }) }]);
  });

  it('a signal Step Functions refuses is not lost: the change stands, and the reconciler wakes the wait', async () => {
    const { deps, poId } = await approved();
    const view = await fulfil(deps, { poId });
    await awaitChange(deps, { poId, token: 'pay-token', seenVersion: view.version });
    deps.workflow.refuseNext = 1;
    const paid = await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 29700, reference: 'WIRE-1' }, { actor: 'finance', at: deps.clock.now() });
    expect(paid.status).toBe('completed');
    expect(deps.workflow.signals).toEqual([]);
    // Within its grace period the signal is left to the change that owes it; after it, it is sent.
    expect(await reconcile(deps)).toEqual({ found: 0, woken: 0, handedOver: 0, indexed: 0, counted: 0, kept: 0 });
    deps.clock.advance(61);
    expect(await reconcile(deps)).toEqual({ found: 1, woken: 1, handedOver: 0, indexed: 0, counted: 0, kept: 0 });
    expect(deps.workflow.signals).toEqual([{ token: 'pay-token', output: expect.objectContaining({ status: 'completed', next: 'completed' }) }]);
    // Sent once: the next run finds nothing.
    expect(await reconcile(deps)).toEqual({ found: 0, woken: 0, handedOver: 0, indexed: 0, counted: 0, kept: 0 });
  });

  it('a reconciler that fails to signal leaves the signal owed for its next run', async () => {
    const { deps, poId } = await approved();
    const view = await fulfil(deps, { poId });
    await awaitChange(deps, { poId, token: 'pay-token', seenVersion: view.version });
    deps.workflow.refuseNext = 2;
    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 100, reference: 'WIRE-1' }, { actor: 'finance', at: deps.clock.now() });
    deps.clock.advance(120);
    expect(await reconcile(deps)).toEqual({ found: 1, woken: 0, handedOver: 0, indexed: 0, counted: 0, kept: 0 });
    // Another change meanwhile: the owed signal carries the PO as it is when it is finally sent.
    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 29600, reference: 'WIRE-2' }, { actor: 'finance', at: deps.clock.now() });
    expect(await reconcile(deps)).toEqual({ found: 1, woken: 1, handedOver: 0, indexed: 0, counted: 0, kept: 0 });
    expect(deps.workflow.signals).toEqual([{ token: 'pay-token', output: expect.objectContaining({ status: 'completed' }) }]);
  });

  it('an execution waiting for almost a year is handed over: woken with "handover", its successor named after it', async () => {
    const { deps, poId } = await approved();
    const view = await fulfil(deps, { poId });
    const startedAt = deps.clock.now().toISOString();
    await awaitChange(deps, { poId, token: 'pay-token', seenVersion: view.version, startedAt });
    deps.clock.advance(354 * 86_400);
    expect((await reconcile(deps)).handedOver).toBe(0);
    deps.clock.advance(2 * 86_400);
    expect((await reconcile(deps)).handedOver).toBe(1);
    expect(deps.workflow.signals).toEqual([{ token: 'pay-token', output: expect.objectContaining({ status: 'ordered', next: 'handover' }) }]);

    // The woken execution starts its successor (twice, as a retry would: once), which routes on the PO as it is.
    expect(await handOver(deps, { poId, execution: poId })).toEqual({ successor: `${poId}-next` });
    await handOver(deps, { poId, execution: poId });
    expect(deps.workflow.handedOver).toEqual([{ poId, from: poId, input: expect.objectContaining({ poId, po: expect.objectContaining({ next: 'await_payment' }) }) }]);
    // Once the successor parks, it is a year from its own start.
    await awaitChange(deps, { poId, token: 'pay-token-2', seenVersion: view.version, startedAt: deps.clock.now().toISOString() });
    expect((await reconcile(deps)).handedOver).toBe(0);
  });

  it('names each execution after the one it follows', () => {
    expect(nextGeneration('PO1', 'PO1')).toBe('PO1-r2');
    expect(nextGeneration('PO1', 'PO1-r2')).toBe('PO1-r3');
    expect(() => nextGeneration('PO1', 'PO2')).toThrow(/not one of/);
  });

  it('notify tells each change once, however often it runs', async () => {
    const { deps, poId } = await approved();
    await fulfil(deps, { poId });
    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 29700, reference: 'WIRE-1' }, { actor: 'finance', at: deps.clock.now() });
    expect(await notify(deps, { poId, notifiedVersion: 0 })).toBe(5);
    expect(await notify(deps, { poId, notifiedVersion: 0 })).toBe(5);
    const receipts = deps.mailer.sent.filter((s) => s.email.subject === 'PO-2026-000001: payment received, thank you');
    expect(receipts).toHaveLength(1);
  });

  it('review expiry cancels an undecided PO, but yields to a decision that won the race', async () => {
    const { deps, poId } = await approved();
    deps.clock.advance(15 * 86_400);
    expect(await reviewTimer(deps, { poId })).toMatchObject({ status: 'ordered' });
    const { po } = await placeOrder(deps, 'k2', 'h2', orderRequestSchema.parse(sampleOrder));
    expect(await reviewTimer(deps, { poId: po.id })).toMatchObject({ status: 'awaiting_review' }); // placed just now
    deps.clock.advance(15 * 86_400);
    expect(await reviewTimer(deps, { poId: po.id })).toMatchObject({ status: 'cancelled' });
    await notify(deps, { poId: po.id, notifiedVersion: 1 });
    expect(deps.mailer.sent.some((s) => s.poId === po.id && s.email.subject.endsWith('your purchase order has expired'))).toBe(true);
  });

});

describe('the payment calendar', () => {
  it('reminds before the due date, marks overdue at it, reminds after it, and cancels with a credit note', async () => {
    const { deps, poId } = await approved();
    deps.policies.policy.reminders.autoCancelAfterDueDays = 30;
    const po = (await deps.pos.get(poId))!.po;
    po.calendar = { beforeDueDays: [7], afterDueDays: [7, 14], autoCancelAfterDueDays: 30 };
    deps.pos.items.get(poId)!.po = po;
    let view = await fulfil(deps, { poId });
    // Approved 2026-03-02 10:00, due 2026-04-01: the first reminder falls on 2026-03-25 00:00.
    expect(view.waitSeconds).toBe(Math.ceil((Date.parse('2026-03-25T00:00:00Z') - deps.clock.now().getTime()) / 1000));
    const subjects = () => deps.mailer.sent.map((s) => s.email.subject);
    let told = 0;
    const step = async (to: string) => {
      deps.clock.current = new Date(to);
      view = await paymentCalendar(deps, { poId });
      told = await notify(deps, { poId, notifiedVersion: told });
      return view;
    };

    expect(await step('2026-03-25T08:00:00Z')).toMatchObject({ status: 'ordered' });
    expect(subjects()).toContain('PO-2026-000001: payment due on 2026-04-01 - invoice INV-2026-000001');
    expect(await step('2026-04-02T00:00:01Z')).toMatchObject({ status: 'overdue' });
    expect(subjects()).toContain('PO-2026-000001: payment overdue - invoice INV-2026-000001');
    await step('2026-04-09T00:00:01Z');
    expect(subjects()).toContain('PO-2026-000001: reminder - payment overdue since 2026-04-01');
    // Running the same dates again sends nothing new.
    const count = deps.mailer.sent.length;
    await step('2026-04-09T00:00:02Z');
    expect(deps.mailer.sent.length).toBe(count);

    expect(await step('2026-05-02T00:00:01Z')).toMatchObject({ status: 'cancelled', next: 'credit_note' });
    expect(await issueCreditNote(deps, { poId })).toMatchObject({ next: 'cancelled' });
    await notify(deps, { poId, notifiedVersion: told });
    const note = deps.mailer.sent.find((s) => s.key.endsWith('-credit-note'))!.email;
    expect(note.subject).toBe('PO-2026-000001: credit note CN-2026-000001 for invoice INV-2026-000001');
    const text = await pdfText(note.attachments![0]!.content);
    expect(text).toContain('CREDIT NOTE');
    expect(text).toContain('-$297.00');
    expect(text).toContain('cancels invoice INV-2026-000001');
  });

  it('a payment stops the calendar', async () => {
    const { deps, poId } = await approved();
    await fulfil(deps, { poId });
    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 29700, reference: 'W' }, { actor: 'finance', at: deps.clock.now() });
    deps.clock.current = new Date('2026-06-01T00:00:00Z');
    expect(await paymentCalendar(deps, { poId })).toMatchObject({ status: 'completed' });
    expect((await deps.pos.get(poId))!.po.payment.calendarDone).toEqual([]);
  });
});

describe('prepayment', () => {
  it('issues a proforma on release, then the invoice with the delivery once paid', async () => {
    const { deps, poId } = await approved({ ...sampleOrder, delivery: 'prepayment' });
    expect(await issueProforma(deps, { poId })).toMatchObject({ status: 'awaiting_payment', next: 'await_prepayment' });
    await notify(deps, { poId, notifiedVersion: 0 });
    const proforma = deps.mailer.sent.find((s) => s.key.endsWith('-proforma'))!.email;
    expect(proforma.attachments![0]!.filename).toBe('PRO-2026-000001.pdf');
    expect(await pdfText(proforma.attachments![0]!.content)).toContain('PROFORMA INVOICE');
    expect((await deps.pos.get(poId))!.po.licences).toBeNull();

    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 29700, reference: 'PRE-1' }, { actor: 'finance', at: deps.clock.now() });
    expect(await fulfil(deps, { poId })).toMatchObject({ status: 'completed', next: 'completed' });
    await notify(deps, { poId, notifiedVersion: 0 });
    const final = deps.mailer.sent.find((s) => s.key.endsWith('-invoice'))!.email;
    expect(final.subject).toBe('PO-2026-000001: payment received - invoice INV-2026-000001 and your delivery');
    expect(await pdfText(final.attachments![0]!.content)).toContain('Paid in full');
  });
});
