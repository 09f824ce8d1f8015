import { fingerprint, placeOrder, type PlaceDeps } from '../app/place.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { header, HttpProblem, json, parseJson } from '../http/http.js';
import { routeHandler, serve, type GroupHandlers } from '../http/routing.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { presentPurchaseOrder } from '../http/present.js';
import { newId, systemClock } from '../wiring/clock.js';
import { stores } from '../wiring/stores.js';
import { workflow } from '../wiring/workflow.js';
import { seller } from '../wiring/seller.js';
import type { SellerProfile } from '../domain/seller.js';
import { placementInstructions } from '../domain/instructions.js';

/**
 * POST /purchase-orders: checkout places a PO, once per Idempotency-Key; finance and signed-in staff
 * enter an order that arrived by letter (the history names who). The answer carries what the
 * buyer's confirmation page shows: the reference, and what to do next.
 */
export const makeHandler = (deps: PlaceDeps & { seller: SellerProfile }) =>
  routeHandler('PlacePurchaseOrder', async (event, { actor, by }) => {
    const key = header(event, 'idempotency-key')?.trim();
    if (!key) throw new HttpProblem(400, 'Bad Request', 'the Idempotency-Key header is required');
    if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
      throw new HttpProblem(400, 'Bad Request', 'the Idempotency-Key must be 1 to 255 printable ASCII characters');
    }
    const { value } = parseJson(event, orderRequestSchema);
    const result = await placeOrder(deps, key, fingerprint(value), value, by, actor);
    return json(201, { ...presentPurchaseOrder(result.po), instructions: placementInstructions(result.po, deps.seller) }, {
      Location: `/purchase-orders/${result.po.id}`,
      ...(result.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    });
  });

export { fingerprint };

export const makeRoutes = (deps: PlaceDeps & { seller: SellerProfile }): GroupHandlers<'PlacePurchaseOrder'> => ({ PlacePurchaseOrder: makeHandler(deps) });

export const handler = lazyHandler(() => serve('PlacePurchaseOrder', makeRoutes({ ...stores(), workflow: workflow(), clock: systemClock, newId, seller: seller() })));
