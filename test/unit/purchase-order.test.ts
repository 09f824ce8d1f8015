import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceConflict, RuleViolation, TransitionError } from '../../functions/domain/errors.js';
import { orderRequestSchema, type OrderRequest } from '../../contract/order-request.js';
import { defaultPolicy, policySchema, type Policy } from '../../contract/policy.js';
import { apply, decidePlacement, placePurchaseOrder, sizeLimits, terminalStatuses, utf8Bytes, type Action, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { statuses, type Actor } from '../../contract/purchase-order.js';
import { noticesFor } from '../../functions/notices/catalogue.js';
import { nextStep, workflowView } from '../../functions/domain/workflow-view.js';
import { nextSteps } from '../../contract/execution.js';
import { sampleOrder } from '../support/fakes.js';

const at = new Date('2026-03-02T10:00:00Z');
const order = (overrides: Partial<OrderRequest> = {}): OrderRequest => orderRequestSchema.parse({ ...sampleOrder, ...overrides });
const place = (overrides: Partial<OrderRequest> = {}, policy: Policy = defaultPolicy): PurchaseOrder =>
  placePurchaseOrder({ id: 'PO1', reference: 'PO-2026-000001', order: order(overrides), policy, actor: 'checkout', at });

describe('placing a purchase order', () => {
  it('prices lines exactly and waits for review by default', () => {
    const po = place();
    expect(po.total).toBe(29700);
    expect(po.lines[0]!.amount).toBe(29700);
    expect(po.status).toBe('awaiting_review');
    expect(po.review.required).toBe(true);
    expect(po.payment).toMatchObject({ status: 'not_due', amountDue: 29700, amountPaid: 0, dueDate: null });
    expect(po.history).toEqual([
      { at: at.toISOString(), type: 'placed', from: null, to: 'awaiting_review', actor: 'checkout', by: { type: 'key', name: 'checkout' }, data: { channel: 'cart', paymentMethod: 'purchase_order', total: 29700 }, detail: 'cart purchase_order' },
    ]);
  });

  it('skips the review for trusted customers', () => {
    const po = place({}, { ...defaultPolicy, trustedCustomers: ['cust-1'] });
    expect(po.status).toBe('ordered');
    expect(po.review.required).toBe(false);
  });

  it('refuses a cart PO below the minimum for its currency', () => {
    const small = { lines: [{ sku: 'A', description: 'a', quantity: 1, unitAmount: 14999, fulfilment: 'digital' as const }] };
    expect(() => place(small)).toThrow(RuleViolation);
    expect(() => place(small)).toThrow(/at least 15000/);
    expect(() => place({ currency: 'EUR' })).toThrow(/not offered in the cart for EUR/);
  });

  it('rejects malformed money at the schema: floats, strings, unknown currencies', () => {
    const bad = [
      { ...sampleOrder, lines: [{ ...sampleOrder.lines[0], unitAmount: 99.5 }] },
      { ...sampleOrder, lines: [{ ...sampleOrder.lines[0], unitAmount: '9900' }] },
      { ...sampleOrder, currency: 'ABC' },
      { ...sampleOrder, lines: [] },
    ];
    for (const body of bad) expect(orderRequestSchema.safeParse(body).success).toBe(false);
  });

  it('decides the route of every payment method', () => {
    expect(decidePlacement(order({ paymentMethod: 'offline' }), 29700, defaultPolicy).status).toBe('awaiting_payment');
    expect(decidePlacement(order({ paymentMethod: 'deferred' }), 29700, defaultPolicy).status).toBe('deferred');
    expect(decidePlacement(order({ paymentMethod: 'online', onlinePayment: { reference: 'ch_1', amount: 29700 } }), 29700, defaultPolicy).status).toBe('ordered');
    expect(() => decidePlacement(order({ paymentMethod: 'online', onlinePayment: { reference: 'ch_1', amount: 100 } }), 29700, defaultPolicy)).toThrow(RuleViolation);
  });
});

describe('the review', () => {
  it('approval of an instant PO orders it and starts the payment terms', () => {
    const po = apply(place(), { type: 'approve', comment: 'letterhead checked' }, { actor: 'reviewer', at });
    expect(po.status).toBe('ordered');
    expect(po.payment).toMatchObject({ status: 'unpaid', dueDate: '2026-04-01' });
    expect(po.review).toMatchObject({ decision: 'approved', decidedBy: 'reviewer', comment: 'letterhead checked' });
    expect(po.history.at(-1)).toMatchObject({ type: 'approve', from: 'awaiting_review', to: 'ordered', actor: 'reviewer' });
    expect(po.version).toBe(2);
  });

  it('only one decision ever counts', () => {
    const approved = apply(place(), { type: 'approve' }, { actor: 'reviewer', at });
    expect(() => apply(approved, { type: 'reject' }, { actor: 'finance', at })).toThrow(TransitionError);
    expect(() => apply(approved, { type: 'approve' }, { actor: 'finance', at })).toThrow(/cannot approve a purchase order that is ordered/);
  });

  it('rejection and expiry end the PO', () => {
    expect(apply(place(), { type: 'reject' }, { actor: 'reviewer', at }).status).toBe('rejected');
    expect(apply(place(), { type: 'expire_review' }, { actor: 'system', at }).status).toBe('cancelled');
  });
});

describe('payments', () => {
  const ordered = () => apply(place(), { type: 'approve' }, { actor: 'reviewer', at });
  const pay = (po: PurchaseOrder, amount: number, reference: string) => apply(po, { type: 'record_payment', amount, reference }, { actor: 'finance', at });
  const delivered = (po: PurchaseOrder) => apply(po, { type: 'deliver_digital', licences: [{ sku: 'LIC-PRO', description: 'x', keys: ['A'] }] }, { actor: 'system', at });

  it('partial payments accumulate; the full amount completes a delivered PO', () => {
    let po = delivered(ordered());
    po = pay(po, 10000, 'W1');
    expect(po).toMatchObject({ status: 'ordered', payment: { amountPaid: 10000, status: 'partially_paid' } });
    po = pay(po, 19700, 'W2');
    expect(po).toMatchObject({ status: 'completed', payment: { amountPaid: 29700, status: 'paid' } });
  });

  it('is not completed before the delivery, and completes when delivery follows', () => {
    const paid = pay(ordered(), 29700, 'W1');
    expect(paid.status).toBe('ordered');
    expect(delivered(paid).status).toBe('completed');
  });

  it('refuses more than is outstanding, and counts a reference once', () => {
    const po = pay(ordered(), 10000, 'W1');
    expect(() => pay(po, 19701, 'W2')).toThrow(/exceeds the amount outstanding \(19700\)/);
    expect(pay(po, 10000, 'W1')).toBe(po);
  });

  it('is refused before release', () => {
    expect(() => pay(place(), 100, 'W1')).toThrow(TransitionError);
  });
});

describe('the lifecycle as a whole (model-based)', () => {
  /**
   * The moves the seeds allow, written out as a specification: Cleverbridge's review and release,
   * Shopbay's unpaid -> submitted -> rejected/ordered loop, disputes, cancellations, completion.
   */
  const allowedMoves = new Set([
    'awaiting_review>ordered', 'awaiting_review>awaiting_payment', 'awaiting_review>rejected', 'awaiting_review>cancelled',
    'awaiting_payment>payment_submitted', 'awaiting_payment>ordered', 'awaiting_payment>completed', 'awaiting_payment>cancelled', 'awaiting_payment>awaiting_review',
    'payment_submitted>ordered', 'payment_submitted>completed', 'payment_submitted>awaiting_payment', 'payment_submitted>payment_rejected',
    'payment_submitted>disputed', 'payment_submitted>cancelled',
    'payment_rejected>payment_submitted', 'payment_rejected>disputed', 'payment_rejected>cancelled', 'payment_rejected>ordered', 'payment_rejected>completed', 'payment_rejected>awaiting_payment',
    'disputed>ordered', 'disputed>completed', 'disputed>cancelled',
    'ordered>overdue', 'ordered>completed', 'ordered>cancelled',
    'overdue>ordered', 'overdue>completed', 'overdue>cancelled',
    'deferred>completed', 'deferred>cancelled', 'deferred>overdue',
  ]);
  const anyActor = fc.constantFrom<Actor>('checkout', 'finance', 'reviewer', 'system');
  // Mostly the role that would take the action, sometimes any role (which the domain must refuse).
  const fitting: Record<Action['type'], Actor[]> = {
    approve: ['reviewer', 'finance'], reject: ['reviewer', 'finance'], expire_review: ['system'], remind_review: ['system'], mark_overdue: ['system'],
    deliver_digital: ['system'], issue_document: ['system'], submit_payment: ['checkout'], verify_payment: ['finance'],
    resolve_dispute: ['finance'], record_payment: ['finance'], convert_to_purchase_order: ['finance'], update_shipping: ['finance'],
    cancel: ['checkout', 'finance'], dispute: ['checkout', 'finance'], remind: ['system'], auto_cancel: ['system'], remind_unpaid: ['system'], cancel_unpaid: ['system'], attach: ['checkout', 'finance'],
    flag_attention: ['system'], resume: ['finance'], email_failed: ['system'], send_einvoice: ['system'], escalate_review: ['system'], remind_verify: ['system'],
  };
  const actorFor = (action: Action) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fitting[action.type]) }, { weight: 1, arbitrary: anyActor });
  const amount = fc.oneof(fc.constantFrom(29700, 30000, 10000, 19700, 20000), fc.integer({ min: -5, max: 40000 }));
  const ref = fc.constantFrom('A', 'B', 'C', 'D');
  const actions: fc.Arbitrary<Action> = fc.oneof(
    fc.constantFrom<Action>({ type: 'approve' }, { type: 'reject' }, { type: 'expire_review' }, { type: 'remind_review' }, { type: 'mark_overdue' }, { type: 'cancel' }, { type: 'dispute' }, { type: 'escalate_review' }, { type: 'remind_verify' }),
    fc.constantFrom<Action>({ type: 'remind', event: 'before-7' }, { type: 'remind', event: 'after-7' }, { type: 'auto_cancel', event: 'cancel-30' }),
    fc.constantFrom<Action>({ type: 'remind_unpaid', event: 'unpaid-7' }, { type: 'cancel_unpaid', event: 'unpaid-cancel-30' }, { type: 'remind_unpaid', event: 'unpaid-99' }),
    fc.record({ type: fc.constant('record_payment' as const), amount, reference: ref }),
    fc.record({ type: fc.constant('submit_payment' as const), amount, reference: ref }),
    fc.record({ type: fc.constant('verify_payment' as const), decision: fc.constantFrom('accept' as const, 'reject' as const) }),
    fc.record({ type: fc.constant('resolve_dispute' as const), outcome: fc.constantFrom('accept_payment' as const, 'cancel' as const) }),
    fc.constant<Action>({ type: 'convert_to_purchase_order', delivery: 'instant', paymentTermsDays: 30, reviewTimeoutDays: 14, reviewReminderDays: null, approvalRules: [], rules: defaultPolicy }),
    fc.record({ type: fc.constant('update_shipping' as const), shippingOrderId: fc.constantFrom('SO-1', 'SO-2'), status: fc.constantFrom('shipped' as const, 'delivered' as const) }),
    fc.constant<Action>({ type: 'deliver_digital', licences: [{ sku: 'LIC-PRO', description: 'x', keys: ['K'] }] }),
    fc.constant<Action>({ type: 'attach', attachment: { id: 'A1', contentType: 'application/pdf', size: 1000, filename: 'po.pdf', at: at.toISOString() } }),
    fc.record({ type: fc.constant('flag_attention' as const), step: fc.constantFrom('Notify', 'Deliver and invoice'), reason: fc.constantFrom('SendingPausedException', 'Error: boom') }),
    fc.constant<Action>({ type: 'resume' }),
    fc.record({ type: fc.constant('email_failed' as const), key: fc.constantFrom('3-cancelled', '5-overdue'), notice: fc.constant('cancelled'), audience: fc.constantFrom('buyer' as const, 'finance' as const), to: fc.constant<string[]>(['ap@acme.example']), reason: fc.constant('MessageRejected') }),
    fc.record({ type: fc.constant('send_einvoice' as const), number: fc.constantFrom('INV-2026-000001', 'CN-2026-000001'), receiver: fc.constant('0208:0123456749'), outcome: fc.constantFrom('sent' as const, 'refused' as const), reason: fc.constantFrom(null, 'unknown receiver') }),
  );
  const starts = fc.constantFrom<Partial<OrderRequest>>(
    {},
    { delivery: 'prepayment' },
    { paymentMethod: 'offline' },
    { paymentMethod: 'deferred', shippingAddress: sampleOrder.billingAddress, lines: [{ sku: 'BOX', description: 'box', quantity: 2, unitAmount: 15000, fulfilment: 'physical', seller: 's1' }] },
    { paymentMethod: 'online', onlinePayment: { reference: 'ch_1', amount: 29700 } },
  );
  const moves = new Set<string>();

  // 3,000 sequences take about 13 s alone; with the end-to-end stacks sharing two cores, several times that.
  it('no sequence of actions reaches a state the lifecycle forbids, and a refused action changes nothing', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(starts, fc.array(actions.chain((action) => actorFor(action).map((actor) => [action, actor] as const)), { minLength: 5, maxLength: 40, size: 'max' }), (start, sequence) => {
        let po = place(start);
        for (const [action, actor] of sequence) {
          const before = structuredClone(po);
          try {
            po = apply(po, action, { actor, at });
          } catch (error) {
            expect(error instanceof TransitionError || error instanceof RuleViolation || error instanceof ReferenceConflict).toBe(true);
            expect(po).toEqual(before);
            continue;
          }
          if (po.version === before.version) {
            expect(po).toEqual(before); // an idempotent repeat
            continue;
          }
          if (po.status !== before.status) {
            moves.add(`${before.status}>${po.status}`);
            expect(allowedMoves).toContain(`${before.status}>${po.status}`);
          }
          expect(statuses).toContain(po.status);
          expect(terminalStatuses.has(before.status) && po.status !== before.status).toBe(false);
          expect(po.payment.amountPaid).toBeLessThanOrEqual(po.payment.amountDue);
          expect(po.payment.amountPaid).toBe(po.payment.records.reduce((a, r) => a + r.amount, 0));
          if (po.status === 'completed') {
            expect(po.payment.status).toBe('paid');
            expect(po.shippingOrders.every((so) => so.status === 'delivered')).toBe(true);
          }
          if (['ordered', 'deferred', 'overdue', 'completed'].includes(po.status) && po.lines.some((l) => l.fulfilment === 'physical')) {
            expect(po.shippingOrders.length).toBeGreaterThan(0);
          }
          expect(po.history.length).toBe(po.version);
          const latest = po.history.at(-1)!;
          expect(latest).toMatchObject({ from: before.status, to: po.status, actor, type: action.type, data: expect.any(Object) });
          // Who is told follows from the entry's type and data: rewording its sentence changes nothing.
          const names = (entry: typeof latest) => noticesFor(entry, po).map((notice) => `${notice.to}:${notice.name}`);
          expect(names({ ...latest, detail: 'reworded entirely' })).toEqual(names(latest));
          expect(names({ ...latest, detail: undefined } as typeof latest)).toEqual(names(latest));
          // The workflow's next step follows from the status, and an end state is one of its ends.
          const next = nextStep(po);
          expect(nextSteps).toContain(next);
          // A failed step holds the workflow until finance resumes it or a decision moves the PO.
          if (action.type === 'flag_attention') expect(po.attention).toMatchObject({ step: action.step, reason: action.reason });
          if (action.type === 'resume' || po.status !== before.status) expect(po.attention ?? null).toBeNull();
          if (po.attention) expect(next).toBe('attention');
          else if (terminalStatuses.has(po.status)) expect(['completed', 'rejected', 'cancelled', 'credit_note']).toContain(next);
          else expect(['completed', 'rejected', 'cancelled', 'credit_note']).not.toContain(next);
        }
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the lifecycle broadly, not only its first steps.
    expect(moves.size).toBeGreaterThanOrEqual(24);
  });

  it('computes the next step from the PO: review, proforma, prepayment, fulfilment, payment, credit note, the end', () => {
    const po = place();
    expect(nextStep(po)).toBe('review');
    const ordered = apply(po, { type: 'approve' }, { actor: 'reviewer', at });
    expect(nextStep(ordered)).toBe('fulfil');
    const invoice = { id: 'INV-1', type: 'invoice' as const, number: 'INV-1', issuedAt: at.toISOString(), total: 29700, dueDate: null };
    const invoiced = apply(apply(ordered, { type: 'deliver_digital', licences: [] }, { actor: 'system', at }), { type: 'issue_document', document: invoice }, { actor: 'system', at });
    expect(nextStep(invoiced)).toBe('await_payment');
    const cancelled = apply(invoiced, { type: 'cancel' }, { actor: 'finance', at });
    expect(nextStep(cancelled)).toBe('credit_note');
    const credited = apply(cancelled, { type: 'issue_document', document: { ...invoice, id: 'CN-1', type: 'credit_note', number: 'CN-1' } }, { actor: 'system', at });
    expect(nextStep(credited)).toBe('cancelled');
    expect(nextStep(apply(place(), { type: 'cancel' }, { actor: 'checkout', at }))).toBe('cancelled');
    expect(nextStep(apply(place(), { type: 'reject' }, { actor: 'reviewer', at }))).toBe('rejected');
    const prepaid = apply(place({ delivery: 'prepayment' }), { type: 'approve' }, { actor: 'reviewer', at });
    expect(nextStep(prepaid)).toBe('proforma');
    const proforma = apply(prepaid, { type: 'issue_document', document: { ...invoice, id: 'PRO-1', type: 'proforma', number: 'PRO-1' } }, { actor: 'system', at });
    expect(nextStep(proforma)).toBe('await_prepayment');
    expect(nextStep(apply(proforma, { type: 'record_payment', amount: 29700, reference: 'W' }, { actor: 'finance', at }))).toBe('fulfil');
  });

  it('gives the workflow what it routes on, and how long its next wait may last', () => {
    const po = place();
    // The reviewers' reminder comes halfway to the 14-day deadline (the default).
    expect(workflowView(po, at)).toEqual({ status: 'awaiting_review', version: 1, next: 'review', waitSeconds: 7 * 86400 });
    const ordered = apply(po, { type: 'approve' }, { actor: 'reviewer', at });
    // Due 30 days after approval (2026-04-01); the first calendar date is the reminder 7 days before it.
    expect(workflowView(ordered, at)).toMatchObject({ status: 'ordered', next: 'fulfil', waitSeconds: 22 * 86400 + 14 * 3600 });
    const noReminders = { ...ordered, calendar: { beforeDueDays: [], afterDueDays: [], autoCancelAfterDueDays: null } };
    // Without reminders, the next date is the end of the due date itself.
    expect(workflowView(noReminders, at).waitSeconds).toBe(30 * 86400 + 14 * 3600);
  });
});

describe('approval rules', () => {
  const policy: Policy = { ...defaultPolicy, approvalRules: [{ minTotal: { USD: 25000 }, approvals: 2 }, { minTotal: { USD: 1000000 }, approvals: 3 }] };
  const alice = { type: 'link' as const, email: 'alice@seller.example' };
  const bob = { type: 'person' as const, id: 'u-bob', email: 'Bob@Seller.example' };

  it('asks as many distinct approvers as the highest rule the total reaches, per currency', () => {
    expect(place({}, policy).review.approvalsRequired).toBe(2); // $297.00
    expect(place({ lines: [{ ...sampleOrder.lines[0]!, quantity: 1, unitAmount: 24999 }] }, policy).review.approvalsRequired).toBe(1);
    expect(place({ lines: [{ ...sampleOrder.lines[0]!, quantity: 1, unitAmount: 1000000 }] }, policy).review.approvalsRequired).toBe(3);
    expect(place({ currency: 'EUR' }, { ...policy, cartMinimum: { EUR: 100 } }).review.approvalsRequired).toBe(1);
  });

  it('releases once enough different people approved; the same person twice is refused; one rejection rejects', () => {
    const first = apply(place({}, policy), { type: 'approve', comment: 'letter ok' }, { actor: 'reviewer', by: alice, at });
    expect(first.status).toBe('awaiting_review');
    expect(first.review.approvals).toEqual([{ by: alice, at: at.toISOString(), comment: 'letter ok' }]);
    expect(first.history.at(-1)).toMatchObject({ type: 'approve', from: 'awaiting_review', to: 'awaiting_review', by: alice, data: { approvals: 1, approvalsRequired: 2 } });
    // The same person, whichever way they come (a link and the console share the email), counts once.
    expect(() => apply(first, { type: 'approve' }, { actor: 'reviewer', by: { type: 'person', id: 'u-alice', email: 'ALICE@seller.example' }, at })).toThrow(TransitionError);
    // The same signed-in person under an email changed since (the same user id): still one approver.
    const bobFirst = apply(place({}, policy), { type: 'approve' }, { actor: 'finance', by: bob, at });
    expect(() => apply(bobFirst, { type: 'approve' }, { actor: 'finance', by: { ...bob, email: 'robert@seller.example' }, at })).toThrow(TransitionError);
    const released = apply(first, { type: 'approve' }, { actor: 'finance', by: bob, at });
    expect(released).toMatchObject({ status: 'ordered', review: { decision: 'approved', approvals: [{ by: alice }, { by: bob }] } });
    expect(apply(first, { type: 'reject', comment: 'no letter' }, { actor: 'reviewer', by: { type: 'link', email: 'carol@seller.example' }, at }).status).toBe('rejected');
  });

  it('refuses invalid rules whole', () => {
    expect(policySchema.safeParse({ ...defaultPolicy, approvalRules: [{ minTotal: { USD: 100 }, approvals: 0 }] }).success).toBe(false);
    expect(policySchema.safeParse({ ...defaultPolicy, approvalRules: [{ minTotal: { XXX1: 100 }, approvals: 2 }] }).success).toBe(false);
    expect(policySchema.safeParse({ ...defaultPolicy, approvalRules: [{ minTotal: { USD: 1.5 }, approvals: 2 }] }).success).toBe(false);
  });
});

describe('review reminders', () => {
  it('waits first until the reviewers are reminded, then until the deadline; reminds once', () => {
    const policy: Policy = { ...defaultPolicy, reviewTimeoutDays: 14, reviewReminderDays: 3 };
    const po = place({}, policy);
    expect(po.review).toMatchObject({ reminderAt: '2026-03-13T10:00:00.000Z', reminded: false });
    expect(workflowView(po, at).waitSeconds).toBe(11 * 86400);
    const reminded = apply(po, { type: 'remind_review' }, { actor: 'system', at: new Date('2026-03-13T10:00:00Z') });
    expect(reminded).toMatchObject({ status: 'awaiting_review', review: { reminded: true } });
    expect(reminded.history.at(-1)).toMatchObject({ type: 'remind_review', by: { type: 'system' }, data: { deadline: '2026-03-16T10:00:00.000Z' } });
    // Next: finance's escalation a day before the deadline, then the deadline.
    expect(workflowView(reminded, new Date('2026-03-13T10:00:00Z')).waitSeconds).toBe(2 * 86400);
    expect(apply(reminded, { type: 'remind_review' }, { actor: 'system', at })).toBe(reminded);
    const escalated = apply(reminded, { type: 'escalate_review' }, { actor: 'system', at: new Date('2026-03-15T10:00:00Z') });
    expect(escalated).toMatchObject({ status: 'awaiting_review', review: { escalated: true } });
    expect(workflowView(escalated, new Date('2026-03-15T10:00:00Z')).waitSeconds).toBe(86400);
    expect(apply(escalated, { type: 'escalate_review' }, { actor: 'system', at })).toBe(escalated);
    // Halfway when the policy names no number; none with 0, or for more days than the review lasts.
    expect(place({}, { ...policy, reviewReminderDays: null }).review).toMatchObject({ reminderAt: '2026-03-09T10:00:00.000Z', escalateAt: '2026-03-15T10:00:00.000Z' });
    expect(place({}, { ...policy, reviewReminderDays: 0 }).review.reminderAt).toBeNull();
    expect(place({}, { ...policy, reviewReminderDays: 20 }).review.reminderAt).toBeNull();
    // A one-day review has no escalation left: the deadline is the day before.
    expect(place({}, { ...policy, reviewTimeoutDays: 1 }).review).toMatchObject({ reminderAt: null, escalateAt: null });
  });
});

describe('a PO stays within one DynamoDB item', () => {
  it('refuses people’s changes once it is full (422 po_full), changing nothing, and leaves the workflow room to finish', () => {
    let po = place({ delivery: 'prepayment' });
    po = apply(po, { type: 'approve' }, { actor: 'reviewer', at });
    const reason = 'Bank statement shows no such transfer. '.repeat(50).slice(0, 2000);
    let refused: unknown = null;
    for (let i = 0; i < 1000 && !refused; i += 1) {
      try {
        po = apply(po, { type: 'submit_payment', amount: 100, reference: `R-${i}` }, { actor: 'checkout', at });
        po = apply(po, { type: 'verify_payment', decision: 'reject', reason }, { actor: 'finance', at });
      } catch (error) {
        refused = error;
      }
    }
    expect(refused).toBeInstanceOf(RuleViolation);
    expect((refused as RuleViolation).rule).toBe('po_full');
    expect(utf8Bytes(po)).toBeLessThanOrEqual(sizeLimits.personBytes);
    // The workflow's own steps still go through, well inside DynamoDB's 400 KB.
    const proforma = { id: 'PRO-1', type: 'proforma' as const, number: 'PRO-1', issuedAt: at.toISOString(), total: po.total, dueDate: null };
    const issued = apply(po, { type: 'issue_document', document: proforma }, { actor: 'system', at });
    expect(issued.documents).toHaveLength(1);
    expect(utf8Bytes(issued)).toBeLessThan(400 * 1024 - 50 * 1024);
  });
});
