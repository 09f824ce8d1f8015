import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePurchaseOrder } from '../../functions/app/change.js';
import { placeOrder } from '../../functions/app/place.js';
import { fulfil, issueCreditNote, issueProforma, needsAttention, notify, paymentCalendar, reviewTimer } from '../../functions/app/tasks.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { catalogue } from '../../functions/notices/catalogue.js';
import type { Action } from '../../functions/domain/purchase-order/index.js';
import { accessibilityProblems, launchBrowser } from '../support/browser.js';
import { sampleOrder, taskFakes } from '../support/fakes.js';
import { goods } from '../support/orders.js';

/**
 * Every kind of email the catalogue sends, made by the workflow's own tasks on the fakes, opened as
 * HTML in Chromium and kept as a screenshot in test-results/emails/ (one per kind, to look at). Each
 * has the seller's letterhead at the top, a greeting, the first sentence, a button for its link, and
 * the footer with the seller's contact details and why the reader got it; the text part says the
 * same in the same order. A new kind in the catalogue fails this file until it has a screenshot.
 */
const shots = 'test-results/emails';
const DAY = 86_400;
type Sent = { key: string; to: string[]; subject: string; text: string; html: string };

async function scenario(order: object, steps: (deps: ReturnType<typeof taskFakes>, poId: string) => Promise<void>): Promise<Sent[]> {
  const deps = taskFakes();
  deps.policies.policy = { ...deps.policies.policy, reviewEscalationEmail: 'head-of-sales@seller.example', reminders: { beforeDueDays: [7], afterDueDays: [7], autoCancelAfterDueDays: 30 } };
  const { po } = await placeOrder(deps, 'k', 'h', orderRequestSchema.parse({ ...sampleOrder, customer: { ...sampleOrder.customer, name: 'Jane Doe' }, ...order }));
  await steps(deps, po.id);
  await notify(deps, { poId: po.id, notifiedVersion: 0 });
  // Keys are "<entry>-<notice>", and "-<address>" for a personal one.
  return deps.mailer.sent.map((sent) => ({ key: sent.key.replace(/^\d+-/, '').replace(`-${sent.email.to[0]}`, ''), ...sent.email }));
}

const act = (deps: ReturnType<typeof taskFakes>, poId: string, action: Action, actor: 'finance' | 'checkout' | 'reviewer' | 'system' = 'finance') =>
  changePurchaseOrder(deps, poId, action, { actor, at: deps.clock.now() });
const letter = { lines: [{ ...sampleOrder.lines[0]!, quantity: 10, unitAmount: 9900 }] };

async function everyKind(): Promise<Map<string, Sent>> {
  const all = (
    await Promise.all([
      // Placed and waiting for review: the buyer asked for the letter, the reviewers for a decision.
      scenario({}, async () => undefined),
      // Review: reminder, escalation, expiry.
      scenario({}, async (deps, poId) => {
        for (const days of [7, 6, 1]) {
          deps.clock.advance(days * DAY);
          await reviewTimer(deps, { poId });
        }
      }),
      // Released on terms: invoice, reminders, overdue, part payment, automatic cancellation, credit note.
      scenario({}, async (deps, poId) => {
        await act(deps, poId, { type: 'approve' }, 'reviewer');
        await fulfil(deps, { poId });
        await act(deps, poId, { type: 'record_payment', amount: 10000, reference: 'W-1' });
        for (const days of [24, 7, 7, 30]) {
          deps.clock.advance(days * DAY);
          await paymentCalendar(deps, { poId });
        }
        await issueCreditNote(deps, { poId });
      }),
      // Paid in full; a shipment.
      scenario({ lines: [goods(15000, 2, 'BOX', 'Box')], shippingAddress: sampleOrder.billingAddress }, async (deps, poId) => {
        await act(deps, poId, { type: 'approve' }, 'reviewer');
        await fulfil(deps, { poId });
        await act(deps, poId, { type: 'update_shipping', shippingOrderId: 'SO-1', status: 'shipped' });
        await act(deps, poId, { type: 'record_payment', amount: 30000, reference: 'W-9' });
      }),
      // Rejected by the reviewer.
      scenario({}, async (deps, poId) => act(deps, poId, { type: 'reject', comment: 'No signed confirmation arrived.' }, 'reviewer').then(() => undefined)),
      // Prepayment: proforma, paid, invoice marked paid.
      scenario({ delivery: 'prepayment' }, async (deps, poId) => {
        await act(deps, poId, { type: 'approve' }, 'reviewer');
        await issueProforma(deps, { poId });
        await act(deps, poId, { type: 'record_payment', amount: 29700, reference: 'W-2' });
        await fulfil(deps, { poId });
      }),
      // Offline payment: reported, reminder to verify, rejected, reminded, disputed, resolved.
      scenario({ paymentMethod: 'offline', ...letter }, async (deps, poId) => {
        await act(deps, poId, { type: 'submit_payment', amount: 99000, reference: 'W-3' }, 'checkout');
        deps.clock.advance(2 * DAY);
        await paymentCalendar(deps, { poId });
        await act(deps, poId, { type: 'verify_payment', decision: 'reject', reason: 'No transfer with this reference reached our account.' });
        deps.clock.advance(7 * DAY);
        await paymentCalendar(deps, { poId });
        await act(deps, poId, { type: 'dispute', reason: 'The buyer sends the bank statement.' }, 'checkout');
        await act(deps, poId, { type: 'resolve_dispute', outcome: 'accept_payment', reason: 'Found on the statement.' });
      }),
      // Offline payment never made: cancelled unpaid; cancelled by the buyer; a step that failed; an address refused; a Peppol refusal.
      scenario({ paymentMethod: 'offline', ...letter }, async (deps, poId) => {
        deps.clock.advance(30 * DAY);
        await paymentCalendar(deps, { poId });
      }),
      scenario({}, async (deps, poId) => act(deps, poId, { type: 'cancel', reason: 'Ordered twice.' }, 'checkout').then(() => undefined)),
      scenario({}, async (deps, poId) => {
        await needsAttention(deps, { poId, step: 'Deliver and invoice', failure: { Error: 'Error', Cause: 'The PDF service did not answer.' } });
        deps.mailer.rejects.add('buyer@acme.example');
        await act(deps, poId, { type: 'email_failed', key: '0-po-received', notice: 'po-received', audience: 'buyer', to: ['buyer@acme.example'], reason: 'MessageRejected' }, 'system');
        await act(deps, poId, { type: 'send_einvoice', number: 'INV-2026-000001', receiver: '0208:0123456749', outcome: 'refused', reason: 'the access point answered 404 (unknown receiver)' }, 'system');
      }),
    ])
  ).flat();
  const kinds = new Map<string, Sent>();
  for (const sent of all) if (!kinds.has(sent.key)) kinds.set(sent.key, sent);
  return kinds;
}

describe('every email, as its reader sees it', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => browser?.close());

  it('has one layout: letterhead, greeting, what happened, the button, the facts, the footer; the text part in the same order', { timeout: 120_000 }, async () => {
    const kinds = await everyKind();
    const expected = Object.values(catalogue)
      .flat()
      .map((notice) => notice.name);
    expect([...kinds.keys()].sort()).toEqual(expect.arrayContaining([...new Set(expected)].sort()));

    const context = await browser.newContext({ viewport: { width: 720, height: 900 } });
    const page = await context.newPage();
    for (const [kind, mail] of kinds) {
      await page.setContent(mail.html);
      await page.screenshot({ path: `${shots}/${kind}.png`, fullPage: true });
      const seen = await page.locator('body').innerText();
      // The seller at the top, then the greeting, then the body, then the footer with why.
      const order = ['Example Software GmbH', 'Hello', 'billing@seller.example', 'You receive this email because'];
      let at = -1;
      for (const part of order.filter(Boolean)) {
        const next = seen.indexOf(part, at + 1);
        expect(next, `${kind}: "${part}" after position ${at}`).toBeGreaterThan(at);
        at = next;
      }
      if (mail.to[0] === 'buyer@acme.example') expect(seen, kind).toContain('Hello Jane Doe,');
      // A link is a button a finger can hit, and the text part names the same address.
      for (const button of await page.locator('a').all()) {
        const box = (await button.boundingBox())!;
        expect(box.height, `${kind}: button height`).toBeGreaterThanOrEqual(40);
        expect(mail.text).toContain((await button.getAttribute('href'))!);
      }
      expect(mail.text.indexOf('EXAMPLE SOFTWARE GMBH'), kind).toBe(0);
      expect(mail.text.indexOf('Hello')).toBeLessThan(mail.text.indexOf('You receive this email because'));
      expect(await accessibilityProblems(page), kind).toEqual([]);
    }
    await context.close();
  });
});
