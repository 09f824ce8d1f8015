import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { apply, sizeLimits, utf8Bytes } from '../../functions/domain/purchase-order/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack, reviewLinkIn } from '../support/local-stack.js';
import { addresses, buyer, goods, licence, order as orderBody } from '../support/orders.js';

/** Money and orders under races, retries and crashes: nothing lost, nothing counted twice. */
const stack = new LocalStack();
let n = 0;
const order = orderBody({ customer: buyer('cust-race', 'Umbrella Corp', 'ap@umbrella.example'), lines: [licence(50000, 1, 'LIC-R')] });
const place = (key = `race-${++n}`, body: unknown = order) => stack.request('POST', '/purchase-orders', { key: keys.checkout, body, headers: { 'Idempotency-Key': key } });
const form = (link: URL, decision: string) =>
  stack.request('POST', link.pathname, {
    body: new URLSearchParams({ token: link.searchParams.get('token')!, decision }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });

beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop());

describe('races', () => {
  it('of concurrent decisions on one PO, exactly one wins; the history shows one decision', async () => {
    for (let round = 0; round < 3; round += 1) {
      const po = (await place()).body;
      const link = reviewLinkIn(await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`)));
      const results = await Promise.all([
        form(link, 'approve'),
        form(link, 'reject'),
        stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'approve' } }),
        stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'reject' } }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      const final = (await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body;
      expect(final.history.filter((h: { type: string }) => h.type === 'approve' || h.type === 'reject')).toHaveLength(1);
    }
  });

  it('concurrent duplicate placements make one PO; duplicates in flight get 409, never 5xx', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => place('same-key-1')));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    // Once settled, the same key and body return the same PO; another body is refused.
    const again = await place('same-key-1');
    expect(again.status).toBe(201);
    expect(ids.has(again.body.id)).toBe(true);
    expect((await place('same-key-1', { ...order, poNumber: 'OTHER' })).status).toBe(422);
    const queue = await stack.request('GET', '/purchase-orders?status=awaiting_review&limit=100', { key: keys.finance });
    expect(queue.body.items.filter((p: { id: string }) => ids.has(p.id))).toHaveLength(1);
  });

  it('concurrent payments with one reference count once', async () => {
    const po = (await place()).body;
    await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'approve' } });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: 20000, reference: 'WIRE-ONCE' } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const final = (await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body;
    expect(final.payment).toMatchObject({ amountPaid: 20000, payments: [expect.objectContaining({ reference: 'WIRE-ONCE' })] });
    expect(final.payment.payments).toHaveLength(1);
  });
});

describe('hostile requests over HTTP', () => {
  it('never get a 5xx: arbitrary bodies, content types, keys and paths', async () => {
    const po = (await place()).body;
    const paths = ['/purchase-orders', `/purchase-orders/${po.id}/review`, `/purchase-orders/${po.id}/payments`, `/purchase-orders/${po.id}/cancel`, '/policy', `/reviews/x`, '/purchase-orders/%00/review'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ maxLength: 300 })),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8'),
        fc.constantFrom(keys.checkout, keys.finance, 'wrong', ''),
        async (path, body, type, key) => {
          const res = await stack.request(path === '/policy' ? 'PUT' : 'POST', path, { key, body, headers: { 'Content-Type': type, 'Idempotency-Key': `fuzz-${Math.random()}` } });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 120 },
    );
    const after = (await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body;
    expect(after.status).not.toBe(undefined);
  });

  it('a HEAD or GET of a review link decides nothing', async () => {
    const po = (await place()).body;
    const link = reviewLinkIn(await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`)));
    const head = await fetch(link, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.version).toBe(1);
  });
});

describe('the largest order the API accepts', () => {
  /** 2,000 licence keys and 80 physical lines of Japanese text (3 bytes a character), grown to the byte limit. */
  const largest = () => {
    const body = orderBody({
      customer: buyer('cust-big', 'Big Buyer', 'ap@big.example'),
      lines: [licence(100, sizeLimits.digitalSeats, 'LIC-BIG'), ...Array.from({ length: 80 }, (_, i) => goods(1000, 2, `BOX-${i}`, '', `seller-${i % 3}`))],
      shippingAddress: addresses.JP,
    });
    let length = 1;
    const fill = (n: number) => body.lines.slice(1).forEach((line, i) => (line.description = `${i} ${'倉'.repeat(n)}`.slice(0, 500)));
    for (fill(length); length < 500; fill(++length)) if (utf8Bytes(body) > sizeLimits.orderBytes) break;
    fill(length - 1);
    return body;
  };

  it('runs its whole flow without a 5xx: placed, released, every key delivered, invoiced, shipped; one key more, or the next size up, is refused with 422', { timeout: 90_000 }, async () => {
    const body = largest();
    expect(utf8Bytes(body)).toBeGreaterThan(sizeLimits.orderBytes - 80 * 3); // within one character per line of the limit
    const placed = await place('largest', body);
    expect(placed.status).toBe(201);
    const po = placed.body;
    expect((await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'approve' } })).status).toBe(200);
    const released = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1 && p.licences !== null, 30_000, () => 250);
    expect(released.licences[0].keys).toHaveLength(sizeLimits.digitalSeats);
    expect(released.shippingOrders).toHaveLength(3);
    await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: your order is released`), 30_000);
    for (const so of released.shippingOrders) {
      expect((await stack.request('POST', `/purchase-orders/${po.id}/shipping-orders/${so.id}/status`, { key: keys.finance, body: { status: 'shipped' } })).status).toBe(200);
    }
    expect((await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: released.total, reference: 'BIG-1' } })).status).toBe(200);

    const oneKeyMore = structuredClone(body);
    oneKeyMore.lines[0]!.quantity += 1;
    expect(await place('largest-keys', oneKeyMore)).toMatchObject({ status: 422, body: { rule: 'too_many_licences' } });
    const oneCharMore = structuredClone(body);
    for (const line of oneCharMore.lines.slice(1)) line.description += '倉'; // the next size up, over the limit
    expect(await place('largest-bytes', oneCharMore)).toMatchObject({ status: 422, body: { rule: 'order_too_large' } });
  });
});

describe('logs', () => {
  it('carry no keys and no link secrets (only the start-up banner shows the dev keys)', async () => {
    const links = (await stack.emails()).flatMap((e) => [...(e.body.text ?? '').matchAll(/token=([\w-]+)/g)].map((m) => m[1]!));
    expect(links.length).toBeGreaterThan(0);
    const kept = readFileSync(path.join(stack.dataDir, 'logs', 'functions.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(kept.length).toBeGreaterThan(10);
    const logLines = [...kept, ...stack.output.split('\n').filter((line) => line.startsWith('{'))];
    for (const line of logLines) {
      expect(line).not.toContain(keys.checkout);
      expect(line).not.toContain(keys.finance);
      for (const token of links) expect(line).not.toContain(token);
    }
  });
});

describe('crashes', () => {
  it('kill -9 mid-flow loses no PO, payment or decision; executions resume and old links still work', { timeout: 120_000 }, async () => {
    const waiting = (await place()).body;
    const link = reviewLinkIn(await stack.waitForEmail((e) => e.subject.startsWith(`${waiting.reference}: purchase order to review`)));
    const paying = (await place()).body;
    await stack.request('POST', `/purchase-orders/${paying.id}/review`, { key: keys.finance, body: { decision: 'approve' } });
    await stack.waitForPo(paying.id, keys.finance, (p) => p.documents.length === 1);
    // Fire a burst of actions and kill the stack while they are in flight.
    const inFlight = [
      stack.request('POST', `/purchase-orders/${paying.id}/payments`, { key: keys.finance, body: { amount: 10000, reference: 'K-1' } }).catch(() => null),
      place().catch(() => null),
    ];
    await new Promise((r) => setTimeout(r, 30));
    await stack.stop('SIGKILL');
    await Promise.all(inFlight);
    await stack.start();

    // Whatever was acknowledged is there; retrying the payment counts it once.
    await stack.request('POST', `/purchase-orders/${paying.id}/payments`, { key: keys.finance, body: { amount: 10000, reference: 'K-1' } });
    const paid = await stack.request('POST', `/purchase-orders/${paying.id}/payments`, { key: keys.finance, body: { amount: 40000, reference: 'K-2' } });
    expect(paid.body).toMatchObject({ status: 'completed', payment: { amountPaid: 50000 } });

    // The execution that waited for a review before the crash still does, and its link works.
    expect((await form(link, 'approve')).status).toBe(200);
    const released = await stack.waitForPo(waiting.id, keys.finance, (p) => p.documents.length === 1);
    expect(released.status).toBe('ordered');
  });

  it('a decision saved by a process that died before signalling is picked up by the reconciler on its schedule', { timeout: 60_000 }, async () => {
    const po = (await place()).body;
    await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`));
    // What an action does up to the crash: the conditional write that takes the parked token, and no signal.
    const client = new DynamoDBClient({ endpoint: stack.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const [table] = (await client.send(new ListTablesCommand({}))).TableNames!;
    const store = new DynamoPurchaseOrderStore(DynamoDBDocumentClient.from(client), table!);
    let stored = await store.get(po.id);
    for (let i = 0; i < 50 && !stored?.waitToken; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      stored = await store.get(po.id);
    }
    expect(stored!.waitToken).toBeTruthy();
    const clock = (await stack.request('GET', '/_local/clock')).body;
    const approved = apply(stored!.po, { type: 'approve' }, { actor: 'finance', at: new Date(clock.now) });
    await store.save(approved, stored!.po.version, stored!.waitToken);
    client.destroy();

    // The workflow does not know: no invoice comes.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body).toMatchObject({ status: 'ordered', documents: [] });
    // Five minutes on the stack's clock: the schedule runs the reconciler, which wakes the workflow.
    expect((await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 300 } })).status).toBe(200);
    const released = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1);
    expect(released.documents[0].type).toBe('invoice');
    await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: your order is released`));
  });
});
