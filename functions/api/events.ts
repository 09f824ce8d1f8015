import { NotFoundError } from '../app/errors.js';
import type { Clock, EventStore, PurchaseOrderStore } from '../app/ports.js';
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
 * How long after its publication an event joins the feed. Publishers overlap and the feed's index
 * is eventually consistent (typically well under a second), so an event may land behind one a
 * reader has already passed; waiting this long means a cursor never passes an event that will
 * still appear before it.
 */
export const FEED_SETTLING_SECONDS = 10;

/**
 * GET /events?after=<cursor>&limit=<n> (finance): every event in the order it was published, a page
 * at a time, from FEED_SETTLING_SECONDS after its publication. Each page hands back the cursor to
 * ask after; an empty page hands back the same one, so a receiver that keeps its last cursor
 * reconciles after an outage by asking until it is empty.
 */
export const makeFeedHandler = (deps: { events: EventStore; clock: Clock }) =>
  routeHandler('ListEvents', async (event) => {
    const after = event.queryStringParameters?.after ?? null;
    const settledBefore = new Date(deps.clock.now().getTime() - FEED_SETTLING_SECONDS * 1000).toISOString();
    return json(200, await deps.events.feed(after, queryLimit(event, 500, 100), settledBefore));
  });
