import { apply, type Action, type ActionContext, type PurchaseOrder } from '../domain/purchase-order/index.js';
import { workflowView } from '../domain/workflow-view.js';
import { ConcurrentUpdateError, NotFoundError } from './errors.js';
import type { Clock, PurchaseOrderStore, StoredPurchaseOrder, Workflow } from './ports.js';
import { log } from '../runtime/log.js';

export interface ChangeDeps {
  pos: PurchaseOrderStore;
  workflow: Workflow;
  clock: Clock;
}

/**
 * Applies an action (or several in order, saved as one write) to a PO with a conditional write,
 * re-reading and re-deciding when another writer got there first (so the loser of a race sees the
 * winner's status and gets a TransitionError). A caller that has just read the PO passes it as
 * `known` (as stored, with its parked token, when a workflow may be waiting on it) and saves a read;
 * if it is stale, the write fails its condition and the loop re-reads.
 *
 * If the PO's workflow is parked on it, the write turns the parked token into a signal owed, and
 * this then sends it with the new view. A signal that fails (a crash, a throttle, a timeout) does
 * not fail the change: it stays owed on the PO, and the reconciler sends it.
 */
export async function changePurchaseOrder(
  deps: ChangeDeps,
  id: string,
  actions: Action | Action[],
  ctx: ActionContext,
  known?: StoredPurchaseOrder | PurchaseOrder,
): Promise<PurchaseOrder> {
  for (let attempt = 0; ; attempt += 1) {
    // A bare PO says no token is parked (the caller's own workflow step is running); if one is, the
    // write's condition fails and the loop reads it.
    const current = attempt === 0 && known ? ('po' in known ? known : { po: known, waitToken: null }) : await deps.pos.get(id);
    if (!current) throw new NotFoundError(`purchase order ${id} not found`);
    const next = (Array.isArray(actions) ? actions : [actions]).reduce((po, action) => apply(po, action, ctx), current.po);
    if (next === current.po) return next; // nothing to change (a repeated, idempotent action)
    try {
      const saved = await deps.pos.save(next, current.po.version, current.waitToken);
      if (saved.owedToken) await deliverSignal(deps, saved.po, saved.owedToken);
      return saved.po;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 20) continue;
      throw error;
    }
  }
}

/** Sends an owed signal with the PO's view and settles it; on failure it stays owed (see reconcile). */
export async function deliverSignal(deps: ChangeDeps, po: PurchaseOrder, token: string): Promise<boolean> {
  try {
    await deps.workflow.signal(token, { ...workflowView(po, deps.clock.now()) });
    await deps.pos.settleSignal(po.id, token);
    return true;
  } catch (error) {
    log.warn('signal owed', { poId: po.id, version: po.version, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return false;
  }
}

/**
 * Wakes every workflow that is behind its PO: a change was saved while it was parked, and the
 * signal never arrived (the process died, or Step Functions refused it). Signals owed for less than
 * `graceSeconds` are left to the change that owes them. Runs on a schedule; safe to run at any time
 * and more than once (a token that has moved on is ignored).
 */
export async function reconcile(deps: ChangeDeps, graceSeconds = 60): Promise<{ found: number; woken: number; handedOver: number; indexed: number; counted: number; kept: number }> {
  const signals = await reconcileSignals(deps, graceSeconds);
  // Open POs stored before credit control's index, or before each customer's exposure was kept with
  // each write: a few hundred a run until none are left. POs stored before the counts, lists and
  // search terms were kept: two thousand a run (50,000 in about two hours of five-minute runs).
  const indexed = await deps.pos.indexOpenByCustomer(500);
  const counted = await deps.pos.countExposure(500);
  return { ...signals, handedOver: await handOverLongWaits(deps), indexed, counted, kept: await deps.pos.countKept(2000) };
}

/**
 * A Standard execution may run for a year; a PO may wait longer (prepayment, collection on
 * delivery, goods paid and not shipped). An execution waiting for more than `HAND_OVER_AFTER_DAYS`
 * is woken with "handover": it starts its successor and ends. If a change wakes it first, the
 * reconciler's signal is refused and the next run tries again (the execution's age is unchanged).
 */
export const HAND_OVER_AFTER_DAYS = 355;

export async function handOverLongWaits(deps: ChangeDeps): Promise<number> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - HAND_OVER_AFTER_DAYS * 86_400_000).toISOString();
  let handed = 0;
  for (const { id, token } of await deps.pos.longWaits(before, 500)) {
    const stored = await deps.pos.get(id);
    if (!stored || stored.waitToken !== token) continue; // it moved meanwhile
    try {
      await deps.workflow.signal(token, { ...workflowView(stored.po, now), next: 'handover' });
      handed += 1;
    } catch (error) {
      log.warn('hand-over not sent', { poId: id, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  return handed;
}

async function reconcileSignals(deps: ChangeDeps, graceSeconds: number): Promise<{ found: number; woken: number }> {
  const before = new Date(deps.clock.now().getTime() - graceSeconds * 1000).toISOString();
  let found = 0;
  let woken = 0;
  for (let round = 0; round < 20; round += 1) {
    const ids = await deps.pos.owedSignals(before, 100);
    let progressed = false;
    for (const id of ids) {
      found += 1;
      const stored = await deps.pos.get(id);
      if (!stored?.owedToken) continue;
      if (await deliverSignal(deps, stored.po, stored.owedToken)) {
        woken += 1;
        progressed = true;
      }
    }
    if (ids.length < 100 || !progressed) break;
  }
  return { found, woken };
}
