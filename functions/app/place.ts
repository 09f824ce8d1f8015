import { createHash } from 'node:crypto';
import { formatNumber } from '../domain/numbering.js';
import type { OrderRequest } from '../../contract/order-request.js';
import { creditAccount, creditHolds, creditHoldsFromExposure } from '../domain/credit.js';
import type { Policy } from '../../contract/policy.js';
import { decidePlacement, holdsApplyTo, placePurchaseOrder, priceOrder, type PurchaseOrder } from '../domain/purchase-order/index.js';
import type { Actor, HoldReason, Who } from '../../contract/purchase-order.js';
import { RuleViolation } from '../domain/errors.js';
import { executionInput } from '../domain/workflow-view.js';
import { AlreadyExistsError, IdempotencyKeyReusedError, RequestInFlightError } from './errors.js';
import type { Clock, IdempotencyStore, NumberSeries, PolicyStore, PurchaseOrderStore, Workflow } from './ports.js';


/** An in-flight claim older than this is taken to be from a request that died. */
export const STALE_CLAIM_MS = 30_000;

export interface PlaceDeps {
  pos: PurchaseOrderStore;
  idempotency: IdempotencyStore;
  numbers: NumberSeries;
  policies: PolicyStore;
  workflow: Workflow;
  clock: Clock;
  newId: () => string;
}

export interface PlaceResult {
  po: PurchaseOrder;
  replayed: boolean;
}

/**
 * Places the order once per Idempotency-Key. The claim and the policy are read together; a fresh
 * claim means a fresh PO id, so nothing is read back. The workflow's start and the key's completion
 * go together too: a replay starts the workflow again (a no-op when it exists), so a crash between
 * the two cannot leave a PO without its workflow.
 */
export async function placeOrder(deps: PlaceDeps, key: string, requestHash: string, order: OrderRequest, by?: Who, actor: Actor = 'checkout'): Promise<PlaceResult> {
  checkEnteredBy(order, actor);
  const now = deps.clock.now();
  const claim = { key, requestHash, poId: deps.newId(), state: 'in_flight' as const, startedAt: now.toISOString() };
  const [existing, policy] = await Promise.all([deps.idempotency.claim(claim), deps.policies.get()]);
  let poId = claim.poId;
  let po: PurchaseOrder | undefined;
  if (existing) {
    if (existing.requestHash !== requestHash) {
      throw new IdempotencyKeyReusedError('this Idempotency-Key was used with a different request body');
    }
    poId = existing.poId;
    po = (await deps.pos.get(poId))?.po;
    if (existing.state === 'done' && po) {
      await deps.workflow.start(po.id, { ...executionInput(po, now) });
      return { po, replayed: true };
    }
    const stale = now.getTime() - Date.parse(existing.startedAt) >= STALE_CLAIM_MS;
    if (!stale || !(await deps.idempotency.takeOver({ ...existing, startedAt: now.toISOString() }, existing.startedAt))) {
      throw new RequestInFlightError('a request with this Idempotency-Key is still being processed; retry shortly');
    }
  }

  if (!po) {
    let total: number;
    try {
      total = priceOrder(order, policy).total;
      decidePlacement(order, total, policy);
    } catch (error) {
      // Nothing was created: free the key so the buyer can try again once the cause is fixed.
      await deps.idempotency.release(key);
      throw error;
    }
    // PO references need to be unique, not gapless (they are not tax documents): one write, no contention.
    const year = now.getUTCFullYear();
    const sequence = await deps.numbers.next('po', year);
    const holds = holdsApplyTo(order) ? await creditControl(deps, order.customer.id, policy, order.currency, total) : [];
    const placed = placePurchaseOrder({ id: poId, reference: formatNumber('po', year, sequence), order, policy, actor, ...(by ? { by } : {}), at: now, holds });
    try {
      await deps.pos.create(placed);
      po = placed;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      po = (await deps.pos.get(poId))!.po;
    }
  }
  // Both run to the end before the function answers (it may be frozen right after).
  const settled = await Promise.allSettled([deps.workflow.start(po.id, { ...executionInput(po, now) }), deps.idempotency.complete(key)]);
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return { po, replayed: false };
}

/**
 * Staff (finance, a support person) enter only what arrived by letter, email or fax: an offline
 * purchase order (Cleverbridge: "Customer Support will select the PO option when processing the
 * order"). Everything else is placed by the shop.
 */
function checkEnteredBy(order: OrderRequest, actor: Actor): void {
  if (actor === 'checkout') return;
  if (order.channel !== 'offline' || order.paymentMethod !== 'purchase_order') {
    throw new RuleViolation('staff enter orders received by letter, email or fax: channel "offline" and paymentMethod "purchase_order"; the shop places the others', 'staff_entry_offline_only');
  }
}

/**
 * The credit holds of a new PO. With a credit limit, what the customer owes in its currency is one
 * item the store keeps with each write of their POs (every open PO only while older POs are still
 * being counted in); with or without one, how many of theirs are overdue is one more.
 */
async function creditControl(deps: Pick<PlaceDeps, 'pos'>, customerId: string, policy: Policy, currency: string, total: number): Promise<HoldReason[]> {
  const limit = policy.customers[customerId]?.creditLimit ?? null;
  const [exposure, overdue] = await Promise.all([limit ? deps.pos.exposure(customerId, limit.currency) : null, deps.pos.overdueCount(customerId)]);
  if (limit && exposure === null) return creditHolds(creditAccount(customerId, await deps.pos.openForCustomer(customerId), policy), currency, total);
  return creditHoldsFromExposure(exposure ?? 0, overdue, limit, currency, total);
}

/** The same order, however its JSON was spaced or its keys ordered, has the same fingerprint. */
export function fingerprint(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}
