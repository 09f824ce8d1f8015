import { NotFoundError } from '../app/errors.js';
import type { EventStore, PurchaseOrderStore } from '../app/ports.js';
import { eventsOf } from '../domain/events.js';
import { json, pathParam, queryLimit } from '../http/http.js';
import { routeHandler } from '../http/routing.js';

/**
 * GET /purchase-orders/{id}/events (checkout, finance): the PO's events in sequence, from its
 * history, the same ids and data as delivered.
 */
export const makePoEventsHandler = (deps: { pos: PurchaseOrderStore }) =>
  routeHandler('ListPurchaseOrderEvents', async (event) => {
    const id = pathParam(event, 'id');
    const stored = await deps.pos.get(id);
    if (!stored) throw new NotFoundError(`purchase order ${id} not found`);
    return json(200, { items: eventsOf(stored.po).map(({ entryIndex: _entry, ...published }) => published) });
  });

/**
 * GET /events?after=<cursor>&limit=<n> (finance): every event in the order it was published, a page
 * at a time. Each page hands back the cursor to ask after; an empty page hands back the same one,
 * so a receiver that keeps its last cursor reconciles after an outage by asking until it is empty.
 */
export const makeFeedHandler = (deps: { events: EventStore }) =>
  routeHandler('ListEvents', async (event) => {
    const after = event.queryStringParameters?.after ?? null;
    return json(200, await deps.events.feed(after, queryLimit(event, 500, 100)));
  });
