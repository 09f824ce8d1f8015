import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWebhookSender } from '../../functions/adapters/webhook-sender.js';
import { changePurchaseOrder } from '../../functions/app/change.js';
import * as tasks from '../../functions/app/tasks.js';
import { createEndpoint, deliver, failingLimitMs, pause, replay, replayPage, retryAfterSeconds, retrySchedule, rotateSecret, updateEndpoint, type DeliverDeps } from '../../functions/app/webhooks.js';
import { eventsOf } from '../../functions/domain/events.js';
import { FakeBox, MemoryEvents, MemoryWebhooks, ScriptedReceiver } from '../support/fake-events.js';
import { FEED_SETTLING_SECONDS } from '../../functions/api/events.js';
import { apiEvent, approvedOnFakes, FixedSecrets, MemoryMailer, MemoryPolicies, TestClock } from '../support/fakes.js';
import { handlerFor, routeFakes } from '../support/route-handlers.js';

/** Publishing from Notify and each delivery attempt, on the in-memory ports. */

describe('publishing from Notify', () => {
  it('publishes each new entry’s events once, in sequence, and starts one delivery per endpoint that hears the type', async () => {
    const { deps, poId } = await approvedOnFakes();
    const { publishing } = deps;
    const all = await createEndpoint(publishing, { url: 'https://erp.example/hooks' });
    const placedOnly = await createEndpoint(publishing, { url: 'https://shop.example/hooks', events: ['po.placed'] });
    const off = await createEndpoint(publishing, { url: 'https://off.example/hooks' });
    await updateEndpoint(publishing, off.endpoint.id, { status: 'disabled' }, { type: 'key', name: 'finance' });

    await tasks.notify(deps, { poId, notifiedVersion: 0 });
    const before = eventsOf((await deps.pos.get(poId))!.po);
    const kept = publishing.events.kept.map((k) => k.event);
    expect(kept.map((e) => [e.sequence, e.type])).toEqual([
      [1, 'po.placed'],
      [2, 'po.approved'],
    ]);
    expect(kept.map((e) => e.id)).toEqual([`evt_${poId}_1`, `evt_${poId}_2`]);
    expect(publishing.bus.put_.map((e) => e.id)).toEqual(kept.map((e) => e.id));
    expect([...publishing.deliveries.started.keys()].sort()).toEqual(
      [`evt_${poId}_1--${all.endpoint.id}`, `evt_${poId}_2--${all.endpoint.id}`, `evt_${poId}_1--${placedOnly.endpoint.id}`].sort(),
    );

    // A retried Notify publishes the same events: nothing new is kept or started.
    const publishedAt = publishing.events.kept.map((k) => k.publishedAt);
    deps.clock.advance(60);
    await tasks.notify(deps, { poId, notifiedVersion: 0 });
    expect(publishing.events.kept.map((k) => k.publishedAt)).toEqual(publishedAt);
    expect(publishing.deliveries.started.size).toBe(3);

    // The next change's Notify publishes only its events, numbered on.
    await changePurchaseOrder(deps, poId, { type: 'cancel', reason: 'changed mind' }, { actor: 'finance', at: deps.clock.now() });
    const stored = (await deps.pos.get(poId))!.po;
    await tasks.notify(deps, { poId, notifiedVersion: stored.history.length - 1 });
    expect(publishing.events.kept.map((k) => k.event.type)).toEqual(['po.placed', 'po.approved', 'po.cancelled']);
    expect(eventsOf(stored).map((e) => e.sequence)).toEqual([1, 2, 3]);
    // Events are a function of the history alone: the PO's later state changes none already published.
    expect(eventsOf(stored).slice(0, 2)).toEqual(before);
  });
});

function deliverFakes(answer: ScriptedReceiver['answer'] = { status: 200 }) {
  const clock = new TestClock();
  const receiver = new ScriptedReceiver();
  receiver.answer = answer;
  const policies = new MemoryPolicies();
  policies.policy = { ...policies.policy, financeEmails: ['finance@seller.example'] };
  const deps: DeliverDeps = { events: new MemoryEvents(), webhooks: new MemoryWebhooks(), sender: receiver, box: new FakeBox(), mailer: new MemoryMailer(), policies, clock, random: () => 0.5 };
  return { deps, receiver, clock, mailer: deps.mailer as MemoryMailer, webhooks: deps.webhooks as MemoryWebhooks };
}

async function publishedEvent(deps: DeliverDeps, poId = 'PO0001', sequence = 1) {
  const event = { id: `evt_${poId}_${sequence}`, type: 'po.placed' as const, timestamp: deps.clock.now().toISOString(), sequence, poId, reference: 'PO-2026-000001', data: { status: 'ordered' as const, currency: 'USD', by: { type: 'system' as const } } };
  await deps.events.put(event, deps.clock.now().toISOString());
  return event;
}

const input = (eventId: string, endpointId: string, attempt = 0) => ({ eventId, endpointId, attempt, deliveryId: `${eventId}--${endpointId}`, startedAt: '2026-03-02T10:00:00.000Z' });

describe('a delivery attempt', () => {
  it('signs with every secret that still signs and records a 2xx as delivered', async () => {
    const { deps, receiver, webhooks } = deliverFakes({ status: 204 });
    const event = await publishedEvent(deps);
    const { endpoint, secret: first } = await createEndpoint({ webhooks, clock: deps.clock, box: deps.box as FakeBox }, { url: 'https://erp.example/hooks' });
    const { secret: second } = await rotateSecret({ webhooks, clock: deps.clock, box: deps.box as FakeBox }, endpoint.id);
    // The table holds the secrets sealed (for this endpoint), never as they are.
    const stored = webhooks.endpoints.get(endpoint.id)!.secrets;
    expect(stored.map((s) => [s.value, s.sealed?.startsWith('sealed:')])).toEqual([
      [undefined, true],
      [undefined, true],
    ]);
    expect(JSON.stringify(stored)).not.toContain(first.slice(6));
    const result = await deliver(deps, input(event.id, endpoint.id));
    expect(result).toMatchObject({ outcome: 'done', attempt: 1 });
    expect(receiver.requests[0]!.secrets).toEqual([first, second]);
    expect((deps.box as FakeBox).opened).toEqual([
      { purpose: 'webhook-signing', endpoint: endpoint.id },
      { purpose: 'webhook-signing', endpoint: endpoint.id },
    ]);
    expect(JSON.parse(receiver.requests[0]!.body)).toEqual(event);
    expect([...webhooks.log.values()][0]).toMatchObject({ status: 'delivered', attempts: 1, lastAttempt: { status: 204 } });
  });

  it("signs with the plain secret of an endpoint made before sealing; another endpoint's sealed secret does not open as this one's", async () => {
    const { deps, receiver, webhooks } = deliverFakes({ status: 204 });
    const event = await publishedEvent(deps);
    const box = deps.box as FakeBox;
    const { endpoint } = await createEndpoint({ webhooks, clock: deps.clock, box }, { url: 'https://erp.example/hooks' });
    const older = webhooks.endpoints.get(endpoint.id)!;
    webhooks.endpoints.set(endpoint.id, { ...older, secrets: [{ value: 'whsec_b2xk', createdAt: older.createdAt, expiresAt: null }] });
    await deliver(deps, input(event.id, endpoint.id));
    expect(receiver.requests[0]!.secrets).toEqual(['whsec_b2xk']);
    const other = await createEndpoint({ webhooks, clock: deps.clock, box }, { url: 'https://crm.example/hooks' });
    webhooks.endpoints.set(endpoint.id, { ...older, secrets: webhooks.endpoints.get(other.endpoint.id)!.secrets });
    await expect(deliver(deps, input(event.id, endpoint.id, 1))).rejects.toThrow('the context does not match');
  });

  it('retries a failure on the schedule, ±10 %, and honours a longer Retry-After', async () => {
    expect(retrySchedule.reduce((a, b) => a + b, 0) / 3600).toBeGreaterThan(36);
    expect(pause(1, null, new Date(), () => 0)).toBe(Math.round(5 * 0.9));
    expect(pause(5, null, new Date(), () => 1)).toBe(Math.round(18_000 * 1.1));
    expect(pause(1, '120', new Date(), () => 0.5)).toBe(120);
    expect(pause(1, 'Wed, 21 Oct 2099 07:28:00 GMT', new Date('2099-10-21T07:00:00Z'), () => 0.5)).toBe(1680);
    expect(pause(1, String(7 * 86_400), new Date(), () => 0.5)).toBe(86_400);
    expect(retryAfterSeconds('soon', new Date())).toBeNull();

    const { deps, webhooks } = deliverFakes({ status: 503, retryAfter: '600' });
    const event = await publishedEvent(deps);
    const { endpoint } = await createEndpoint({ webhooks, clock: deps.clock, box: deps.box as FakeBox }, { url: 'https://erp.example/hooks' });
    const first = await deliver(deps, input(event.id, endpoint.id));
    expect(first).toMatchObject({ outcome: 'retry', attempt: 1, waitSeconds: 600 });
    expect([...webhooks.log.values()][0]).toMatchObject({ status: 'pending', reason: 'HTTP 503', nextAttemptAt: '2026-03-02T10:10:00.000Z' });
    expect((await webhooks.get(endpoint.id))!.failingSince).toBe('2026-03-02T10:00:00.000Z');
  });

  it('gives up after the last scheduled attempt, keeping the endpoint while it has failed for less than five days', async () => {
    const { deps, webhooks, mailer, clock } = deliverFakes({ status: null });
    const event = await publishedEvent(deps);
    const { endpoint } = await createEndpoint({ webhooks, clock: deps.clock, box: deps.box as FakeBox }, { url: 'https://erp.example/hooks' });
    let result = await deliver(deps, input(event.id, endpoint.id));
    while (result.outcome === 'retry') {
      clock.advance(result.waitSeconds);
      result = await deliver(deps, input(event.id, endpoint.id, result.attempt));
    }
    expect(result.attempt).toBe(retrySchedule.length + 1);
    expect([...webhooks.log.values()][0]).toMatchObject({ status: 'failed', attempts: 9, reason: expect.stringContaining('ECONNREFUSED') });
    expect((await webhooks.get(endpoint.id))!.status).toBe('enabled');
    expect(mailer.sent).toEqual([]);
  });

  it('disables an endpoint failing for five days and tells finance once, however often the attempt runs', async () => {
    const { deps, webhooks, mailer, clock } = deliverFakes({ status: 500 });
    const first = await publishedEvent(deps, 'PO0001');
    const { endpoint } = await createEndpoint({ webhooks, clock: deps.clock, box: deps.box as FakeBox }, { url: 'https://erp.example/hooks' });
    await deliver(deps, input(first.id, endpoint.id));
    clock.advance(failingLimitMs / 1000 - 60);
    const second = await publishedEvent(deps, 'PO0002');
    expect(await deliver(deps, input(second.id, endpoint.id))).toMatchObject({ outcome: 'retry' });
    clock.advance(60);
    expect(await deliver(deps, input(second.id, endpoint.id, 1))).toMatchObject({ outcome: 'done' });
    expect(await webhooks.get(endpoint.id)).toMatchObject({ status: 'disabled', disabled: { by: { type: 'system' }, reason: expect.stringContaining('every delivery since 2026-03-02T10:00:00.000Z failed') } });
    expect(mailer.sent.map((m) => [m.email.to, m.email.subject])).toEqual([[['finance@seller.example'], 'Webhook endpoint disabled: https://erp.example/hooks']]);
    // A retried attempt (or any later delivery) finds it disabled: cancelled, and no second email.
    expect(await deliver(deps, input(second.id, endpoint.id, 1))).toMatchObject({ outcome: 'done' });
    expect(mailer.sent).toHaveLength(1);
  });

  it('a 410 disables the endpoint at once; a deleted endpoint or one no longer hearing the type cancels the delivery', async () => {
    const { deps, webhooks, mailer, receiver } = deliverFakes({ status: 410 });
    const event = await publishedEvent(deps);
    const gone = await createEndpoint({ webhooks, clock: deps.clock, box: deps.box as FakeBox }, { url: 'https://gone.example/hooks' });
    expect(await deliver(deps, input(event.id, gone.endpoint.id))).toMatchObject({ outcome: 'done' });
    expect(await webhooks.get(gone.endpoint.id)).toMatchObject({ status: 'disabled', disabled: { reason: expect.stringContaining('410 Gone') } });
    expect(mailer.sent).toHaveLength(1);

    const narrowed = await createEndpoint({ webhooks, clock: deps.clock, box: deps.box as FakeBox }, { url: 'https://erp.example/hooks' });
    await updateEndpoint({ webhooks, clock: deps.clock, box: deps.box as FakeBox }, narrowed.endpoint.id, { events: ['invoice.issued'] }, { type: 'key', name: 'finance' });
    const sent = receiver.requests.length;
    expect(await deliver(deps, input(event.id, narrowed.endpoint.id))).toMatchObject({ outcome: 'done' });
    await webhooks.remove(narrowed.endpoint.id);
    expect(await deliver(deps, input(event.id, narrowed.endpoint.id))).toMatchObject({ outcome: 'done' });
    expect(receiver.requests.length).toBe(sent);
    expect([...webhooks.log.values()].filter((d) => d.endpointId === narrowed.endpoint.id).map((d) => d.reason)).toEqual(['the endpoint was deleted']);
  });
});

describe('the HTTP sender', () => {
  it('posts what standardwebhooks verifies, with both signatures while a rotated secret still signs; passes on Retry-After; no receiver is a failure with its reason', async () => {
    const seen: { headers: Record<string, string>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body });
        res.writeHead(req.url === '/busy' ? 429 : 200, req.url === '/busy' ? { 'Retry-After': '30' } : {}).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    // Plain http to this machine, as the local stack allows (and the deployed app never does).
    const sender = new HttpWebhookSender({ loopbackHttp: true });
    const oldSecret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const newSecret = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
    const body = JSON.stringify({ id: 'evt_X_1', type: 'po.placed' });
    const result = await sender.send(`http://127.0.0.1:${port}/hooks`, { id: 'evt_X_1', timestamp: new Date(), secrets: [oldSecret, newSecret] }, body);
    expect(result).toMatchObject({ status: 200, error: null });
    const [request] = seen;
    expect(request!.headers['webhook-id']).toBe('evt_X_1');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(request!.body, request!.headers)).toEqual(JSON.parse(body));
    expect(new Webhook(newSecret).verify(request!.body, request!.headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 3).toString('base64')}`).verify(request!.body, request!.headers)).toThrow();

    expect(await sender.send(`http://127.0.0.1:${port}/busy`, { id: 'evt_X_1', timestamp: new Date(), secrets: [newSecret] }, body)).toMatchObject({ status: 429, retryAfter: '30' });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    // A port nothing listens on (bound a moment ago, never called, closed).
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    expect(await sender.send(`http://127.0.0.1:${closed}/hooks`, { id: 'evt_X_1', timestamp: new Date(), secrets: [newSecret] }, body)).toMatchObject({ status: null, error: 'ECONNREFUSED' });
  });

  it('refuses to deliver inside the network: an internal address written in the URL, or a name that resolves to one; the same receiver on AWS rules', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const signing = { id: 'evt_X_1', timestamp: new Date(), secrets: [`whsec_${Buffer.alloc(32, 1).toString('base64')}`] };
    const deployed = new HttpWebhookSender();
    for (const url of [`http://127.0.0.1:${port}/a`, `https://127.0.0.1:${port}/b`, 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.1/hook', 'https://[fd00::1]/hook', 'https://[::ffff:192.168.1.1]/hook']) {
      expect((await deployed.send(url, signing, '{}')).error, url).toMatch(/^refused: /);
    }
    // "localhost" is a name: resolved, it is loopback, and the connection is never made.
    expect((await deployed.send(`https://localhost:${port}/c`, signing, '{}')).error).toMatch(/^refused: /);
    expect(await new HttpWebhookSender({ loopbackHttp: true }).send(`http://localhost:${port}/d`, signing, '{}')).toMatchObject({ status: 204 });
    expect(seen).toEqual(['/d']);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('a replay', () => {
  it('starts one background job per endpoint, time and key; its pages start each delivery once, named after the replay', async () => {
    const { deps } = await approvedOnFakes();
    const { publishing } = deps;
    const { endpoint } = await createEndpoint(publishing, { url: 'https://erp.example/hooks', events: ['po.placed'] });
    const since = deps.clock.now();
    for (let i = 1; i <= 130; i++) {
      await publishing.events.put({ id: `evt_PO${i}_1`, type: i % 2 ? 'po.placed' : 'po.approved', timestamp: since.toISOString(), sequence: 1, poId: `PO${i}`, reference: `R-${i}`, data: {} } as never, since.toISOString());
    }
    const asked = await replay(publishing, endpoint.id, since);
    expect(await replay(publishing, endpoint.id, since)).toEqual(asked);
    expect(publishing.replays.started.size).toBe(1);
    expect((await replay(publishing, endpoint.id, since, 'again')).replayId).not.toBe(asked.replayId);

    // The state machine's loop, by hand: pages of 100 until there are no more; a page run twice starts nothing new.
    deps.clock.advance(60);
    let step = { replayId: asked.replayId, endpointId: endpoint.id, since: asked.since, startedAt: deps.clock.now().toISOString(), cursor: null as string | null, replayed: 0, more: true };
    const pages: number[] = [];
    while (step.more) {
      const before = publishing.deliveries.started.size;
      await replayPage(publishing, step);
      step = await replayPage(publishing, step);
      pages.push(publishing.deliveries.started.size - before);
    }
    expect(pages).toEqual([50, 15]);
    expect(step.replayed).toBe(65);
    expect([...publishing.deliveries.started.keys()].every((name) => name.endsWith(`--${endpoint.id}--r${asked.replayId.slice(3, 11)}`))).toBe(true);
  });
});

describe('webhook endpoint addresses', () => {
  it('refuses internal addresses and plain http as the deployed app (422), malformed URLs with 400, never a 500; nothing is stored', async () => {
    const deps = { ...routeFakes(), addresses: { loopbackHttp: false } };
    const create = await handlerFor('CreateWebhookEndpoint', 'WebhookEndpoints', deps);
    const post = (url: unknown) =>
      create(apiEvent({ method: 'POST', path: '/webhook-endpoints', headers: { Authorization: 'Bearer test-finance-key', 'Content-Type': 'application/json' }, body: JSON.stringify({ url }) }));
    for (const url of ['http://10.0.0.1/hook', 'https://169.254.169.254/latest', 'https://[fd00::1]/hook', 'https://127.0.0.1/hook', 'http://127.0.0.1:9000/hook', 'http://erp.example/hook', 'https://[::ffff:10.1.2.3]/x', 'https://192.168.0.10/x']) {
      const answer = await post(url);
      expect(answer.statusCode, url).toBe(422);
      expect(JSON.parse(answer.body).rule, url).toBe('webhook_url');
    }
    for (const url of ['%', '-1', 'x'.repeat(3000), 'https://user:pw@erp.example/hook', 12]) {
      expect((await post(url)).statusCode, String(url).slice(0, 20)).toBe(400);
    }
    expect((await deps.webhooks.list()).length).toBe(0);
    expect((await post('https://erp.example/hooks')).statusCode).toBe(201);
  });

  it('answers 409 with Retry-After, not a 500, when others keep changing the endpoint through every retry; nothing is changed', async () => {
    const deps = routeFakes();
    const created = await createEndpoint(deps, { url: 'https://erp.example/hooks', events: ['invoice.issued'] });
    const save = deps.webhooks.save.bind(deps.webhooks);
    let saves = 0;
    // Every write loses its race: another change lands between this one's read and its write.
    deps.webhooks.save = async (endpoint, expected) => {
      saves += 1;
      const current = (await deps.webhooks.get(endpoint.id))!;
      await save({ ...current, description: `elsewhere ${saves}` }, current.version);
      return save(endpoint, expected);
    };
    const update = await handlerFor('UpdateWebhookEndpoint', 'WebhookEndpoints', deps);
    const answer = await update(
      apiEvent({ method: 'PATCH', path: `/webhook-endpoints/${created.endpoint.id}`, headers: { Authorization: 'Bearer test-finance-key', 'Content-Type': 'application/json' }, body: JSON.stringify({ url: 'https://erp.example/other' }), pathParameters: { id: created.endpoint.id } }),
    );
    expect(answer.statusCode).toBe(409);
    expect(answer.headers?.['Retry-After']).toBe('1');
    expect(JSON.parse(answer.body).detail).toMatch(/nothing was changed/);
    expect(saves).toBeGreaterThan(5);
    expect((await deps.webhooks.get(created.endpoint.id))!.url).toBe('https://erp.example/hooks');
  });
});

describe('the events feed', () => {
  it('serves an event once it has settled, so a reader\'s cursor never passes one that a slower publisher is still writing', async () => {
    const { deps, poId } = await approvedOnFakes();
    const feed = await handlerFor('ListEvents', 'Reads', { ...routeFakes(), events: deps.publishing.events, clock: deps.clock });
    const read = async (after?: string) =>
      JSON.parse((await feed(apiEvent({ path: '/events', headers: { Authorization: `Bearer ${new FixedSecrets().values.finance}` }, ...(after ? { query: { after } } : {}) }))).body) as { items: { id: string }[]; cursor: string | null };

    await tasks.notify(deps, { poId, notifiedVersion: 0 });
    // Just published: not yet in the feed, and the cursor stays where the reader was.
    const early = await read();
    expect(early.items).toEqual([]);
    deps.clock.advance(FEED_SETTLING_SECONDS - 1);
    expect((await read()).items).toEqual([]);
    deps.clock.advance(2);
    const settled = await read();
    expect(settled.items.map((e) => e.id)).toEqual([`evt_${poId}_1`, `evt_${poId}_2`]);
    expect((await read(settled.cursor!)).items).toEqual([]);
  });
});
