import { randomBytes } from 'node:crypto';
import type { Who } from '../../../contract/purchase-order.js';
import { type Page, layout } from './layout.js';
import { SafeHtml, html } from '../../templates/html.js';

/** Webhook endpoints: the list, one endpoint with its delivery log. */

const endpointStatus = (endpoint: WebhookView) =>
  endpoint.status === 'enabled' ? (endpoint.failingSince ? `enabled, failing since ${endpoint.failingSince.slice(0, 16).replace('T', ' ')}` : 'enabled') : 'disabled';

/** An endpoint as the console shows it (the API's view: no secrets). */
export interface WebhookView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: 'enabled' | 'disabled';
  disabled: { at: string; reason: string; by: Who } | null;
  failingSince: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

/** Finance's webhook endpoints: where the seller's systems hear of every change, and a form to add one. */
export function webhooksPage(page: Page, endpoints: WebhookView[], eventTypes: readonly string[], notice?: { text: string; secret?: string }, problem?: string): string {
  const session = page.session!;
  return layout(
    { ...page, title: 'Webhooks', current: 'webhooks' },
    html`<h1>Webhooks</h1><p class="muted">The seller's systems (shop, ERP, warehouse) hear of every change of a purchase order here: each event is POSTed to each endpoint that hears its type, signed (Standard Webhooks), and tried again for about a day and a half until it is taken.</p>
${notice ? html`<p class="notice" role="status">${notice.text}${notice.secret ? html` Signing secret: <code>${notice.secret}</code> (shown this once: give it to the receiver now).` : ''}</p>` : ''}
${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
<section class="card" aria-labelledby="h-endpoints"><h2 id="h-endpoints">Endpoints</h2>${
      endpoints.length
        ? html`<table><thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Added</th></tr></thead><tbody>${endpoints.map(
            (endpoint) =>
              html`<tr><td><a href="${page.base}/webhooks/${endpoint.id}">${endpoint.url}</a>${endpoint.description ? html`<br><span class="muted">${endpoint.description}</span>` : ''}</td><td>${endpoint.events.length ? endpoint.events.join(', ') : 'all'}</td><td>${endpointStatus(endpoint)}</td><td>${endpoint.createdAt.slice(0, 10)}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="muted">No endpoints yet.</p>`
    }</section>
<section class="card" aria-labelledby="h-add"><h2 id="h-add">Add an endpoint</h2>
<form method="post" action="${page.base}/webhooks/create"><input type="hidden" name="csrf" value="${session.csrf}">
<p><label for="webhook-url">URL (https, or http to 127.0.0.1)</label><input id="webhook-url" name="url" type="url" required maxlength="2000" placeholder="https://erp.example/hooks"></p>
<p><label for="webhook-description">Description</label><input id="webhook-description" name="description" maxlength="200" placeholder="ERP"></p>
<fieldset><legend>Events (none ticked: all of them)</legend><div class="checks">${eventTypes.map(
      (type) => html`<label class="check"><input type="checkbox" name="events" value="${type}"> ${type}</label>`,
    )}</div></fieldset>
<p><button type="submit" class="primary">Add endpoint</button></p></form></section>`,
  );
}

/** One endpoint: what it hears, its state, its delivery log, and what finance may do with it. */
export function webhookPage(
  page: Page,
  endpoint: WebhookView,
  deliveries: { id: string; eventId: string; eventType: string; poId: string; status: string; attempts: number; lastAttempt: { at: string; status: number | null; error: string | null } | null; nextAttemptAt: string | null; reason: string | null }[],
  notice?: { text: string; secret?: string },
): string {
  const session = page.session!;
  const post = (action: string, label: string, kind = '', fields: SafeHtml | string = '') =>
    html`<form method="post" action="${page.base}/webhooks/${endpoint.id}/${action}" class="action"><input type="hidden" name="csrf" value="${session.csrf}">${fields}<button type="submit" class="${kind}">${label}</button></form>`;
  const answer = (attempt: { status: number | null; error: string | null } | null) => (attempt ? (attempt.status === null ? (attempt.error ?? 'no answer') : `HTTP ${attempt.status}`) : '');
  return layout(
    { ...page, title: `Webhook ${endpoint.url}`, current: 'webhooks' },
    html`<p><a href="${page.base}/webhooks">All webhooks</a></p><h1>${endpoint.url}</h1>
${notice ? html`<p class="notice" role="status">${notice.text}${notice.secret ? html` New signing secret: <code>${notice.secret}</code> (shown this once; the old one signs beside it for 24 hours).` : ''}</p>` : ''}
<section class="card" aria-labelledby="h-endpoint"><h2 id="h-endpoint">Endpoint</h2><dl class="facts">
<dt>Status</dt><dd>${endpointStatus(endpoint)}</dd>
${endpoint.disabled ? html`<dt>Disabled</dt><dd>${endpoint.disabled.at.slice(0, 16).replace('T', ' ')}: ${endpoint.disabled.reason}</dd>` : ''}
<dt>Events</dt><dd>${endpoint.events.length ? endpoint.events.join(', ') : 'all'}</dd>
${endpoint.description ? html`<dt>Description</dt><dd>${endpoint.description}</dd>` : ''}
${endpoint.previousSecretExpiresAt ? html`<dt>Previous secret</dt><dd>signs until ${endpoint.previousSecretExpiresAt.slice(0, 16).replace('T', ' ')}</dd>` : ''}
</dl><div class="actions">${[
      endpoint.status === 'enabled' ? post('disable', 'Disable', 'danger') : post('enable', 'Enable', 'primary'),
      post('rotate', 'Rotate secret'),
      post('replay', 'Replay', '', html`<label for="replay-since">Events published since (UTC)</label><input id="replay-since" name="since" type="datetime-local" required><input type="hidden" name="key" value="${randomBytes(9).toString('base64url')}">`),
      post('delete', 'Delete endpoint', 'danger'),
    ]}</div></section>
<section class="card" aria-labelledby="h-deliveries"><h2 id="h-deliveries">Deliveries</h2>${
      deliveries.length
        ? html`<table><thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">Next attempt</th><th scope="col"></th></tr></thead><tbody>${deliveries.map(
            (delivery) =>
              html`<tr><td>${delivery.eventType}<br><a class="muted" href="${page.base}/po/${delivery.poId}">${delivery.eventId}</a></td><td>${delivery.status}${delivery.reason && delivery.status !== 'delivered' ? html`<br><span class="muted">${delivery.reason}</span>` : ''}</td><td>${delivery.attempts}</td><td>${answer(delivery.lastAttempt)}</td><td>${delivery.nextAttemptAt ? delivery.nextAttemptAt.slice(0, 16).replace('T', ' ') : ''}</td><td>${post(`deliveries/${delivery.id}/redeliver`, 'Send again')}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="muted">Nothing delivered yet.</p>`
    }</section>`,
  );
}
