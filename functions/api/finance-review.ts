import { z } from 'zod';
import { changePurchaseOrder, type ChangeDeps } from '../app/change.js';
import type { Clock, Secrets } from '../app/ports.js';
import { authorize, json, parseJson, pathParam, withProblems } from '../http/http.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { presentPurchaseOrder } from '../http/present.js';
import { secrets, signalOnlyWorkflow, stores, systemClock } from '../wiring.js';

const bodySchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().max(2000).optional(),
});

/** POST /purchase-orders/{id}/review (finance): release or reject from the back office. */
export const makeHandler = (deps: ChangeDeps & { secrets: Secrets; clock: Clock }) =>
  withProblems('finance-review', async (event) => {
    const actor = await authorize(event, deps.secrets, ['finance']);
    const id = pathParam(event, 'id');
    const { value } = parseJson(event, bodySchema);
    const action = value.comment ? { type: value.decision, comment: value.comment } : { type: value.decision };
    const po = await changePurchaseOrder(deps, id, action, { actor, at: deps.clock.now() });
    return json(200, presentPurchaseOrder(po));
  });

export const handler = lazyHandler(() => makeHandler({ pos: stores().pos, workflow: signalOnlyWorkflow(), secrets: secrets(), clock: systemClock }));
