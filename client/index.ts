import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.js';

/**
 * A typed client of the API, from its OpenAPI document (docs/openapi.json; `npm run docs` regenerates
 * the types in schema.d.ts). Every path, parameter, body and answer is typed:
 *
 *   const api = purchaseOrdersClient('http://127.0.0.1:3000', process.env.PO_FINANCE_KEY);
 *   const { data, error } = await api.GET('/purchase-orders/{id}/events', { params: { path: { id } } });
 *
 * `data` is the answer of a 2xx, `error` the problem details of anything else.
 */
export type { paths } from './schema.js';

export function purchaseOrdersClient(baseUrl: string, key?: string, options: { fetch?: typeof fetch; middleware?: Middleware[] } = {}) {
  const client = createClient<paths>({
    baseUrl: baseUrl.replace(/\/$/, ''),
    headers: key ? { Authorization: `Bearer ${key}` } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  for (const middleware of options.middleware ?? []) client.use(middleware);
  return client;
}

export type PurchaseOrdersClient = ReturnType<typeof purchaseOrdersClient>;
