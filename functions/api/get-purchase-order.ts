import { NotFoundError } from '../app/errors.js';
import type { PurchaseOrderStore, Secrets } from '../app/ports.js';
import { authorize, json, pathParam, withProblems } from '../http/http.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { presentPurchaseOrder } from '../http/present.js';
import { secrets } from '../wiring/secrets.js';
import { stores } from '../wiring/stores.js';

/** GET /purchase-orders/{id} (checkout, finance). */
export const makeHandler = (deps: { pos: PurchaseOrderStore; secrets: Secrets }) =>
  withProblems('get-purchase-order', async (event) => {
    await authorize(event, deps.secrets, ['checkout', 'finance']);
    const id = pathParam(event, 'id');
    const stored = await deps.pos.get(id);
    if (!stored) throw new NotFoundError(`purchase order ${id} not found`);
    return json(200, presentPurchaseOrder(stored.po));
  });

export const handler = lazyHandler(() => makeHandler({ pos: stores().pos, secrets: secrets() }));
