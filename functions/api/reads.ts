import { lazyHandler } from '../runtime/lazy-handler.js';
import { serve, type GroupHandlers } from '../http/routing.js';
import type { Clock, DocumentStore, EventStore, FileStore, PolicyStore, PurchaseOrderStore } from '../app/ports.js';
import { systemClock } from '../wiring/clock.js';
import { files } from '../wiring/files.js';
import { eventStores } from '../wiring/events.js';
import { stores } from '../wiring/stores.js';
import { makeHandler as makeCustomerAccount } from './customer-account.js';
import { makeFeedHandler, makePoEventsHandler } from './events.js';
import { makeHandler as makeGetDocument } from './get-document.js';
import { makeHandler as makeGetPurchaseOrder } from './get-purchase-order.js';
import { makeHandler as makeListPurchaseOrders } from './list-purchase-orders.js';
import { makeGetHandler as makeGetPolicy } from './policy.js';

/** The function of the API's reads (POs, documents, events, customer accounts, the policy): it may read the table, and copy documents to the files bucket for their download links. */
export interface ReadDeps {
  pos: PurchaseOrderStore;
  documents: DocumentStore;
  policies: PolicyStore;
  events: EventStore;
  files: FileStore;
  clock: Clock;
}

export const makeRoutes = (deps: ReadDeps): GroupHandlers<'Reads'> => ({
  GetPurchaseOrder: makeGetPurchaseOrder(deps),
  GetDocument: makeGetDocument(deps),
  ListPurchaseOrders: makeListPurchaseOrders(deps),
  GetCustomerAccount: makeCustomerAccount(deps),
  ListPurchaseOrderEvents: makePoEventsHandler(deps),
  ListEvents: makeFeedHandler(deps),
  GetPolicy: makeGetPolicy(deps),
});

export const handler = lazyHandler(() => serve('Reads', makeRoutes({ ...stores(), events: eventStores().events, files: files(), clock: systemClock })));
