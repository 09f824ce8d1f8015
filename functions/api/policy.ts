import type { PolicyStore } from '../app/ports.js';
import { policySchema } from '../domain/policy.js';
import { authorize, json, parseJson, withProblems } from '../http/http.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { stores } from '../wiring/stores.js';

/** GET /policy and PUT /policy (finance). An invalid policy is refused whole; nothing of it is stored. */
export const makeGetHandler = (deps: { policies: PolicyStore }) =>
  withProblems('get-policy', async (event) => {
    authorize(event, ['finance']);
    return json(200, await deps.policies.get());
  });

export const makePutHandler = (deps: { policies: PolicyStore }) =>
  withProblems('put-policy', async (event) => {
    authorize(event, ['finance']);
    const { value } = parseJson(event, policySchema);
    await deps.policies.put(value);
    return json(200, value);
  });

export const getHandler = lazyHandler(() => makeGetHandler({ policies: stores().policies }));
export const putHandler = lazyHandler(() => makePutHandler({ policies: stores().policies }));
