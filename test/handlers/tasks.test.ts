import { describe, expect, it } from 'vitest';
import { changePurchaseOrder } from '../../functions/app/change.js';
import { placeOrder } from '../../functions/app/place.js';
import { awaitPayment, expireReview, fulfil, notifyPaid } from '../../functions/app/tasks.js';
import { orderRequestSchema } from '../../functions/domain/order-request.js';
import { exampleSellerProfile } from '../../functions/domain/seller.js';
import { fakes, sampleOrder } from '../support/fakes.js';
import { pdfText } from '../support/pdf-text.js';

async function approved() {
  const deps = fakes();
  const taskDeps = { ...deps, seller: exampleSellerProfile, publicBaseUrl: 'https://po.seller.example/', reviewerEmails: async () => ['r@seller.example'] };
  const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse(sampleOrder));
  await changePurchaseOrder(deps, po.id, { type: 'approve' }, { actor: 'reviewer', at: deps.clock.now() });
  return { deps, taskDeps, poId: po.id };
}

describe('release (fulfil)', () => {
  it('issues a numbered invoice PDF, delivers licence keys, and emails both to the buyer', async () => {
    const { deps, taskDeps, poId } = await approved();
    const out = await fulfil(taskDeps, { poId });
    expect(out).toMatchObject({ status: 'ordered', fulfilled: true });
    const po = (await deps.pos.get(poId))!.po;
    expect(po.documents).toEqual([expect.objectContaining({ type: 'invoice', number: 'INV-2026-000001', total: 29700, dueDate: '2026-04-01' })]);
    expect(po.licences![0]!.keys).toHaveLength(3);

    const mail = deps.mailer.sent.find((s) => s.key === 'released')!.email;
    expect(mail.to).toEqual(['buyer@acme.example']);
    expect(mail.subject).toBe('PO-2026-000001: your order is released - invoice INV-2026-000001');
    for (const key of po.licences![0]!.keys) expect(mail.text).toContain(key);
    expect(mail.attachments![0]).toMatchObject({ filename: 'INV-2026-000001.pdf', contentType: 'application/pdf' });

    const text = await pdfText(mail.attachments![0]!.content);
    expect(text).toContain('INV-2026-000001');
    expect(text).toContain('ACME-4711');
    expect(text).toContain('PO-2026-000001');
    expect(text).toContain('Acme Corp');
    expect(text).toContain('$297.00');
    expect(text).toContain('2026-04-01');
    expect(text).toContain(exampleSellerProfile.bank.iban);
  });

  it('run twice, issues one invoice, one set of keys, one email', async () => {
    const { deps, taskDeps, poId } = await approved();
    await fulfil(taskDeps, { poId });
    const first = (await deps.pos.get(poId))!.po;
    await fulfil(taskDeps, { poId });
    const second = (await deps.pos.get(poId))!.po;
    expect(second.documents).toEqual(first.documents);
    expect(second.licences).toEqual(first.licences);
    expect(second.version).toBe(first.version);
    expect(deps.mailer.sent.filter((s) => s.key === 'released')).toHaveLength(1);
    expect(deps.documents.items.size).toBe(1);
  });

  it('payment wait: parks, then the confirming payment releases it and the buyer is thanked', async () => {
    const { deps, taskDeps, poId } = await approved();
    await fulfil(taskDeps, { poId });
    await awaitPayment(taskDeps, { poId, token: 'pay-token' });
    expect(deps.workflow.signals).toEqual([]);
    await changePurchaseOrder(deps, poId, { type: 'record_payment', amount: 29700, reference: 'WIRE-1' }, { actor: 'finance', at: deps.clock.now() });
    expect(deps.workflow.signals).toEqual([{ token: 'pay-token', output: { status: 'completed', paid: true } }]);
    await notifyPaid(taskDeps, { poId });
    await notifyPaid(taskDeps, { poId });
    expect(deps.mailer.sent.filter((s) => s.key === 'payment-received')).toHaveLength(1);
  });

  it('review expiry cancels an undecided PO, but yields to a decision that won the race', async () => {
    const { deps, taskDeps, poId } = await approved();
    expect(await expireReview(taskDeps, { poId })).toEqual({ decision: 'approved', status: 'ordered' });

    const { po } = await placeOrder(deps, 'k2', 'h2', orderRequestSchema.parse(sampleOrder));
    expect(await expireReview(taskDeps, { poId: po.id })).toEqual({ decision: 'expired', status: 'cancelled' });
    expect(deps.mailer.sent.some((s) => s.poId === po.id && s.key === 'review-expired')).toBe(true);
  });
});
