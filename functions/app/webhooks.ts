import { createHash, randomBytes } from 'node:crypto';
import { eventsOf, subscribes, type PoEvent } from '../domain/events.js';
import { type EventType } from '../../contract/events.js';
import type { Who } from '../../contract/purchase-order.js';
import type { PurchaseOrder } from '../domain/purchase-order/index.js';
import { webhookDisabledEmail } from '../notices/emails.js';
import { renderHtml, renderText, type Letterhead } from '../notices/render.js';
import { refusedUrl, type AddressRules } from './webhook-addresses.js';
import { RuleViolation } from '../domain/errors.js';
import { exampleSellerProfile, type SellerProfile } from '../domain/seller.js';
import { ConcurrentUpdateError, NotFoundError } from './errors.js';
import type { Clock, Delivery, DeliveryStarter, EventBus, EventStore, Mailer, PolicyStore, ReplayStarter, SecretBox, WebhookEndpoint, WebhookSecret, WebhookSender, WebhookStore } from './ports.js';

/**
 * Events out of the PO's history, and their delivery to the seller's receivers.
 *
 * Publishing runs in the workflow's Notify step, which walks the history entries it has not told
 * yet, in order, at least once: each event is kept for the feed (the first publish of it wins its
 * place), put on the app's event bus, and handed to a delivery per endpoint that hears its type.
 * A delivery is an execution of its own named after the event and the endpoint, so publishing again
 * starts nothing twice. It tries, waits and tries again on the schedule below (the waits are Wait
 * states: they cost nothing while they last), and gives up after about a day and a half.
 */

/** The pauses between attempts, in seconds: 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h three times (37.6 h in all). */
export const retrySchedule = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 36_000];
/** An endpoint whose every delivery failed for this long is disabled (and finance told). */
export const failingLimitMs = 5 * 86_400_000;
/** The longest pause a receiver's Retry-After may ask for. */
const maxRetryAfterSeconds = 86_400;

export interface PublishDeps {
  events: EventStore;
  bus: EventBus;
  webhooks: WebhookStore;
  deliveries: DeliveryStarter;
  clock: Clock;
}

/** Publishes the events of the PO's history entries from `fromEntry` on; a retry publishes the same events again, harmlessly. */
export async function publishEvents(deps: PublishDeps, po: PurchaseOrder, fromEntry: number): Promise<PoEvent[]> {
  const events = eventsOf(po)
    .filter((event) => event.entryIndex >= fromEntry)
    .map(({ entryIndex: _entry, ...event }) => event);
  if (!events.length) return events;
  const publishedAt = deps.clock.now().toISOString();
  for (const event of events) await deps.events.put(event, publishedAt);
  await deps.bus.put(events);
  const endpoints = (await deps.webhooks.list()).filter((endpoint) => endpoint.status === 'enabled');
  for (const event of events) {
    for (const endpoint of endpoints) {
      if (subscribes(endpoint.events, event.type)) await deps.deliveries.start(`${event.id}--${endpoint.id}`, { eventId: event.id, endpointId: endpoint.id });
    }
  }
  return events;
}

export interface DeliverDeps {
  events: EventStore;
  webhooks: WebhookStore;
  sender: WebhookSender;
  /** Opens the endpoint's sealed secrets to sign with. */
  box: Pick<SecretBox, 'open'>;
  mailer: Mailer;
  policies: PolicyStore;
  clock: Clock;
  /** Whose letterhead finance's email carries (the example seller when absent, as on a demo stack). */
  seller?: SellerProfile;
  /** 0 to 1; jitter spreads the retries of many deliveries that failed together. */
  random: () => number;
}

export interface DeliverInput {
  eventId: string;
  endpointId: string;
  /** Attempts made so far. */
  attempt: number;
  /** The execution's name and start: the delivery's id and its place in the endpoint's log. */
  deliveryId: string;
  startedAt: string;
}

export type DeliverResult = Omit<DeliverInput, 'deliveryId' | 'startedAt'> & { outcome: 'retry' | 'done'; waitSeconds: number };

/** `evt_<poId>_<sequence>` back into its parts. */
export function parseEventId(eventId: string): { poId: string; sequence: number } | null {
  const match = /^evt_([A-Za-z0-9]+)_(\d{1,6})$/.exec(eventId);
  return match ? { poId: match[1]!, sequence: Number(match[2]) } : null;
}

/** One attempt of a delivery: POST the signed event, record what happened, say whether and when to try again. */
export async function deliver(deps: DeliverDeps, input: DeliverInput): Promise<DeliverResult> {
  const ids = parseEventId(input.eventId);
  const event = ids ? await deps.events.get(ids.poId, ids.sequence) : null;
  if (!ids || !event) throw new NotFoundError(`event ${input.eventId} was never published`);
  const now = deps.clock.now();
  const base: Delivery = {
    id: input.deliveryId,
    endpointId: input.endpointId,
    eventId: event.id,
    eventType: event.type,
    poId: event.poId,
    createdAt: input.startedAt,
    status: 'pending',
    attempts: input.attempt,
    lastAttempt: null,
    nextAttemptAt: null,
    reason: null,
  };
  const done = (attempt: number): DeliverResult => ({ eventId: input.eventId, endpointId: input.endpointId, attempt, outcome: 'done', waitSeconds: 0 });

  const endpoint = await deps.webhooks.get(input.endpointId);
  const skip = !endpoint
    ? 'the endpoint was deleted'
    : endpoint.status === 'disabled'
      ? 'the endpoint is disabled'
      : !subscribes(endpoint.events, event.type)
        ? `the endpoint no longer hears ${event.type}`
        : null;
  if (skip || !endpoint) {
    if (endpoint?.disabled && endpoint.disabled.by.type === 'system') await tellFinance(deps, endpoint, endpoint.disabled.reason, endpoint.disabled.at);
    await deps.webhooks.recordDelivery({ ...base, status: 'cancelled', reason: skip });
    return done(input.attempt);
  }

  const secrets = await signingSecrets(deps, endpoint, now);
  const answer = await deps.sender.send(endpoint.url, { id: event.id, timestamp: now, secrets }, JSON.stringify(event));
  const attempts = input.attempt + 1;
  const lastAttempt = { at: now.toISOString(), status: answer.status, error: answer.error, durationMs: answer.durationMs };
  const delivery = { ...base, attempts, lastAttempt };

  if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
    await deps.webhooks.recordDelivery({ ...delivery, status: 'delivered' });
    if (endpoint.failingSince) await settle(deps, endpoint.id, (current) => (current.failingSince ? { ...current, failingSince: null } : null));
    return done(attempts);
  }
  const failure = answer.status === null ? (answer.error ?? 'no answer') : `HTTP ${answer.status}`;
  if (answer.status === 410) {
    await disable(deps, endpoint, `the receiver answered 410 Gone at ${now.toISOString()}: it asked for no more events`);
    await deps.webhooks.recordDelivery({ ...delivery, status: 'failed', reason: 'the receiver answered 410 Gone; the endpoint is disabled' });
    return done(attempts);
  }
  const failingSince = endpoint.failingSince ?? now.toISOString();
  if (!endpoint.failingSince) await settle(deps, endpoint.id, (current) => (current.failingSince ? null : { ...current, failingSince }));
  if (now.getTime() - Date.parse(failingSince) >= failingLimitMs) {
    await disable(deps, { ...endpoint, failingSince }, `every delivery since ${failingSince} failed (the last: ${failure})`);
    await deps.webhooks.recordDelivery({ ...delivery, status: 'failed', reason: `${failure}; the endpoint failed for 5 days and is disabled` });
    return done(attempts);
  }
  if (attempts > retrySchedule.length) {
    await deps.webhooks.recordDelivery({ ...delivery, status: 'failed', reason: `${failure}; no success in ${attempts} attempts` });
    return done(attempts);
  }
  const waitSeconds = pause(attempts, answer.retryAfter, now, deps.random);
  await deps.webhooks.recordDelivery({ ...delivery, status: 'pending', reason: failure, nextAttemptAt: new Date(now.getTime() + waitSeconds * 1000).toISOString() });
  return { eventId: input.eventId, endpointId: input.endpointId, attempt: attempts, outcome: 'retry', waitSeconds };
}

/** The pause before the next attempt: the schedule's, ±10 %, or longer if the receiver asked for it (up to a day). */
export function pause(attemptsMade: number, retryAfter: string | null, now: Date, random: () => number): number {
  const base = retrySchedule[Math.min(attemptsMade, retrySchedule.length) - 1]!;
  const jittered = Math.round(base * (0.9 + 0.2 * random()));
  return Math.max(jittered, Math.min(retryAfterSeconds(retryAfter, now) ?? 0, maxRetryAfterSeconds));
}

/** Retry-After as seconds (a number of seconds, or an HTTP date); null if absent or not understood. */
export function retryAfterSeconds(value: string | null, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Changes the endpoint as `change` says from its stored state (null: nothing to change), retrying a lost race. */
async function settle(deps: { webhooks: WebhookStore }, id: string, change: (current: WebhookEndpoint) => WebhookEndpoint | null): Promise<WebhookEndpoint | null> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const current = await deps.webhooks.get(id);
    if (!current) return null;
    const next = change(current);
    if (!next) return current;
    try {
      return await deps.webhooks.save(next, current.version);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    }
  }
  throw new ConcurrentUpdateError(`webhook endpoint ${id} kept changing`);
}

async function disable(deps: DeliverDeps, endpoint: WebhookEndpoint, reason: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  const saved = await settle(deps, endpoint.id, (current) =>
    current.status === 'disabled' ? null : { ...current, status: 'disabled', disabled: { at, reason, by: { type: 'system' } }, failingSince: endpoint.failingSince ?? current.failingSince, updatedAt: at },
  );
  if (saved?.disabled?.by.type === 'system') await tellFinance(deps, saved, saved.disabled.reason, saved.disabled.at);
}

/** Finance hears once of each automatic disabling (a retried attempt finds it sent). */
async function tellFinance(deps: DeliverDeps, endpoint: WebhookEndpoint, reason: string, at: string): Promise<void> {
  const { financeEmails } = await deps.policies.get();
  if (!financeEmails.length) return;
  const message = webhookDisabledEmail(endpoint, reason);
  // Sent-email records are kept per subject; an endpoint's are apart from every PO's.
  await deps.mailer.sendOnce(`webhook-endpoint-${endpoint.id}`, `disabled-${at}`, {
    to: financeEmails,
    subject: message.subject,
    text: renderText(message, financeLetterhead(deps.seller ?? exampleSellerProfile)),
    html: renderHtml(message, financeLetterhead(deps.seller ?? exampleSellerProfile)),
  });
}

const financeLetterhead = (seller: SellerProfile): Letterhead => ({
  seller,
  greeting: 'Hello finance team,',
  reason: `You receive this email because you are on the finance team for purchase orders at ${seller.name}, who manage its webhook endpoints.`,
});

// ---- endpoints, as finance manages them ---------------------------------------------------------

export interface EndpointDeps {
  webhooks: WebhookStore;
  clock: Clock;
  /** Seals each new secret before it is stored. */
  box: Pick<SecretBox, 'seal'>;
  /** Which hosts may receive (http to this machine on the local stack only); none internal when absent. */
  addresses?: AddressRules;
}

/** A URL that may receive webhooks, or a 422 that says why not (the URL's field named). */
function receivable(deps: Pick<EndpointDeps, 'addresses'>, url: string): string {
  const refused = refusedUrl(url, deps.addresses ?? { loopbackHttp: false });
  if (refused) throw new RuleViolation(`url ${refused}`, 'webhook_url');
  return url;
}

/** Sending again needs the published events and a way to start deliveries. */
export interface ResendDeps extends EndpointDeps {
  events: EventStore;
  deliveries: DeliveryStarter;
  replays: ReplayStarter;
}

export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** What a webhook secret is sealed for: signing this endpoint's deliveries. */
const secretContext = (endpointId: string) => ({ purpose: 'webhook-signing', endpoint: endpointId });

/** A new secret, sealed for the endpoint: the plain value to show once, and what is stored. */
async function sealedSecret(deps: Pick<EndpointDeps, 'box'>, endpointId: string, createdAt: string): Promise<{ secret: string; stored: WebhookSecret }> {
  const secret = newSecret();
  return { secret, stored: { sealed: await deps.box.seal(secret, secretContext(endpointId)), createdAt, expiresAt: null } };
}

/** The secrets that sign now, opened (an endpoint made before sealing keeps its plain value). */
async function signingSecrets(deps: { box: Pick<SecretBox, 'open'> }, endpoint: WebhookEndpoint, now: Date): Promise<string[]> {
  const live = endpoint.secrets.filter((secret) => secret.expiresAt === null || Date.parse(secret.expiresAt) > now.getTime());
  return Promise.all(live.map((secret) => (secret.sealed ? deps.box.open(secret.sealed, secretContext(endpoint.id)) : Promise.resolve(secret.value!))));
}

/** What the API shows of an endpoint: never its secrets. */
export function endpointView(endpoint: WebhookEndpoint, now: Date) {
  const { secrets, version: _version, ...rest } = endpoint;
  const previous = secrets.filter((secret) => secret.expiresAt !== null && Date.parse(secret.expiresAt) > now.getTime());
  return { ...rest, previousSecretExpiresAt: previous.length ? previous.map((secret) => secret.expiresAt!).sort().at(-1)! : null };
}

export async function createEndpoint(deps: EndpointDeps, request: { url: string; events?: EventType[]; description?: string }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const now = deps.clock.now().toISOString();
  const id = `we_${randomBytes(8).toString('hex')}`;
  const url = receivable(deps, request.url);
  const { secret, stored } = await sealedSecret(deps, id, now);
  const endpoint: WebhookEndpoint = {
    id,
    url,
    description: request.description ?? null,
    events: [...new Set(request.events ?? [])],
    status: 'enabled',
    disabled: null,
    failingSince: null,
    secrets: [stored],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.webhooks.create(endpoint);
  return { endpoint, secret };
}

export async function getEndpoint(deps: { webhooks: WebhookStore }, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.webhooks.get(id);
  if (!endpoint) throw new NotFoundError(`webhook endpoint ${id} not found`);
  return endpoint;
}

/** Changes the URL, the event types, the description, or enables or disables it; enabling forgets past failures. */
export async function updateEndpoint(
  deps: EndpointDeps,
  id: string,
  change: { url?: string; events?: EventType[]; description?: string | null; status?: 'enabled' | 'disabled' },
  by: Who,
): Promise<WebhookEndpoint> {
  if (change.url !== undefined) receivable(deps, change.url);
  const now = deps.clock.now().toISOString();
  const saved = await settle(deps, id, (current) => {
    const next: WebhookEndpoint = { ...current, updatedAt: now };
    if (change.url !== undefined) next.url = change.url;
    if (change.events !== undefined) next.events = [...new Set(change.events)];
    if (change.description !== undefined) next.description = change.description;
    if (change.status === 'enabled' && current.status === 'disabled') Object.assign(next, { status: 'enabled', disabled: null, failingSince: null });
    if (change.status === 'disabled' && current.status === 'enabled') Object.assign(next, { status: 'disabled', disabled: { at: now, reason: 'disabled by finance', by } });
    return next;
  });
  if (!saved) throw new NotFoundError(`webhook endpoint ${id} not found`);
  return saved;
}

/** A new secret signs from now on; the old one signs beside it for 24 hours, while receivers switch. */
export async function rotateSecret(deps: EndpointDeps, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const now = deps.clock.now();
  const { secret, stored } = await sealedSecret(deps, id, now.toISOString());
  const until = new Date(now.getTime() + 86_400_000).toISOString();
  const saved = await settle(deps, id, (current) => ({
    ...current,
    updatedAt: now.toISOString(),
    secrets: [
      ...current.secrets
        .filter((old) => old.expiresAt === null || Date.parse(old.expiresAt) > now.getTime())
        .map((old) => ({ ...old, expiresAt: old.expiresAt && old.expiresAt < until ? old.expiresAt : until })),
      stored,
    ],
  }));
  if (!saved) throw new NotFoundError(`webhook endpoint ${id} not found`);
  return { endpoint: saved, secret };
}

/** Sends one delivery's event again, as a delivery of its own (the same webhook-id: receivers dedupe). */
export async function redeliver(deps: ResendDeps, endpointId: string, deliveryId: string): Promise<string> {
  const endpoint = await getEndpoint(deps, endpointId);
  const match = /^(evt_[A-Za-z0-9]+_\d{1,6})--(we_[0-9a-f]{16})(--[0-9a-z]+)?$/.exec(deliveryId);
  if (!match || match[2] !== endpoint.id) throw new NotFoundError(`delivery ${deliveryId} of webhook endpoint ${endpointId} not found`);
  const ids = parseEventId(match[1]!)!;
  if (!(await deps.events.get(ids.poId, ids.sequence))) throw new NotFoundError(`delivery ${deliveryId} of webhook endpoint ${endpointId} not found`);
  const name = `${match[1]}--${endpoint.id}--${randomBytes(4).toString('hex')}`;
  await deps.deliveries.start(name, { eventId: match[1]!, endpointId: endpoint.id });
  return name;
}

/** The id of a replay: the same endpoint, time and caller's key make the same replay (asked twice, run once). */
export const replayIdOf = (endpointId: string, since: Date, key = '') => `rp_${createHash('sha256').update(`${endpointId}|${since.toISOString()}|${key}`).digest('hex').slice(0, 24)}`;

/**
 * Sends every event published since `since` that the endpoint hears, again, each as a new delivery:
 * a background job (the replay state machine), started here and answered at once. Its deliveries are
 * named after the replay, so a replay retried, or a page of it run twice, sends nothing twice.
 */
export async function replay(deps: ResendDeps, endpointId: string, since: Date, key?: string): Promise<{ replayId: string; since: string; status: 'started' }> {
  const endpoint = await getEndpoint(deps, endpointId);
  const replayId = replayIdOf(endpoint.id, since, key);
  await deps.replays.start(replayId, { endpointId: endpoint.id, since: since.toISOString() });
  return { replayId, since: since.toISOString(), status: 'started' };
}

/** How many events one step of a replay reads. */
export const replayPageSize = 100;

export interface ReplayPage {
  replayId: string;
  endpointId: string;
  since: string;
  /** When the replay started: events published after it are delivered as usual, not replayed. */
  startedAt: string;
  cursor: string | null;
  replayed: number;
  more: boolean;
}

/** One step of a replay: deliveries of the next page of events; where the next step goes on. */
export async function replayPage(deps: Pick<ResendDeps, 'events' | 'webhooks' | 'deliveries'>, step: Omit<ReplayPage, 'more'> & { more?: boolean }): Promise<ReplayPage> {
  const endpoint = await deps.webhooks.get(step.endpointId);
  if (!endpoint) return { ...step, more: false };
  const page = await deps.events.feed(step.cursor ?? deps.events.cursorAt(step.since), replayPageSize, step.startedAt);
  const suffix = `r${step.replayId.slice(3, 11)}`;
  let replayed = step.replayed;
  for (const event of page.items) {
    if (!subscribes(endpoint.events, event.type)) continue;
    await deps.deliveries.start(`${event.id}--${endpoint.id}--${suffix}`, { eventId: event.id, endpointId: endpoint.id });
    replayed += 1;
  }
  return { ...step, cursor: page.cursor, replayed, more: page.items.length === replayPageSize };
}
