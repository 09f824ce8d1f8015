import { apply, type Action, type ActionContext, type PurchaseOrder } from '../domain/purchase-order.js';
import { waitOutcome } from '../domain/waits.js';
import { ConcurrentUpdateError, type PurchaseOrderStore, type Workflow } from './ports.js';

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export interface ChangeDeps {
  pos: PurchaseOrderStore;
  workflow: Workflow;
}

/**
 * Applies one action to a PO with a conditional write, re-reading and re-deciding when another
 * writer got there first (so the loser of a race sees the winner's status and gets a TransitionError).
 * Then, if the workflow is waiting on this PO and the change ends its wait, releases it.
 */
export async function changePurchaseOrder(deps: ChangeDeps, id: string, action: Action, ctx: ActionContext): Promise<PurchaseOrder> {
  for (let attempt = 0; ; attempt += 1) {
    const stored = await deps.pos.get(id);
    if (!stored) throw new NotFoundError(`purchase order ${id} not found`);
    const next = apply(stored.po, action, ctx);
    if (next === stored.po) return next; // nothing to change (a repeated, idempotent action)
    try {
      const saved = await deps.pos.save(next, stored.po.version);
      await releaseWaitIfOver(deps, saved.po, saved.wait);
      return saved.po;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 20) continue;
      throw error;
    }
  }
}

export async function releaseWaitIfOver(
  deps: ChangeDeps,
  po: PurchaseOrder,
  wait: { kind: Parameters<typeof waitOutcome>[0]; token: string } | null,
): Promise<void> {
  if (!wait) return;
  const outcome = waitOutcome(wait.kind, po);
  if (outcome) await deps.workflow.signal(wait.token, outcome);
}
