import { routes } from '../../infra/routes.js';
import { consoleBase, json, withProblems } from '../http/http.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { openApiDocument } from '../http/openapi.js';

/**
 * GET /openapi.json (no key): the OpenAPI 3.1 document of every route and webhook, generated from the
 * routes table and its schemas when the function starts. Its server is this API where it was asked
 * (the stage's path on AWS), so a client generated from it reaches the routes as they are.
 */
export const makeHandler = () => {
  const document = openApiDocument(routes);
  return withProblems('openapi', async (event) => {
    const base = consoleBase(event).replace(/\/console$/, '') || '/';
    return json(200, { ...document, servers: [{ url: base, description: 'this API' }] }, { 'Cache-Control': 'public, max-age=300' });
  });
};

export const handler = lazyHandler(() => makeHandler());
