import { apply, type Action, type ActionContext, type PurchaseOrder } from '../domain/purchase-order.js';
import { workflowView } from '../domain/workflow-view.js';
import { ConcurrentUpdateError, NotFoundError } from './errors.js';
import type { Clock, PurchaseOrderStore, Workflow } from './ports.js';

export interface ChangeDeps {
  pos: PurchaseOrderStore;
  workflow: Workflow;
  clock: Clock;
}

/**
 * Applies an action (or several in order, saved as one write) to a PO with a conditional write,
 * re-reading and re-deciding when another writer got there first (so the loser of a race sees the
 * winner's status and gets a TransitionError). A caller that has just read the PO passes it as
 * `known` and saves a read; if it is stale, the write fails its condition and the loop re-reads.
 * The write takes the workflow's parked token, if any, and this releases it with the new view.
 */
export async function changePurchaseOrder(
  deps: ChangeDeps,
  id: string,
  actions: Action | Action[],
  ctx: ActionContext,
  known?: PurchaseOrder,
): Promise<PurchaseOrder> {
  for (let attempt = 0; ; attempt += 1) {
    const current = attempt === 0 && known ? known : (await deps.pos.get(id))?.po;
    if (!current) throw new NotFoundError(`purchase order ${id} not found`);
    const next = (Array.isArray(actions) ? actions : [actions]).reduce((po, action) => apply(po, action, ctx), current);
    if (next === current) return next; // nothing to change (a repeated, idempotent action)
    try {
      const saved = await deps.pos.save(next, current.version);
      if (saved.waitToken) await deps.workflow.signal(saved.waitToken, { ...workflowView(saved.po, deps.clock.now()) });
      return saved.po;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 20) continue;
      throw error;
    }
  }
}
