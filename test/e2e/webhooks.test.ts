import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import type { components } from '../../client/schema.js';

/**
 * The seller's systems hear every change: a receiver on 127.0.0.1 as a seller would write one
 * (standardwebhooks verifying every request), against the local stack with its clock moved by
 * hours and days as the retries and the endpoint's failure limit need.
 */
const stack = new LocalStack();
/** Finance and checkout through the typed client (client/index.ts), as a seller's systems would call. */
const finance = () => stack.client(keys.finance);
const checkout = () => stack.client(keys.checkout);
const stackNow = async () => Date.parse(((await stack.request('GET', '/_local/clock')).body as { now: string }).now);
const advance = async (seconds: number) => expect((await stack.request('POST', '/_local/clock', { body: { advanceSeconds: seconds } })).status).toBe(200);
/** Time passing: the clock moves a step at a time, and each wait that comes due runs in its turn. */
const pass = async (seconds: number, step: number) => {
  for (let done = 0; done < seconds; done += step) await advance(Math.min(step, seconds - done));
};
let n = 0;
type EventType = components['schemas']['Event']['type'];
const place = async (customer = buyer('hooks-1', 'Hook & Co', 'ap@hook.example')) => {
  const body = order({ customer, lines: [licence(9900, 3, 'LIC-PRO', 'Pro licence, 1 year')] }) as components['schemas']['PlacePurchaseOrderRequest'];
  const { data, error, response } = await checkout().POST('/purchase-orders', { body, params: { header: { 'Idempotency-Key': `hooks-${++n}` } } });
  expect(response.status, JSON.stringify(error)).toBe(201);
  return data!;
};
const createEndpoint = async (receiver: WebhookReceiver, events?: EventType[]) => {
  const { data, error, response } = await finance().POST('/webhook-endpoints', { body: { url: receiver.url, ...(events ? { events } : {}), description: 'ERP' } });
  expect(response.status, JSON.stringify(error)).toBe(201);
  receiver.secrets = [data!.secret];
  return data!;
};
const poEvents = async (id: string) => (await finance().GET('/purchase-orders/{id}/events', { params: { path: { id } } })).data!.items;
const deliveries = async (endpointId: string) => (await finance().GET('/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpointId }, query: { limit: '100' } } })).data!.items;
const endpointNow = async (id: string) => (await finance().GET('/webhook-endpoints/{id}', { params: { path: { id } } })).data!;

beforeAll(async () => {
  await stack.start();
  await stack.updatePolicy({ reviewByDefault: false, financeEmails: ['finance@seller.example'] });
}, 120_000);
afterAll(() => stack.stop());

describe('events and signed webhooks', () => {
  const receiver = new WebhookReceiver(stackNow);
  let endpoint: { id: string; secret: string };
  beforeAll(async () => {
    await receiver.start();
    endpoint = await createEndpoint(receiver);
  });
  afterAll(() => receiver.stop());

  it('shows the secret once, whsec_, and never again', async () => {
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await endpointNow(endpoint.id);
    expect(read).toMatchObject({ id: endpoint.id, url: receiver.url, status: 'enabled', events: [] });
    expect(JSON.stringify(read)).not.toContain('whsec_');
    const { data: list } = await finance().GET('/webhook-endpoints');
    expect(JSON.stringify(list)).not.toContain('whsec_');
    expect(list!.items.map((e) => e.id)).toContain(endpoint.id);
  });

  it('delivers each PO event signed, in sequence with no gap, the same as the PO lists and the feed holds', async () => {
    const po = await place();
    await stack.waitForPo(po.id, keys.finance, (p) => p.documents.some((d: { type: string }) => d.type === 'invoice'));
    expect((await finance().POST('/purchase-orders/{id}/payments', { params: { path: { id: po.id } }, body: { amount: po.total, reference: 'WIRE-HOOKS-1' } })).response.status).toBe(200);
    await receiver.waitFor((r) => r.eventsOf(po.id).some((e) => e.type === 'po.completed'), 30_000, 'po.completed');

    const got = receiver.eventsOf(po.id);
    expect(got.map((e) => e.sequence)).toEqual(got.map((_, i) => i + 1));
    expect(got.map((e) => e.type)).toEqual(['po.placed', 'po.approved', 'licences.delivered', 'invoice.issued', 'payment.received', 'po.completed']);
    expect(got.every((e) => e.id === `evt_${po.id}_${e.sequence}`)).toBe(true);
    expect(receiver.rejected).toEqual([]);
    // What the PO's own list says, and what the event tells: status after it, what it is about, who acted.
    expect((await poEvents(po.id)).map((e) => e.id)).toEqual(got.map((e) => e.id));
    const invoice = got.find((e) => e.type === 'invoice.issued')!.body;
    expect(invoice.data).toMatchObject({ status: 'ordered', currency: 'USD', total: po.total, number: expect.stringMatching(/^INV-/), path: expect.stringContaining(`/purchase-orders/${po.id}/documents/`) });
    expect(got.find((e) => e.type === 'payment.received')!.body.data).toMatchObject({ amount: po.total, reference: 'WIRE-HOOKS-1', outstanding: 0, by: { type: 'key', name: 'finance' } });

    // The feed, a page at a time from the start, holds the same events in the same order, once
    // they have settled (ten seconds after publication, on the stack's clock).
    await advance(11);
    const fromFeed: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      const { data }: { data?: components['schemas']['EventPage'] } = await finance().GET('/events', { params: { query: { limit: '2', ...(cursor ? { after: cursor } : {}) } } });
      fromFeed.push(...data!.items.map((e) => e.id));
      if (!data!.items.length) break;
      cursor = data!.cursor;
    }
    expect(fromFeed.filter((id) => id.startsWith(`evt_${po.id}_`))).toEqual(got.map((e) => e.id));
    // The app's event bus got them too (the local stack keeps what is put on each bus of the template).
    const busDir = path.join(stack.dataDir, 'eventbridge');
    const onBus = readdirSync(busDir).flatMap((file) => readFileSync(path.join(busDir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { source: string; 'detail-type': string; detail: { id: string } }));
    const ours = onBus.filter((entry) => entry.detail.id.startsWith(`evt_${po.id}_`));
    expect(ours.map((entry) => [entry.source, entry['detail-type'], entry.detail.id])).toEqual(got.map((e) => ['purchase-orders', e.type, e.id]));
    expect((await finance().GET('/events', { params: { query: { after: 'not-a-cursor' } } })).response.status).toBe(400);
    expect((await checkout().GET('/events')).response.status).toBe(403);

    // Every delivery is in the endpoint's log as delivered at the first attempt.
    const log = (await deliveries(endpoint.id)).filter((d) => d.poId === po.id);
    expect(log).toHaveLength(6);
    expect(log.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastAttempt?.status === 204)).toBe(true);

    // A redelivery sends the same event (same webhook-id) again: the receiver acknowledges it and keeps it once.
    const before = receiver.duplicates;
    const again = await finance().POST('/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id: endpoint.id, deliveryId: log[0]!.id } } });
    expect(again.response.status).toBe(202);
    await receiver.waitFor((r) => r.duplicates === before + 1);
    expect(receiver.eventsOf(po.id)).toHaveLength(6);
  });

  it('a cancelled, invoiced PO delivers po.cancelled and credit_note.issued', async () => {
    const po = await place();
    await stack.waitForPo(po.id, keys.finance, (p) => p.documents.some((d: { type: string }) => d.type === 'invoice'));
    expect((await finance().POST('/purchase-orders/{id}/cancel', { params: { path: { id: po.id } }, body: { reason: 'customer withdrew' } })).response.status).toBe(200);
    await receiver.waitFor((r) => r.eventsOf(po.id).some((e) => e.type === 'credit_note.issued'), 30_000, 'credit_note.issued');
    const got = receiver.eventsOf(po.id);
    expect(got.map((e) => e.type)).toEqual(['po.placed', 'po.approved', 'licences.delivered', 'invoice.issued', 'po.cancelled', 'credit_note.issued']);
    expect(got.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(got[4]!.body.data).toMatchObject({ status: 'cancelled', reason: 'cancelled', comment: 'customer withdrew' });
    expect(got[5]!.body.data).toMatchObject({ status: 'cancelled', total: po.total, number: expect.stringMatching(/^CN-/) });
  });

  it('a rotated secret signs beside the new one for 24 hours, then the new one alone', async () => {
    const { data: rotated, response } = await finance().POST('/webhook-endpoints/{id}/rotate-secret', { params: { path: { id: endpoint.id } } });
    expect(response.status).toBe(200);
    expect(rotated!.secret).toMatch(/^whsec_/);
    expect(rotated!.secret).not.toBe(endpoint.secret);
    expect(rotated!.previousSecretExpiresAt).not.toBeNull();
    const old = endpoint.secret;
    // A receiver that still has only the old secret verifies; so does one with only the new.
    receiver.secrets = [old];
    const first = await place();
    await receiver.waitFor((r) => r.eventsOf(first.id).length >= 2);
    const signatures = receiver.requests.filter((r) => r.id === `evt_${first.id}_1`).at(-1)!.signature.split(' ');
    expect(signatures).toHaveLength(2);
    expect(receiver.verify('x', { 'webhook-id': 'a', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, Date.now())).toBeNull();
    receiver.secrets = [rotated!.secret];
    const second = await place();
    await receiver.waitFor((r) => r.eventsOf(second.id).length >= 2);
    expect(receiver.rejected).toEqual([]);
    // A day later the old secret no longer signs: a receiver with only it rejects what comes.
    await advance(86_400 + 60);
    const third = await place();
    await receiver.waitFor((r) => r.eventsOf(third.id).length >= 2);
    const latest = receiver.requests.filter((r) => r.id === `evt_${third.id}_1`).at(-1)!;
    expect(latest.signature.split(' ')).toHaveLength(1);
    receiver.secrets = [old];
    expect(receiver.verify('{}', { 'webhook-id': latest.id, 'webhook-timestamp': latest.timestamp, 'webhook-signature': latest.signature }, await stackNow())).toBeNull();
    receiver.secrets = [rotated!.secret];
    endpoint.secret = rotated!.secret;
  });
});

describe('a receiver that was down', () => {
  it('gets everything it missed in six hours down, with the same ids, across a restart of the stack', async () => {
    const receiver = new WebhookReceiver(stackNow);
    await receiver.start();
    const ep = await createEndpoint(receiver, ['po.placed', 'po.approved', 'invoice.issued', 'licences.delivered', 'payment.received', 'po.completed']);
    await receiver.stop();
    const po = await place(buyer('hooks-down', 'Downtime GmbH', 'ap@downtime.example'));
    await stack.waitForPo(po.id, keys.finance, (p) => p.documents.some((d: { type: string }) => d.type === 'invoice'));
    // The first attempts fail at once (nothing listens); the log says when it tries next.
    const firstAttempts = async () => (await deliveries(ep.id)).filter((d) => d.poId === po.id && d.attempts >= 1);
    for (let waited = 0; (await firstAttempts()).length < 4 && waited < 15_000; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    const pending = await firstAttempts();
    expect(pending.length).toBe(4);
    expect(pending.every((d) => d.status === 'pending' && d.lastAttempt?.status === null && d.nextAttemptAt)).toBe(true);

    await pass(3 * 3600, 300);
    await stack.stop();
    await stack.start();
    await pass(3 * 3600, 300);
    // Attempts at 0, 5 s, 5 min, 35 min and 2 h 35 min (each ±10 %) failed; the next is hours away.
    expect((await deliveries(ep.id)).filter((d) => d.poId === po.id).map((d) => [d.status, d.attempts])).toEqual(Array(4).fill(['pending', 5]));
    expect(receiver.events).toEqual([]);

    // Back up six hours later: the next attempt (about 7.5 hours after the first) brings everything.
    await receiver.start();
    await pass(4 * 3600, 300);
    await receiver.waitFor((r) => r.eventsOf(po.id).length === 4, 30_000, 'the four missed events');
    expect(receiver.eventsOf(po.id).map((e) => e.id)).toEqual((await poEvents(po.id)).slice(0, 4).map((e) => e.id));
    expect(receiver.eventsOf(po.id).map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    const delivered = (await deliveries(ep.id)).filter((d) => d.poId === po.id);
    expect(delivered.every((d) => d.status === 'delivered' && d.attempts === 6)).toBe(true);
    // Every request the receiver saw of one event carried that event's id.
    expect(new Set(receiver.requests.map((r) => r.id))).toEqual(new Set(receiver.events.map((e) => e.id)));
    await receiver.stop();
  }, 240_000);

  it('an endpoint failing for five days is disabled and finance is emailed; a replay sends what it missed', async () => {
    const receiver = new WebhookReceiver(stackNow);
    receiver.answer = { status: 500 };
    await receiver.start();
    const ep = await createEndpoint(receiver, ['po.placed']);
    const first = await place(buyer('hooks-fail-1', 'Failing Ltd', 'ap@failing.example'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Retries run out after about a day and a half; the endpoint stays enabled until five days of failures.
    await pass(2 * 86_400, 1800);
    const gaveUp = (await deliveries(ep.id)).find((d) => d.poId === first.id);
    expect(gaveUp).toMatchObject({ status: 'failed', attempts: 9, lastAttempt: { status: 500 } });
    expect(await endpointNow(ep.id)).toMatchObject({ status: 'enabled', failingSince: expect.any(String) });

    await advance(3 * 86_400 + 60);
    const second = await place(buyer('hooks-fail-2', 'Failing Ltd', 'ap@failing.example'));
    const disabledEmail = await stack.waitForEmail((e) => e.subject === `Webhook endpoint disabled: ${receiver.url}`, 20_000);
    expect(disabledEmail.destination.to).toEqual(['finance@seller.example']);
    expect(disabledEmail.body.text).toContain('every delivery since');
    const disabled = await endpointNow(ep.id);
    expect(disabled).toMatchObject({ status: 'disabled', disabled: { reason: expect.stringContaining('every delivery since'), by: { type: 'system' } } });
    // Nothing more goes to a disabled endpoint.
    const third = await place(buyer('hooks-fail-3', 'Failing Ltd', 'ap@failing.example'));
    await stack.waitForPo(third.id, keys.finance, (p) => p.documents.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.requests.some((r) => r.id === `evt_${third.id}_1`)).toBe(false);

    // Fixed: finance enables it and replays since the failures began; the receiver gets every po.placed it missed.
    receiver.answer = { status: 200 };
    expect((await finance().PATCH('/webhook-endpoints/{id}', { params: { path: { id: ep.id } }, body: { status: 'enabled' } })).data).toMatchObject({ status: 'enabled', failingSince: null, disabled: null });
    // As the email says: replay from a little before the first failure.
    const since = /"since": "([^"]+)"/.exec(disabledEmail.body.text ?? '')![1]!;
    expect(Date.parse(since)).toBeLessThan(Date.parse(disabled.failingSince!));
    const replay = await finance().POST('/webhook-endpoints/{id}/replay', { params: { path: { id: ep.id } }, body: { since } });
    expect(replay.response.status).toBe(202);
    expect(replay.data).toMatchObject({ replayId: expect.stringMatching(/^rp_[0-9a-f]{24}$/), status: 'started' });
    // Asked again (a retried request): the same replay, which runs once.
    const again = await finance().POST('/webhook-endpoints/{id}/replay', { params: { path: { id: ep.id } }, body: { since } });
    expect(again.data!.replayId).toBe(replay.data!.replayId);
    await receiver.waitFor((r) => [first, second, third].every((po) => r.events.some((e) => e.id === `evt_${po.id}_1`)), 30_000, 'the replayed po.placed events');
    expect(receiver.events.every((e) => e.type === 'po.placed')).toBe(true);
    // A delivery is logged once the receiver has answered it: the last may be logged a moment after it arrived.
    const replayedNow = async () => (await deliveries(ep.id)).filter((d) => d.id.endsWith(`--r${replay.data!.replayId.slice(3, 11)}`));
    let replayed = await replayedNow();
    for (let tries = 0; replayed.length < 3 && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      replayed = await replayedNow();
    }
    expect(replayed.length).toBeGreaterThanOrEqual(3);
    expect(new Set(replayed.map((d) => d.eventId)).size).toBe(replayed.length);
    await receiver.stop();
  }, 300_000);

  it('a receiver answering 410 Gone disables its endpoint at once', async () => {
    const receiver = new WebhookReceiver(stackNow);
    receiver.answer = { status: 410 };
    await receiver.start();
    const ep = await createEndpoint(receiver, ['po.placed']);
    await place(buyer('hooks-gone', 'Gone Inc', 'ap@gone.example'));
    await stack.waitForEmail((e) => e.subject === `Webhook endpoint disabled: ${receiver.url}`, 20_000);
    expect(await endpointNow(ep.id)).toMatchObject({ status: 'disabled', disabled: { reason: expect.stringContaining('410') } });
    expect((await finance().DELETE('/webhook-endpoints/{id}', { params: { path: { id: ep.id } } })).response.status).toBe(204);
    expect((await finance().GET('/webhook-endpoints/{id}', { params: { path: { id: ep.id } } })).response.status).toBe(404);
    await receiver.stop();
  });

  it('refuses endpoints it cannot or should not call, and unknown event types, changing nothing', async () => {
    const before = (await stack.request('GET', '/webhook-endpoints', { key: keys.finance })).body.items.length;
    for (const [body, status] of [
      // Malformed: the request model or the schema.
      [{ url: 'ftp://127.0.0.1/hooks' }, 400],
      [{ url: 'https://user:pw@erp.example/hooks' }, 400],
      [{ url: '%' }, 400],
      [{ url: 'https://erp.example/hooks', events: ['po.exploded'] }, 400],
      [{ url: 'https://erp.example/hooks', secret: 'whsec_mine' }, 400],
      // Well formed, but not a place webhooks may go: plain http elsewhere than this machine, internal addresses.
      [{ url: 'http://erp.example/hooks' }, 422],
      [{ url: 'http://10.0.0.1/hooks' }, 422],
      [{ url: 'https://169.254.169.254/latest/meta-data' }, 422],
      [{ url: 'https://[fd00::1]/hooks' }, 422],
    ] as const) {
      const res = await stack.request('POST', '/webhook-endpoints', { key: keys.finance, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await stack.request('GET', '/webhook-endpoints', { key: keys.finance })).body.items.length).toBe(before);
    expect((await stack.request('POST', '/webhook-endpoints', { key: keys.checkout, body: { url: 'https://erp.example/hooks' } })).status).toBe(403);
  });
});
