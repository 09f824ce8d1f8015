import type { PolicyStore } from '../app/ports.js';
import { policySchema } from '../../contract/policy.js';
import { json, parseJson } from '../http/http.js';
import { routeHandler, serve, type GroupHandlers } from '../http/routing.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { stores } from '../wiring/stores.js';

/** GET /policy and PUT /policy (finance). An invalid policy is refused whole; nothing of it is stored. */
export const makeGetHandler = (deps: { policies: PolicyStore }) =>
  routeHandler('GetPolicy', async (event) => {
    return json(200, await deps.policies.get());
  });

export const makePutHandler = (deps: { policies: PolicyStore }) =>
  routeHandler('PutPolicy', async (event) => {
    const { value } = parseJson(event, policySchema);
    await deps.policies.put(value);
    return json(200, value);
  });

export const makeRoutes = (deps: { policies: PolicyStore }): GroupHandlers<'PutPolicy'> => ({ PutPolicy: makePutHandler(deps) });

export const handler = lazyHandler(() => serve('PutPolicy', makeRoutes({ policies: stores().policies })));
