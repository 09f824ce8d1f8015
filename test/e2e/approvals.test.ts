import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack, reviewLinkIn, type Email } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * Review, as a seller with several reviewers runs it: each reviewer gets a link of their own, a
 * decision through it names them, and a large PO needs two different people to approve it.
 */
const stack = new LocalStack();
const reviewers = ['alice@seller.example', 'bob@seller.example'];

beforeAll(async () => {
  await stack.start();
  await stack.updatePolicy({
    reviewerEmails: reviewers,
    financeEmails: ['finance@seller.example'],
    approvalRules: [{ minTotal: { USD: 500000 }, approvals: 2 }],
    reviewTimeoutDays: 14,
    reviewReminderDays: 3,
  });
}, 120_000);
afterAll(() => stack.stop());

const place = (unitAmount: number, key: string) =>
  stack.request('POST', '/purchase-orders', {
    key: keys.checkout,
    body: order({ customer: buyer('cust-big', 'Massive Dynamic', 'ap@massive.example'), lines: [licence(unitAmount, 1, 'LIC-SITE', 'Site licence')] }),
    headers: { 'Idempotency-Key': key },
  });
const requestFor = (reference: string, reviewer: string) =>
  stack.waitForEmail((e) => e.subject.startsWith(`${reference}: purchase order to review`) && e.destination.to.includes(reviewer));
const decide = (link: URL, decision: 'approve' | 'reject', comment: string) =>
  stack.request('POST', link.pathname, {
    body: new URLSearchParams({ token: link.searchParams.get('token')!, decision, comment }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });

describe('review by named reviewers', () => {
  it('sends each reviewer a link of their own; a decision through it names the reviewer', async () => {
    const po = (await place(100000, 'appr-1')).body;
    const emails: Email[] = await Promise.all(reviewers.map((reviewer) => requestFor(po.reference, reviewer)));
    expect(emails.map((e) => e.destination.to)).toEqual([[reviewers[0]], [reviewers[1]]]);
    const [alice, bob] = emails.map(reviewLinkIn);
    expect(alice!.pathname).not.toBe(bob!.pathname);
    // Bob's link is not Alice's: his token does not open her review.
    const crossed = await stack.request('GET', `${alice!.pathname}?token=${bob!.searchParams.get('token')}`);
    expect(crossed.status).toBe(403);

    expect((await decide(bob!, 'approve', 'Letter checked')).status).toBe(200);
    const ordered = await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'ordered' && p.documents.length === 1);
    expect(ordered.history.find((h: { type: string }) => h.type === 'approve')).toMatchObject({ actor: 'reviewer', by: { type: 'link', email: reviewers[1] }, detail: 'Letter checked' });
    // Once decided, the other reviewer's link says so.
    expect((await decide(alice!, 'approve', 'me too')).status).toBe(409);
  });

  it('releases a PO over the rule only when two different people approved it', async () => {
    const po = (await place(600000, 'appr-2')).body;
    expect(po).toMatchObject({ status: 'awaiting_review', review: { approvalsRequired: 2, approvals: [] } });
    const [alice, bob] = (await Promise.all(reviewers.map((reviewer) => requestFor(po.reference, reviewer)))).map(reviewLinkIn);
    expect((await requestFor(po.reference, reviewers[0]!)).body.text).toContain('needs 2 approvals from different people');

    expect((await decide(alice!, 'approve', 'First look: fine')).status).toBe(200);
    const half = (await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body;
    expect(half).toMatchObject({ status: 'awaiting_review', review: { approvals: [{ by: { type: 'link', email: reviewers[0] }, comment: 'First look: fine' }] } });
    // Alice cannot approve a second time, through her link or otherwise.
    expect((await decide(alice!, 'approve', 'again')).status).toBe(409);
    const page = await stack.request('GET', `${bob!.pathname}${bob!.search}`);
    expect(page.body).toContain('Approvals: 1 of 2');
    expect(page.body).toContain(reviewers[0]);

    // Finance's key counts as one more approver; approving twice with it is refused.
    const byFinance = await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'approve', comment: 'second approval' } });
    expect(byFinance.status).toBe(200);
    expect(byFinance.body.history.at(-1)).toMatchObject({ type: 'approve', by: { type: 'key', name: 'finance' } });
    const released = await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'ordered' && p.documents.length === 1);
    expect(released.review.approvals.map((a: { by: { type: string } }) => a.by.type)).toEqual(['link', 'key']);
    expect((await decide(bob!, 'approve', 'late')).status).toBe(409);
  });

  it('rejects on one rejection, whatever the approvals so far', async () => {
    const po = (await place(600000, 'appr-3')).body;
    const [alice, bob] = (await Promise.all(reviewers.map((reviewer) => requestFor(po.reference, reviewer)))).map(reviewLinkIn);
    expect((await decide(alice!, 'approve', 'ok')).status).toBe(200);
    expect((await decide(bob!, 'reject', 'No signed letter')).status).toBe(200);
    const rejected = await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'rejected');
    expect(rejected.history.at(-1)).toMatchObject({ type: 'reject', by: { type: 'link', email: reviewers[1] } });
    await stack.waitForEmail((e) => e.subject === `${po.reference}: your purchase order was not accepted`);
  });

  it('reminds the reviewers who have not approved yet before the review closes, and tells finance when it expires', async () => {
    const po = (await place(600000, 'appr-4')).body;
    const [alice] = (await Promise.all(reviewers.map((reviewer) => requestFor(po.reference, reviewer)))).map(reviewLinkIn);
    expect((await decide(alice!, 'approve', 'fine by me')).status).toBe(200);
    const reminderTo = (reviewer: string) => (e: Email) => e.subject.startsWith(`${po.reference}: reminder - purchase order to review`) && e.destination.to.includes(reviewer);

    // Eleven days on, three before the deadline: Bob is reminded with his own link; Alice, who approved, is not.
    expect((await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 11 * 86400 + 60 } })).status).toBe(200);
    const reminder = await stack.waitForEmail(reminderTo(reviewers[1]!));
    expect(reminder.body.text).toContain('Approvals so far: 1 of 2');
    expect(reviewLinkIn(reminder).pathname).toBe(reviewLinkIn(await requestFor(po.reference, reviewers[1]!)).pathname);
    expect((await stack.emails()).some(reminderTo(reviewers[0]!))).toBe(false);

    // At the deadline the PO is cancelled; the buyer and finance hear of it.
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 3 * 86400 } });
    await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'cancelled');
    const told = await stack.waitForEmail((e) => e.subject === `${po.reference}: review expired, purchase order cancelled`);
    expect(told.destination.to).toEqual(['finance@seller.example']);
    await stack.waitForEmail((e) => e.subject === `${po.reference}: your purchase order has expired`);
  });
});
