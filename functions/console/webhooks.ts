import type { APIGatewayProxyResult } from 'aws-lambda';
import { bodies } from '../../contract/bodies.js';
import { eventTypes } from '../../contract/events.js';
import { NotFoundError } from '../app/errors.js';
import { createEndpoint, endpointView, redeliver, replay, rotateSecret, updateEndpoint } from '../app/webhooks.js';
import { log } from '../runtime/log.js';
import { finance, html, notFound, redirect, type ConsoleRequest, type ConsoleRoute } from './router.js';
import { webhookPage, webhooksPage } from './views/webhooks.js';

/** Finance's webhook endpoints: the list, one endpoint and its delivery log, and every change. */
const endpointId = '(we_[0-9a-f]{16})';
type Notice = { text: string; secret?: string };

async function showWebhooks(request: ConsoleRequest, status: number, notice?: Notice, problem?: string): Promise<APIGatewayProxyResult> {
  const { deps } = request;
  const now = deps.clock.now();
  return html(status, webhooksPage(await request.page('webhooks'), (await deps.webhooks.list()).map((endpoint) => endpointView(endpoint, now)), eventTypes, notice, problem));
}

async function showWebhook(request: ConsoleRequest, id: string, notice?: Notice): Promise<APIGatewayProxyResult> {
  const { deps } = request;
  const endpoint = await deps.webhooks.get(id);
  if (!endpoint) return notFound(request, 'There is no such webhook endpoint.', 'webhooks');
  const deliveries = await deps.webhooks.deliveries(id, 50);
  return html(200, webhookPage(await request.page('webhooks'), endpointView(endpoint, deps.clock.now()), deliveries.items, notice));
}

/** Finance adds an endpoint: the same rules as the API; the secret is shown on the page that answers, once. */
async function addWebhook(request: ConsoleRequest): Promise<APIGatewayProxyResult> {
  const { fields } = request;
  const parsed = bodies.webhookEndpoint.safeParse({ url: (fields.url ?? '').trim(), events: request.all('events'), ...(fields.description?.trim() ? { description: fields.description.trim() } : {}) });
  if (!parsed.success) return showWebhooks(request, 400, undefined, `Not added: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'form'} ${issue.message}`).join('; ')}.`);
  const { endpoint, secret } = await createEndpoint(request.deps, parsed.data);
  log.info('webhook endpoint added in the console', { by: request.by.id, endpoint: endpoint.id });
  return showWebhooks(request, 201, { text: `Added ${endpoint.url}.`, secret });
}

async function changeWebhook(request: ConsoleRequest, id: string, change: string, deliveryId: string | undefined): Promise<APIGatewayProxyResult> {
  const { deps, fields } = request;
  try {
    if (change === 'enable' || change === 'disable') {
      await updateEndpoint(deps, id, { status: change === 'enable' ? 'enabled' : 'disabled' }, request.by);
      return redirect(`${request.base}/webhooks/${id}`);
    }
    if (change === 'rotate') {
      const { secret } = await rotateSecret(deps, id);
      return showWebhook(request, id, { text: 'A new signing secret signs from now on.', secret });
    }
    if (change === 'delete') {
      await deps.webhooks.remove(id);
      return showWebhooks(request, 200, { text: 'Endpoint deleted. Deliveries in flight stop at their next attempt.' });
    }
    if (change === 'replay') {
      // The form's local date and time is taken as UTC, as every time in the console is shown.
      const since = new Date(`${fields.since ?? ''}${/Z$/.test(fields.since ?? '') ? '' : 'Z'}`);
      if (Number.isNaN(since.getTime()) || since > deps.clock.now()) return showWebhook(request, id, { text: 'Replay: choose a time in the past.' });
      // Each press is a replay of its own (the form's one-off key), run once even if the form is sent twice.
      await replay(deps, id, since, /^[A-Za-z0-9_-]{1,64}$/.test(fields.key ?? '') ? fields.key : undefined);
      return showWebhook(request, id, {
        text: `Replaying the events published since ${since.toISOString().slice(0, 16).replace('T', ' ')}, in the background: the deliveries show in the log below as they are sent.`,
      });
    }
    await redeliver(deps, id, deliveryId!);
    return showWebhook(request, id, { text: 'Sent again.' });
  } catch (error) {
    if (error instanceof NotFoundError) return notFound(request, 'There is no such webhook endpoint or delivery.', 'webhooks');
    throw error;
  }
}

export const webhookRoutes: ConsoleRoute[] = [
  { method: 'GET', path: /^\/webhooks$/, roles: finance, handle: (request) => showWebhooks(request, 200) },
  { method: 'GET', path: new RegExp(`^/webhooks/${endpointId}$`), roles: finance, handle: (request, [id]) => showWebhook(request, id!) },
  { method: 'POST', path: /^\/webhooks\/create$/, roles: finance, handle: addWebhook },
  {
    method: 'POST',
    path: new RegExp(`^/webhooks/${endpointId}/(enable|disable|rotate|delete|replay|deliveries/([A-Za-z0-9_-]{1,100})/redeliver)$`),
    roles: finance,
    handle: (request, [id, change, deliveryId]) => changeWebhook(request, id!, change!, deliveryId),
  },
];
