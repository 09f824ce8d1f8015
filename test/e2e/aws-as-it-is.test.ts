import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_NODE_MAJOR } from '../../infra/local/node-runtime.js';
import { keys, LocalStack } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * What AWS does that a kinder local stack used to hide: API Gateway's binary handling by the first
 * Accept type, its request models and payload limits, Lambda's 6 MB request, and DynamoDB's
 * eventually consistent indexes and reads.
 */
const stack = new LocalStack();
let n = 0;
const place = (overrides: Record<string, unknown> = {}) =>
  stack.request('POST', '/purchase-orders', {
    key: keys.checkout,
    body: order({ customer: buyer('cust-trusted', 'Hooli Inc.', 'ap@hooli.example'), lines: [licence(10000, 2)], ...overrides }),
    headers: { 'Idempotency-Key': `aws-${++n}` },
  });

beforeAll(async () => {
  await stack.start();
  await stack.updatePolicy({ trustedCustomers: ['cust-trusted'] });
}, 120_000);
afterAll(() => stack.stop());

describe('Lambda', () => {
  it("runs the functions on the template's Node major, whatever Node started the stack", () => {
    expect(stack.output).toMatch(new RegExp(`Functions {6}Node ${LAMBDA_NODE_MAJOR}\\.`));
  });
});

describe('documents through API Gateway', () => {
  const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

  it('an invoice fetched with a browser Accept, with curl\'s */* and as application/pdf is the PDF, never base64 text', async () => {
    const po = (await place()).body;
    const invoiced = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1);
    const url = `${stack.api}/purchase-orders/${po.id}/documents/${invoiced.documents[0].id}`;
    for (const accept of [browserAccept, '*/*']) {
      // A redirect to the file (a browser and curl -L follow it) ...
      const first = await fetch(url, { headers: { Authorization: `Bearer ${keys.finance}`, Accept: accept }, redirect: 'manual' });
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toMatch(/^http/);
      // ... where the bytes are the PDF's.
      const followed = await fetch(first.headers.get('location')!, { headers: { Accept: accept } });
      expect(followed.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await followed.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    const direct = await fetch(url, { headers: { Authorization: `Bearer ${keys.finance}`, Accept: 'application/pdf' } });
    expect(direct.status).toBe(200);
    expect(Buffer.from(await direct.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe("API Gateway's own refusals", () => {
  it('a body failing the route\'s model gets the contract\'s problem with errors[] before any function runs', async () => {
    const before = ((await stack.request('GET', '/_local/stats')).body.lambda as Record<string, number>);
    const answer = await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: { currency: 'USD', lines: 'not a list' }, headers: { 'Idempotency-Key': 'aws-model' } });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ title: 'Bad Request', status: 400, errors: [{ path: '', message: expect.stringMatching(/^\[.+\]$/) }] });
    expect(answer.body.errors[0].message).toMatch(/lines|customer/);
    const after = ((await stack.request('GET', '/_local/stats')).body.lambda as Record<string, number>);
    const placer = Object.keys(after).find((name) => name.includes('PlacePurchaseOrder'))!;
    expect(after[placer] ?? 0).toBe(before[placer] ?? 0);
  });

  it('a 7 MiB file sent directly gets a 413 problem that points to the presigned upload, which takes it', async () => {
    const po = (await place({ customer: buyer('cust-new', 'Initech', 'ap@initech.example') })).body;
    const file = Buffer.alloc(7 * 1024 * 1024, 0x20);
    file.write('%PDF-1.7\n', 0, 'latin1');
    const direct = await stack.request('POST', `/purchase-orders/${po.id}/attachments`, { key: keys.checkout, body: file, headers: { 'Content-Type': 'application/pdf' } });
    expect(direct.status).toBe(413);
    expect(direct.headers.get('content-type')).toBe('application/problem+json');
    expect(direct.body.detail).toMatch(/presigned upload/);

    const pending = await stack.request('POST', `/purchase-orders/${po.id}/attachments`, { key: keys.checkout, body: { contentType: 'application/pdf', size: file.length, filename: 'signed.pdf' } });
    expect(pending.status).toBe(201);
    expect((await fetch(pending.body.upload.url, { method: 'PUT', headers: pending.body.upload.headers, body: file })).status).toBe(200);
    const done = await stack.request('POST', pending.body.complete, { key: keys.checkout });
    expect(done.body).toMatchObject({ status: 'received', size: file.length });
  });
});

describe('eventual consistency', () => {
  const stackNow = async () => Date.parse(((await stack.request('GET', '/_local/clock')).body as { now: string }).now);
  const receiver = new WebhookReceiver(stackNow);
  beforeAll(() => receiver.start());
  afterAll(async () => {
    await stack.request('POST', '/_local/dynamodb', { body: { indexLagMs: 0 } });
    await receiver.stop();
  });

  it('with index reads lagging, deliveries and the feed lose nothing while publishers overlap', async () => {
    const endpoint = await stack.request('POST', '/webhook-endpoints', { key: keys.finance, body: { url: receiver.url, description: 'ERP' } });
    expect(endpoint.status).toBe(201);
    receiver.secrets = [endpoint.body.secret];
    expect((await stack.request('POST', '/_local/dynamodb', { body: { indexLagMs: 400 } })).body).toEqual({ indexLagMs: 400 });

    // Where the feed stands now: a reader that has read everything so far.
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 11 } });
    let cursor: string | null = null;
    const readAll = async () => {
      const seen: string[] = [];
      for (;;) {
        const page = await stack.request('GET', `/events?limit=3${cursor ? `&after=${cursor}` : ''}`, { key: keys.finance });
        expect(page.status).toBe(200);
        seen.push(...(page.body.items as { id: string }[]).map((e) => e.id));
        cursor = page.body.cursor;
        if (!page.body.items.length) return seen;
      }
    };
    await readAll();

    // Overlapping publishers (POs placed at once, each publishing as its workflow runs), and a reader
    // polling the feed all along while the clock moves on a second at a time.
    const placing = Promise.all(Array.from({ length: 8 }, (_, i) => place({ customer: buyer('cust-trusted', 'Hooli Inc.', `ap${i}@hooli.example`) })));
    const fromFeed: string[] = [];
    let placed: { body: { id: string } }[] | undefined;
    void placing.then((done) => (placed = done));
    while (!placed) {
      fromFeed.push(...(await readAll()));
      await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 1 } });
    }
    const ids = placed.map((p) => p.body.id);
    await Promise.all(ids.map((id) => stack.waitForPo(id, keys.finance, (p) => p.documents.length === 1)));
    const expected = (await Promise.all(ids.map(async (id) => (await stack.request('GET', `/purchase-orders/${id}/events`, { key: keys.finance })).body.items as { id: string }[]))).flat().map((e) => e.id);
    for (let round = 0; round < 4; round += 1) {
      await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 4 } });
      fromFeed.push(...(await readAll()));
    }
    expect(fromFeed.filter((id) => ids.some((poId) => id.startsWith(`evt_${poId}_`))).sort()).toEqual([...expected].sort());
    expect(new Set(fromFeed).size).toBe(fromFeed.length);

    await receiver.waitFor((r) => ids.every((id) => r.eventsOf(id).length === expected.filter((e) => e.startsWith(`evt_${id}_`)).length), 30_000, 'every event of the POs');
    expect(receiver.rejected).toEqual([]);
  });
});
