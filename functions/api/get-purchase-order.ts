import { NotFoundError } from '../app/errors.js';
import type { PurchaseOrderStore } from '../app/ports.js';
import { json, pathParam } from '../http/http.js';
import { routeHandler } from '../http/routing.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { presentPurchaseOrder } from '../http/present.js';
import { stores } from '../wiring/stores.js';

/** GET /purchase-orders/{id} (checkout, finance). */
export const makeHandler = (deps: { pos: PurchaseOrderStore }) =>
  routeHandler('GetPurchaseOrder', async (event) => {
    const id = pathParam(event, 'id');
    const stored = await deps.pos.get(id);
    if (!stored) throw new NotFoundError(`purchase order ${id} not found`);
    return json(200, presentPurchaseOrder(stored.po));
  });

export const handler = lazyHandler(() => makeHandler({ pos: stores().pos }));
