import { z } from 'zod';
import { changePurchaseOrder, type ChangeDeps } from '../app/change.js';
import type { Clock, Secrets } from '../app/ports.js';
import { authorize, json, parseJson, pathParam, withProblems } from '../http/http.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { presentPurchaseOrder } from '../http/present.js';
import { secrets, signalOnlyWorkflow, stores, systemClock } from '../wiring.js';

const bodySchema = z.strictObject({
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  reference: z.string().trim().min(1).max(200),
});

/** POST /purchase-orders/{id}/payments (finance): a confirmed payment; a known reference counts once. */
export const makeHandler = (deps: ChangeDeps & { secrets: Secrets; clock: Clock }) =>
  withProblems('record-payment', async (event) => {
    const actor = await authorize(event, deps.secrets, ['finance']);
    const id = pathParam(event, 'id');
    const { value } = parseJson(event, bodySchema);
    const po = await changePurchaseOrder(deps, id, { type: 'record_payment', ...value }, { actor, at: deps.clock.now() });
    return json(200, presentPurchaseOrder(po));
  });

export const handler = lazyHandler(() => makeHandler({ pos: stores().pos, workflow: signalOnlyWorkflow(), secrets: secrets(), clock: systemClock }));
