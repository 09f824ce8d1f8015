import type { APIGatewayProxyEvent } from 'aws-lambda';
import { NotFoundError } from '../app/errors.js';
import { addressRules } from '../wiring/addresses.js';
import { createEndpoint, endpointView, getEndpoint, redeliver, replay, rotateSecret, updateEndpoint, type EndpointDeps, type ResendDeps } from '../app/webhooks.js';
import { bodies } from '../../contract/bodies.js';
import { HttpProblem, json, parseJson, pathParam, queryLimit } from '../http/http.js';
import { routeHandler, serve, type GroupHandlers } from '../http/routing.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { systemClock } from '../wiring/clock.js';
import { deliveries, eventStores, replays, webhookBox } from '../wiring/events.js';

/**
 * Webhook endpoints, managed by finance: create (the secret is shown then, and on rotation, never
 * again), list, read, change (URL, event types, enabled or disabled), rotate the secret, delete;
 * each endpoint's delivery log, a redelivery of one delivery, a replay of everything since a time.
 */
const endpointId = (event: APIGatewayProxyEvent) => pathParam(event, 'id');

export const makeCreateHandler = (deps: EndpointDeps) =>
  routeHandler('CreateWebhookEndpoint', async (event) => {
    const { value } = parseJson(event, bodies.webhookEndpoint);
    const { endpoint, secret } = await createEndpoint(deps, value);
    return json(201, { ...endpointView(endpoint, deps.clock.now()), secret }, { Location: `/webhook-endpoints/${endpoint.id}` });
  });

export const makeListHandler = (deps: EndpointDeps) =>
  routeHandler('ListWebhookEndpoints', async (event) => {
    const now = deps.clock.now();
    return json(200, { items: (await deps.webhooks.list()).map((endpoint) => endpointView(endpoint, now)) });
  });

export const makeGetHandler = (deps: EndpointDeps) =>
  routeHandler('GetWebhookEndpoint', async (event) => {
    return json(200, endpointView(await getEndpoint(deps, endpointId(event)), deps.clock.now()));
  });

export const makeUpdateHandler = (deps: EndpointDeps) =>
  routeHandler('UpdateWebhookEndpoint', async (event, { by }) => {
    const id = endpointId(event);
    const { value } = parseJson(event, bodies.webhookUpdate);
    return json(200, endpointView(await updateEndpoint(deps, id, value, by), deps.clock.now()));
  });

export const makeDeleteHandler = (deps: EndpointDeps) =>
  routeHandler('DeleteWebhookEndpoint', async (event) => {
    const id = endpointId(event);
    if (!(await deps.webhooks.remove(id))) throw new NotFoundError(`webhook endpoint ${id} not found`);
    return { statusCode: 204, headers: { 'Cache-Control': 'no-store' }, body: '' };
  });

export const makeRotateHandler = (deps: EndpointDeps) =>
  routeHandler('RotateWebhookSecret', async (event) => {
    const { endpoint, secret } = await rotateSecret(deps, endpointId(event));
    return json(200, { ...endpointView(endpoint, deps.clock.now()), secret });
  });

export const makeDeliveriesHandler = (deps: EndpointDeps) =>
  routeHandler('ListWebhookDeliveries', async (event) => {
    const id = endpointId(event);
    await getEndpoint(deps, id);
    const limit = queryLimit(event, 100, 50);
    const cursor = event.queryStringParameters?.cursor ?? undefined;
    return json(200, await deps.webhooks.deliveries(id, limit, cursor));
  });

export const makeRedeliverHandler = (deps: ResendDeps) =>
  routeHandler('RedeliverWebhook', async (event) => {
    const delivery = await redeliver(deps, endpointId(event), pathParam(event, 'deliveryId'));
    return json(202, { delivery });
  });

export const makeReplayHandler = (deps: ResendDeps) =>
  routeHandler('ReplayWebhooks', async (event) => {
    const id = endpointId(event);
    const { value } = parseJson(event, bodies.replay);
    const since = new Date(value.since);
    if (since.getTime() > deps.clock.now().getTime()) throw new HttpProblem(400, 'Bad Request', 'since is in the future', { errors: [{ path: 'since', message: 'must not be in the future' }] });
    return json(202, await replay(deps, id, since, value.key));
  });

export const makeRoutes = (deps: EndpointDeps & ResendDeps): GroupHandlers<'WebhookEndpoints'> => ({
  CreateWebhookEndpoint: makeCreateHandler(deps),
  ListWebhookEndpoints: makeListHandler(deps),
  GetWebhookEndpoint: makeGetHandler(deps),
  UpdateWebhookEndpoint: makeUpdateHandler(deps),
  DeleteWebhookEndpoint: makeDeleteHandler(deps),
  RotateWebhookSecret: makeRotateHandler(deps),
  ListWebhookDeliveries: makeDeliveriesHandler(deps),
  RedeliverWebhook: makeRedeliverHandler(deps),
  ReplayWebhooks: makeReplayHandler(deps),
});

export const handler = lazyHandler(() => serve('WebhookEndpoints', makeRoutes({ ...eventStores(), deliveries: deliveries(), clock: systemClock, addresses: addressRules(), box: webhookBox(), replays: replays() })));
