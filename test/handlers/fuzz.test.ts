import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as actions from '../../functions/api/actions.js';
import { makeHandler as makePlace } from '../../functions/api/place-purchase-order.js';
import { makePutHandler } from '../../functions/api/policy.js';
import { makeDecisionHandler } from '../../functions/api/reviews.js';
import { changePurchaseOrder } from '../../functions/app/change.js';
import { placeOrder } from '../../functions/app/place.js';
import { notify } from '../../functions/app/tasks.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { apiEvent, sampleOrder, taskFakes } from '../support/fakes.js';

/**
 * Hostile input on every route that takes a body: arbitrary JSON, mutated valid bodies, wrong types,
 * and raw garbage. Never a 5xx; and a refused request changes nothing that is stored.
 */
type Deps = ReturnType<typeof taskFakes>;
type Route = { name: string; key: 'checkout' | 'finance' | null; valid: unknown; handler: (deps: Deps) => (e: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>; params: (ids: Ids) => Record<string, string> };
type Ids = { reviewPo: string; ordered: string; offline: string; reviewId: string };

const routes: Route[] = [
  { name: 'place', key: 'checkout', valid: sampleOrder, handler: (d) => makePlace(d), params: () => ({}) },
  { name: 'review', key: 'finance', valid: { decision: 'approve', comment: 'ok' }, handler: (d) => actions.makeReview(d), params: (i) => ({ id: i.reviewPo }) },
  { name: 'payments', key: 'finance', valid: { amount: 100, reference: 'W-1' }, handler: (d) => actions.makeRecordPayment(d), params: (i) => ({ id: i.ordered }) },
  { name: 'payment-submissions', key: 'checkout', valid: { amount: 100, reference: 'B-1' }, handler: (d) => actions.makeSubmitPayment(d), params: (i) => ({ id: i.offline }) },
  { name: 'payment-verification', key: 'finance', valid: { decision: 'accept' }, handler: (d) => actions.makeVerifyPayment(d), params: (i) => ({ id: i.offline }) },
  { name: 'cancel', key: 'finance', valid: { reason: 'x' }, handler: (d) => actions.makeCancel(d), params: (i) => ({ id: i.ordered }) },
  { name: 'convert', key: 'finance', valid: { delivery: 'instant' }, handler: (d) => actions.makeConvert(d), params: (i) => ({ id: i.offline }) },
  { name: 'dispute', key: 'checkout', valid: { reason: 'x' }, handler: (d) => actions.makeDispute(d), params: (i) => ({ id: i.offline }) },
  { name: 'dispute/resolve', key: 'finance', valid: { outcome: 'cancel' }, handler: (d) => actions.makeResolveDispute(d), params: (i) => ({ id: i.offline }) },
  { name: 'shipping', key: 'finance', valid: { status: 'shipped' }, handler: (d) => actions.makeUpdateShipping(d), params: (i) => ({ id: i.ordered, soId: 'SO-1' }) },
  { name: 'policy', key: 'finance', valid: defaultPolicy, handler: (d) => makePutHandler(d), params: () => ({}) },
  { name: 'review link', key: null, valid: { token: 'x', decision: 'approve' }, handler: (d) => makeDecisionHandler(d), params: (i) => ({ reviewId: i.reviewId }) },
];

async function world() {
  const deps = taskFakes();
  const order = (o: object) => orderRequestSchema.parse({ ...sampleOrder, ...o });
  const reviewPo = (await placeOrder(deps, 'a', 'a', order({}))).po.id;
  await notify(deps, { poId: reviewPo, notifiedVersion: 0 });
  const ordered = (await placeOrder(deps, 'b', 'b', order({ shippingAddress: sampleOrder.billingAddress, lines: [{ ...sampleOrder.lines[0], fulfilment: 'physical' }] }))).po.id;
  await changePurchaseOrder(deps, ordered, { type: 'approve' }, { actor: 'finance', at: deps.clock.now() });
  const offline = (await placeOrder(deps, 'c', 'c', order({ paymentMethod: 'offline' }))).po.id;
  const reviewId = [...deps.reviews.items.keys()][0]!;
  return { deps, ids: { reviewPo, ordered, offline, reviewId } };
}

const snapshot = (deps: Deps) =>
  JSON.stringify({ pos: [...deps.pos.items.entries()], idem: [...deps.idempotency.items.entries()], policy: deps.policies.policy, reviews: [...deps.reviews.items.values()].map((r) => ({ ...r, failures: 0, lockedUntil: null })) });

/** A valid body with one part replaced by something arbitrary (or removed). */
function mutated(valid: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
  };
  walk(valid, []);
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.double(), fc.string(), fc.maxSafeNat(), fc.constant(Number.MAX_SAFE_INTEGER))).map(([path, replacement]) => {
    if (path.length === 0) return replacement;
    const copy = structuredClone(valid) as Record<string | number, unknown>;
    let target = copy;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
    if (replacement === undefined) delete target[path.at(-1)!];
    else target[path.at(-1)!] = replacement;
    return copy;
  });
}

const bodies = (valid: unknown) =>
  fc.oneof(
    mutated(valid).map((b) => ({ text: JSON.stringify(b) ?? '', type: 'application/json' })),
    fc.jsonValue().map((b) => ({ text: JSON.stringify(b), type: 'application/json' })),
    fc.string({ maxLength: 200 }).map((text) => ({ text, type: 'application/json' })),
    fc.tuple(fc.string({ maxLength: 50 }), fc.constantFrom('text/plain', 'application/xml', '', 'application/x-www-form-urlencoded')).map(([text, type]) => ({ text, type })),
  );

describe('hostile bodies on every route', () => {
  for (const route of routes) {
    it(`${route.name}: never a 5xx, and a refusal changes nothing`, async () => {
      const { deps, ids } = await world();
      const handler = route.handler(deps);
      await fc.assert(
        fc.asyncProperty(bodies(route.valid), async (body) => {
          const before = snapshot(deps);
          const headers: Record<string, string> = { 'Content-Type': body.type, 'Idempotency-Key': `fuzz-${Math.random()}` };
          if (route.key) headers.Authorization = `Bearer test-${route.key}-key`;
          const res = await handler(apiEvent({ method: 'POST', headers, body: body.text, pathParameters: route.params(ids) }));
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 400) expect(snapshot(deps)).toBe(before);
        }),
        { numRuns: 150 },
      );
    });
  }
});
