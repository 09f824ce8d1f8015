import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/api/place-purchase-order.js';
import { apiEvent, fakes, sampleOrder } from '../support/fakes.js';

const headers = (extra: Record<string, string> = {}) => ({
  Authorization: 'Bearer test-checkout-key',
  'Content-Type': 'application/json',
  'Idempotency-Key': 'order-1',
  ...extra,
});

function setup() {
  const deps = fakes();
  const handler = makeHandler(deps);
  const post = (body: unknown, extra: Record<string, string> = {}) =>
    handler(apiEvent({ method: 'POST', path: '/purchase-orders', headers: headers(extra), body: typeof body === 'string' ? body : JSON.stringify(body) }));
  return { deps, post };
}

describe('POST /purchase-orders', () => {
  it('places the PO, numbers it, and starts its workflow', async () => {
    const { deps, post } = setup();
    const res = await post(sampleOrder);
    expect(res.statusCode).toBe(201);
    const po = JSON.parse(res.body);
    expect(po).toMatchObject({ reference: 'PO-2026-000001', status: 'awaiting_review', total: 29700, poNumber: 'ACME-4711' });
    expect(res.headers?.Location).toBe(`/purchase-orders/${po.id}`);
    expect(deps.workflow.started).toEqual([{ poId: po.id, input: { poId: po.id, po: expect.objectContaining({ status: 'awaiting_review', version: 1, waitSeconds: 7 * 86400 }), notifiedVersion: 0 } }]);
  });

  it('a PO whose workflow failed to start gets it on the retry with the same key', async () => {
    const { deps, post } = setup();
    const start = deps.workflow.start.bind(deps.workflow);
    deps.workflow.start = async () => {
      throw new Error('Step Functions unavailable');
    };
    const failed = await post(sampleOrder);
    expect(failed.statusCode).toBe(500);
    expect(deps.workflow.started).toEqual([]);
    deps.workflow.start = start;
    const retried = await post(sampleOrder);
    expect(retried.statusCode).toBe(201);
    const po = JSON.parse(retried.body);
    expect(deps.pos.items.size).toBe(1);
    expect(deps.workflow.started.map((s) => s.poId)).toEqual([po.id]);
  });

  it('returns the same PO for the same key and body, and refuses the key with another body', async () => {
    const { deps, post } = setup();
    const first = JSON.parse((await post(sampleOrder)).body);
    const again = await post({ ...sampleOrder });
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
    expect(JSON.parse(again.body).id).toBe(first.id);
    const other = await post({ ...sampleOrder, poNumber: 'OTHER' });
    expect(other.statusCode).toBe(422);
    expect(deps.pos.items.size).toBe(1);
  });

  it('answers 409 while the first request with the key is still in flight', async () => {
    const { deps, post } = setup();
    const { fingerprint } = await import('../../functions/api/place-purchase-order.js');
    const { orderRequestSchema } = await import('../../contract/order-request.js');
    await deps.idempotency.claim({ key: 'order-1', requestHash: fingerprint(orderRequestSchema.parse(sampleOrder)), poId: 'X', state: 'in_flight', startedAt: deps.clock.now().toISOString() });
    const res = await post(sampleOrder);
    expect(res.statusCode).toBe(409);
    expect(res.headers?.['Retry-After']).toBe('1');
    expect(deps.pos.items.size).toBe(0);
  });

  it('finance enters an order that arrived by letter: reviewed, named in the history, the buyer asked for nothing more', async () => {
    const { post } = setup();
    const letter = { ...sampleOrder, channel: 'offline', lines: [{ ...sampleOrder.lines[0], quantity: 10, unitAmount: 9900 }] };
    const res = await post(letter, { Authorization: 'Bearer test-finance-key', 'Idempotency-Key': 'letter-1' });
    expect(res.statusCode).toBe(201);
    const po = JSON.parse(res.body);
    expect(po).toMatchObject({ channel: 'offline', status: 'awaiting_review', total: 99000 });
    expect(po.review.confirmation).toBeUndefined();
    expect(po.history[0]).toMatchObject({ type: 'placed', actor: 'finance', by: { type: 'key', name: 'finance' } });
    expect(po.instructions).toMatchObject({ quote: po.reference, steps: [], sendTo: { email: 'billing@seller.example', fax: '+49 221 555 0199' } });
    // Under the offline minimum (USD 500.00): the usual offline rules.
    const small = await post({ ...letter, lines: sampleOrder.lines }, { Authorization: 'Bearer test-finance-key', 'Idempotency-Key': 'letter-2' });
    expect(small.statusCode).toBe(422);
    expect(JSON.parse(small.body).rule).toBe('offline_minimum');
  });

  it("tells the shop's buyer what to do next: confirm on letterhead, quoting the reference, and where to send it", async () => {
    const { post } = setup();
    const res = await post(sampleOrder);
    const po = JSON.parse(res.body);
    expect(po.review.confirmation).toBe('letterhead');
    expect(po.instructions.summary).toContain(po.reference);
    expect(po.instructions.steps[0]).toMatch(/company letterhead, signed, quoting PO-2026-000001, to billing@seller\.example, by fax to \+49 221 555 0199 or by post to Example Software GmbH/);
  });

  it.each([
    ['no key', { Authorization: '' }, 401],
    ['a wrong key', { Authorization: 'Bearer nope' }, 401],
    // Finance enters orders that arrived by letter; the shop's orders are the shop's.
    ['the finance key, for a shop order', { Authorization: 'Bearer test-finance-key' }, 422],
    ['no Idempotency-Key', { 'Idempotency-Key': '' }, 400],
    ['a form body', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415],
  ])('refuses a request with %s and stores nothing', async (_name, extra, status) => {
    const { deps, post } = setup();
    const res = await post(sampleOrder, extra as Record<string, string>);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['Content-Type']).toBe('application/problem+json');
    expect(deps.pos.items.size).toBe(0);
  });

  it('answers 400 with field errors for malformed bodies', async () => {
    const { deps, post } = setup();
    const bad = await post({ ...sampleOrder, currency: 'ABC', lines: [{ ...sampleOrder.lines[0], unitAmount: 1.5 }] });
    expect(bad.statusCode).toBe(400);
    const problem = JSON.parse(bad.body);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['currency', 'lines.0.unitAmount']);
    expect((await post('{not json')).statusCode).toBe(400);
    expect((await post('x'.repeat(300 * 1024))).statusCode).toBe(413);
    expect(deps.pos.items.size).toBe(0);
    expect(deps.idempotency.items.size).toBe(0);
  });

  it('answers 422 for a policy violation and frees the key for a corrected retry', async () => {
    const { deps, post } = setup();
    const tooSmall = { ...sampleOrder, lines: [{ ...sampleOrder.lines[0], quantity: 1, unitAmount: 100 }] };
    const res = await post(tooSmall);
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body)).toMatchObject({ rule: 'cart_minimum' });
    expect(deps.pos.items.size).toBe(0);
    expect((await post(sampleOrder)).statusCode).toBe(201);
  });
});

describe('amounts too large to add up exactly', () => {
  it('are refused with 422 and store nothing', async () => {
    const { deps, post } = setup();
    const huge = { ...sampleOrder, lines: [{ ...sampleOrder.lines[0], quantity: 1_000_000, unitAmount: Number.MAX_SAFE_INTEGER }] };
    const res = await post(huge);
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body).rule).toBe('amount_overflow');
    expect(deps.pos.items.size).toBe(0);
    expect(deps.idempotency.items.size).toBe(0);
  });
});
