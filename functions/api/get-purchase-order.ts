import { NotFoundError } from '../app/errors.js';
import type { PurchaseOrderStore } from '../app/ports.js';
import { json, pathParam } from '../http/http.js';
import { routeHandler } from '../http/routing.js';

import { presentPurchaseOrder } from '../http/present.js';

/** GET /purchase-orders/{id} (checkout, finance). */
export const makeHandler = (deps: { pos: PurchaseOrderStore }) =>
  routeHandler('GetPurchaseOrder', async (event) => {
    const id = pathParam(event, 'id');
    const stored = await deps.pos.get(id);
    if (!stored) throw new NotFoundError(`purchase order ${id} not found`);
    return json(200, presentPurchaseOrder(stored.po));
  });
