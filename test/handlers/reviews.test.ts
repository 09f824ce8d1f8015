import { describe, expect, it } from 'vitest';
import { makeDecisionHandler, makePageHandler } from '../../functions/api/reviews.js';
import { makeReview as makeFinanceReview } from '../../functions/api/actions.js';
import { placeOrder } from '../../functions/app/place.js';
import { awaitChange, notify } from '../../functions/app/tasks.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { apiEvent, sampleOrder, taskFakes } from '../support/fakes.js';

async function placedAndRequested() {
  const deps = taskFakes();
  const taskDeps = deps;
  const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse(sampleOrder));
  await notify(taskDeps, { poId: po.id, notifiedVersion: 0 });
  await awaitChange(taskDeps, { poId: po.id, token: 'token-1', seenVersion: 1 });
  const reviewEmail = deps.mailer.sent.find((s) => s.key.includes('-review-request-'))!.email;
  const link = new URL(/https:\/\/\S+/.exec(reviewEmail.text)![0]);
  const reviewId = link.pathname.split('/').pop()!;
  const token = link.searchParams.get('token')!;
  const page = makePageHandler(deps);
  const decide = makeDecisionHandler(deps);
  const post = (fields: Record<string, string>) =>
    decide(
      apiEvent({
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        pathParameters: { reviewId },
      }),
    );
  return { deps, taskDeps, po, link, reviewId, token, page, post };
}

describe('review links', () => {
  it('emails the reviewer a link to this site, and the buyer how to confirm the PO', async () => {
    const { deps, link } = await placedAndRequested();
    expect(link.origin).toBe('https://po.seller.example');
    expect(deps.mailer.sent.map((s) => s.email.to)).toEqual([['buyer@acme.example'], ['reviews@seller.example']]);
    const buyer = deps.mailer.sent[0]!.email;
    expect(buyer.subject).toContain('PO-2026-000001');
    expect(buyer.text).toMatch(/signed confirmation on company letterhead/);
    // The link's secret is not stored.
    const stored = [...deps.reviews.items.values()][0]!;
    expect(JSON.stringify(stored)).not.toContain(link.searchParams.get('token'));
    expect(link.searchParams.get('token')!.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
  });

  it('shows the PO without changing anything, however often it is fetched', async () => {
    const { deps, po, page, reviewId, token } = await placedAndRequested();
    for (let i = 0; i < 3; i += 1) {
      const res = await page(apiEvent({ pathParameters: { reviewId }, query: { token } }));
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('PO-2026-000001');
      expect(res.body).toContain('$297.00');
      expect(res.headers).toMatchObject({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    }
    expect((await deps.pos.get(po.id))!.po.version).toBe(1);
  });

  it('decides once: approve, then 409 for anything after', async () => {
    const { deps, po, post, token } = await placedAndRequested();
    const res = await post({ token, decision: 'approve', comment: 'letterhead ok' });
    expect(res.statusCode).toBe(200);
    const stored = (await deps.pos.get(po.id))!.po;
    expect(stored.status).toBe('ordered');
    expect(stored.history.at(-1)).toMatchObject({ type: 'approve', actor: 'reviewer', detail: 'letterhead ok' });
    // The workflow was waiting on this PO: the decision released it.
    expect(deps.workflow.signals).toEqual([{ token: 'token-1', output: expect.objectContaining({ status: 'ordered', version: 2, next: 'fulfil' }) }]);
    expect((await post({ token, decision: 'reject' })).statusCode).toBe(409);
    expect((await deps.pos.get(po.id))!.po.status).toBe('ordered');
  });

  it('refuses a wrong token (403), an unknown review (404) and an expired one (410)', async () => {
    const { deps, page, post, reviewId, token } = await placedAndRequested();
    expect((await post({ token: 'x'.repeat(43), decision: 'approve' })).statusCode).toBe(403);
    expect((await page(apiEvent({ pathParameters: { reviewId }, query: {} }))).statusCode).toBe(403);
    expect((await page(apiEvent({ pathParameters: { reviewId: 'unknown' }, query: { token } }))).statusCode).toBe(404);
    deps.clock.advance(15 * 86400);
    expect((await post({ token, decision: 'approve' })).statusCode).toBe(410);
  });

  it('finance may decide instead; the link then answers 409', async () => {
    const { deps, po, post, token } = await placedAndRequested();
    const review = makeFinanceReview(deps);
    const res = await review(
      apiEvent({
        method: 'POST',
        headers: { Authorization: 'Bearer test-finance-key', 'Content-Type': 'application/json' },
        body: JSON.stringify({ decision: 'reject', comment: 'no letterhead received' }),
        pathParameters: { id: po.id },
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'rejected', review: { decision: 'rejected', decidedBy: 'finance' } });
    expect((await post({ token, decision: 'approve' })).statusCode).toBe(409);
  });

  it('a decision that lands before the workflow parks still releases it', async () => {
    const deps = taskFakes();
    const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse(sampleOrder));
    const review = makeFinanceReview(deps);
    await review(
      apiEvent({
        method: 'POST',
        headers: { Authorization: 'Bearer test-finance-key', 'Content-Type': 'application/json' },
        body: JSON.stringify({ decision: 'approve' }),
        pathParameters: { id: po.id },
      }),
    );
    await awaitChange(deps, { poId: po.id, token: 'late-token', seenVersion: 1 });
    expect(deps.workflow.signals).toEqual([{ token: 'late-token', output: expect.objectContaining({ status: 'ordered', version: 2 }) }]);
    expect(deps.mailer.sent).toEqual([]);
  });
});

describe('a review task that runs again', () => {
  it('rebuilds the same link, so the one the reviewer has keeps working', async () => {
    const { deps, taskDeps, po, link } = await placedAndRequested();
    // As after a crash between sending the email and marking it sent.
    deps.mailer.sent.length = 0;
    await notify(taskDeps, { poId: po.id, notifiedVersion: 0 });
    const resent = deps.mailer.sent.find((s) => s.key.includes('-review-request-'))!.email;
    expect(resent.text).toContain(link.toString());
  });
});

describe('wrong secrets', () => {
  it('lock the link for a while after five, even for the right secret, then it works again', async () => {
    const { deps, page, post, reviewId, token } = await placedAndRequested();
    for (let i = 0; i < 5; i += 1) expect((await post({ token: `wrong-${i}`, decision: 'approve' })).statusCode).toBe(403);
    const locked = await post({ token, decision: 'approve' });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers?.['Retry-After'])).toBe(900);
    expect((await page(apiEvent({ pathParameters: { reviewId }, query: { token } }))).statusCode).toBe(429);
    deps.clock.advance(15 * 60 + 1);
    expect((await post({ token, decision: 'approve' })).statusCode).toBe(200);
  });
});
