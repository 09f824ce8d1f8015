import { TransitionError } from '../domain/errors.js';
import type { ActionContext, PurchaseOrder } from '../domain/purchase-order/index.js';
import { nextStep } from '../domain/workflow-view.js';
import { executionInput } from '../domain/workflow-view.js';
import { changePurchaseOrder, type ChangeDeps } from './change.js';
import { NotFoundError } from './errors.js';

/**
 * Finance resumes a PO's workflow from where the PO stands. A workflow that stopped at a failed step
 * waits for this ("Await resume"): clearing the PO's attention wakes it, and it routes on the status
 * as usual. An execution that ended badly (it failed, timed out or was stopped) is replaced by a
 * fresh one, which starts by telling what was not told yet and then takes the PO's next step.
 */
export async function resumeWorkflow(deps: ChangeDeps, id: string, ctx: Omit<ActionContext, 'at'>): Promise<PurchaseOrder> {
  const stored = await deps.pos.get(id);
  if (!stored) throw new NotFoundError(`purchase order ${id} not found`);
  const at = () => ({ ...ctx, at: deps.clock.now() });
  if (await deps.workflow.isRunning(id)) return changePurchaseOrder(deps, id, { type: 'resume' }, at(), stored);
  let po = stored.po;
  if (['completed', 'rejected', 'cancelled'].includes(nextStep(po))) {
    throw new TransitionError('resume', po.status, 'the purchase order is finished: its workflow has nothing left to do');
  }
  if (po.attention) po = await changePurchaseOrder(deps, id, { type: 'resume' }, at(), stored);
  await deps.workflow.restart(id, { ...executionInput(po, deps.clock.now()) });
  return po;
}
