import { routes } from '../../contract/routes.js';
import { consoleBase, json } from '../http/http.js';
import { publicRouteHandler, serve, type GroupHandlers } from '../http/routing.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { openApiDocument } from '../http/openapi.js';

/**
 * GET /openapi.json (no key): the OpenAPI 3.1 document of every route and webhook, generated from the
 * routes table and its schemas when the function starts. Its server is this API where it was asked
 * (the stage's path on AWS), so a client generated from it reaches the routes as they are.
 */
export const makeHandler = () => {
  const document = openApiDocument(routes);
  return publicRouteHandler('GetOpenApi', async (event) => {
    const base = consoleBase(event).replace(/\/console$/, '') || '/';
    return json(200, { ...document, servers: [{ url: base, description: 'this API' }] }, { 'Cache-Control': 'public, max-age=300' });
  });
};

export const makeRoutes = (): GroupHandlers<'OpenApi'> => ({ GetOpenApi: makeHandler() });

export const handler = lazyHandler(() => serve('OpenApi', makeRoutes()));
