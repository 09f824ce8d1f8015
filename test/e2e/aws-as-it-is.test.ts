import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_NODE_MAJOR } from '../../infra/local/node-runtime.js';
import { validate } from '../support/en16931.js';
import { keys, LocalStack } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * What AWS does that a kinder local stack used to hide: API Gateway's binary handling by the first
 * Accept type, its request models and payload limits, Lambda's 6 MB request, and DynamoDB's
 * eventually consistent indexes and reads. And, on that stack as deployed, a walk of hostile values
 * over every route of the OpenAPI document: each path parameter, query parameter, header and
 * top-level body field of each operation in turn takes values a careless or hostile caller sends
 * (malformed percent-encoding, over-long, control characters, wrong types, another list's paging
 * token...). Whatever they are, the answer is never a 5xx: a bad request gets a 4xx problem.
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
    // The same invoice as EN 16931 UBL, as a buyer's system takes it: text, valid by the CEN rules, the PO's total.
    const ubl = await fetch(`${url}?format=ubl`, { headers: { Authorization: `Bearer ${keys.finance}` } });
    expect(ubl.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await ubl.text();
    expect(validate('cen-ubl', xml).fatal).toEqual([]);
    expect(xml).toContain(`<cbc:PayableAmount currencyID="${invoiced.currency}">${(invoiced.total / 100).toFixed(2)}</cbc:PayableAmount>`);
  }, 120_000);

  it('e-invoices on the stack: a Factur-X PDF as the policy asks, the CII the buyer asked for beside it in the email, each format by its link', async () => {
    await stack.updatePolicy({ einvoicing: { pdf: 'factur-x' } });
    try {
      const customer = { ...buyer('cust-trusted', 'Hooli Inc.', 'einvoice@hooli.example'), endpointId: '0088:4000001000005', einvoiceFormat: 'cii' };
      const po = (await place({ customer })).body;
      const invoiced = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1);
      const [invoice] = invoiced.documents;
      expect(Object.keys(invoice.links)).toEqual(['pdf', 'ubl', 'cii']);
      const pdf = await stack.request('GET', invoice.links.pdf, { key: keys.finance, headers: { Accept: 'application/pdf' } });
      const dir = mkdtempSync(path.join(tmpdir(), 'factur-x-e2e-'));
      writeFileSync(path.join(dir, 'invoice.pdf'), pdf.body);
      expect(execFileSync('pdfdetach', ['-list', path.join(dir, 'invoice.pdf')]).toString()).toContain('1: factur-x.xml');
      expect(execFileSync('pdfinfo', ['-meta', path.join(dir, 'invoice.pdf')]).toString()).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
      const cii = await stack.request('GET', invoice.links.cii, { key: keys.finance });
      expect(cii.status).toBe(200);
      expect(validate('cen-cii', cii.body).fatal).toEqual([]);
      const email = await stack.waitForEmail((e) => e.destination.to.includes('einvoice@hooli.example') && e.subject.includes(invoice.number));
      expect(email.attachments!.map((file) => [file.filename, file.contentType])).toEqual([
        [`${invoice.number}.pdf`, 'application/pdf'],
        [`${invoice.number}-cii.xml`, 'application/xml'],
      ]);
      expect(Buffer.from(email.attachments![1]!.content, 'base64').toString('utf8')).toBe(cii.body);
      // XRechnung needs the buyer's Leitweg-ID: a 422 that says so.
      const xrechnung = await stack.request('GET', `${invoice.links.pdf}?format=xrechnung`, { key: keys.finance });
      expect(xrechnung).toMatchObject({ status: 422, body: { rule: 'einvoice_format_unavailable' } });
    } finally {
      await stack.updatePolicy({ einvoicing: { pdf: 'plain' } });
    }
  }, 120_000);
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

    // The feed's settling window (10 s on the stack's clock) must stay well above the index lag (400 ms
    // of real time): the clock here moves at most 4 s per real second, so 10 s of it last at least
    // 2.5 s. A clock racing ahead of real time would let a reader pass an event still in flight, which
    // real time never does.
    const advance = async (seconds: number) => {
      await Promise.all([stack.request('POST', '/_local/clock', { body: { advanceSeconds: seconds } }), new Promise((done) => setTimeout(done, seconds * 250))]);
    };

    // Overlapping publishers (POs placed at once, each publishing as its workflow runs), and a reader
    // polling the feed all along while the clock moves on a second at a time.
    const placing = Promise.all(Array.from({ length: 8 }, (_, i) => place({ customer: buyer('cust-trusted', 'Hooli Inc.', `ap${i}@hooli.example`) })));
    const fromFeed: string[] = [];
    let placed: { body: { id: string } }[] | undefined;
    void placing.then((done) => (placed = done));
    while (!placed) {
      fromFeed.push(...(await readAll()));
      await advance(1);
    }
    const ids = placed.map((p) => p.body.id);
    await Promise.all(ids.map((id) => stack.waitForPo(id, keys.finance, (p) => p.documents.length === 1)));
    const expected = (await Promise.all(ids.map(async (id) => (await stack.request('GET', `/purchase-orders/${id}/events`, { key: keys.finance })).body.items as { id: string }[]))).flat().map((e) => e.id);
    for (let round = 0; round < 4; round += 1) {
      await advance(4);
      fromFeed.push(...(await readAll()));
    }
    expect(fromFeed.filter((id) => ids.some((poId) => id.startsWith(`evt_${poId}_`))).sort()).toEqual([...expected].sort());
    expect(new Set(fromFeed).size).toBe(fromFeed.length);

    await receiver.waitFor((r) => ids.every((id) => r.eventsOf(id).length === expected.filter((e) => e.startsWith(`evt_${id}_`)).length), 30_000, 'every event of the POs');
    expect(receiver.rejected).toEqual([]);
  });
});

type Operation = { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
type Schema = { $ref?: string; properties?: Record<string, Schema>; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[] };

/** Strings that broke, or might break, a parser, a key, a URL or a log line. */
const text = ['%', '%E0%A4%A', '..%2F..%2F', 'x'.repeat(3000), '\u0000\u001f', '-1', '1e309', "' OR '1'='1", '<script>', '😀'.repeat(50), ' ', 'eyJwayI6IlBPI25vbmUifQ', 'null'];
/** Values of the wrong type or shape for a JSON field. */
const json: unknown[] = [null, -1, 1e308, 0.1, '', 'x'.repeat(5000), [], [[[]]], {}, { $gt: '' }, true, '%', '\u0000'];

function topFields(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): string[] {
  if (!schema || depth > 5) return [];
  if (schema.$ref) return topFields(components[schema.$ref.split('/').pop()!], components, depth + 1);
  const parts = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  return [...new Set([...Object.keys(schema.properties ?? {}), ...parts.flatMap((part) => topFields(part, components, depth + 1))])];
}

describe('hostile input on every route of the OpenAPI document', () => {
  it('answers every request with less than 500', { timeout: 600_000 }, async () => {
    const po = (
      await stack.request('POST', '/purchase-orders', {
        key: keys.checkout,
        body: order({ customer: buyer('cust-walk', 'Walk Ltd', 'ap@walk.example'), lines: [licence(40000, 1)] }),
        headers: { 'Idempotency-Key': 'walk-1' },
      })
    ).body as { id: string };
    const endpoint = (await stack.request('POST', '/webhook-endpoints', { key: keys.finance, body: { url: 'https://erp.example/hooks' } })).body as { id: string };
    const document = (await stack.request('GET', '/openapi.json')).body as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
    const real: Record<string, string> = { id: po.id, docId: 'INV-1', soId: 'SO-1', attachmentId: 'att-1', reviewId: 'rev-1', deliveryId: 'd-1', proxy: 'queues/to-review' };

    type Request = { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body?: string; what: string };
    const requests: Request[] = [];
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const params = operation.parameters ?? [];
        const named = (where: string) => params.filter((p) => p.in === where).map((p) => p.name);
        const pathWith = (values: Record<string, string>) =>
          template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'proxy' ? (values[name] ?? real.proxy!) : encodeURIComponent(values[name] ?? (template.startsWith('/webhook-endpoints') && name === 'id' ? endpoint.id : real[name] ?? 'x'))));
        const fields = topFields(Object.values(operation.requestBody?.content ?? {})[0]?.schema, document.components.schemas);
        const key = template.startsWith('/purchase-orders/{id}/payment-submissions') || template.startsWith('/purchase-orders/{id}/dispute') ? keys.checkout : keys.finance;
        const base = (what: string): Request => ({
          method: method.toUpperCase(),
          path: pathWith({}),
          query: {},
          headers: { Authorization: `Bearer ${key}`, 'Idempotency-Key': `walk-${requests.length}`, ...(fields.length ? { 'Content-Type': 'application/json' } : {}) },
          ...(fields.length ? { body: '{}' } : {}),
          what,
        });
        for (const name of named('path')) {
          for (const value of text) requests.push({ ...base(`path ${name}=${value.slice(0, 20)}`), path: pathWith({ [name]: value }) });
          // As sent, not encoded: malformed percent-encoding in the path itself.
          requests.push({ ...base(`path ${name} raw %zz`), path: pathWith({ [name]: '\u0000' }).replace(/%00/, '%zz') });
        }
        for (const name of named('query')) for (const value of text) requests.push({ ...base(`query ${name}=${value.slice(0, 20)}`), query: { [name]: value } });
        for (const [name, value] of [
          ['Authorization', 'Bearer a.b.c'],
          ['Authorization', `Bearer ${'x'.repeat(5000)}`],
          ['Cookie', 'a=%; po_session=%E0%A4%A; po_access=a.b.c'],
          ['Idempotency-Key', 'x'.repeat(2000)],
          ['Idempotency-Key', '\u0001'],
          ['Content-Type', 'application/json; charset=ebcdic'],
          ['Content-Type', 'multipart/form-data; boundary='],
          ['Accept', '*/*;q=abc, application/pdf;q=2'],
          ['If-None-Match', '"%"'],
        ] as const) {
          const request = base(`header ${name}=${value.slice(0, 30)}`);
          requests.push({ ...request, headers: { ...request.headers, [name]: value } });
        }
        if (['post', 'put', 'patch'].includes(method)) {
          for (const raw of ['', 'null', '[]', '{"a":', '"x"', '{"__proto__":{"x":1}}', 'x'.repeat(20_000)]) requests.push({ ...base(`body ${raw.slice(0, 20)}`), body: raw, headers: { ...base('').headers, 'Content-Type': 'application/json' } });
          for (const field of fields) for (const value of json) requests.push({ ...base(`body.${field}=${JSON.stringify(value).slice(0, 20)}`), body: JSON.stringify({ [field]: value }) });
        }
      }
    }

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const query = new URLSearchParams(request.query).toString();
        try {
          const answer = await fetch(`${stack.api}${request.path}${query ? `?${query}` : ''}`, {
            method: request.method,
            headers: request.headers,
            ...(request.body !== undefined ? { body: request.body } : {}),
            redirect: 'manual',
          });
          await answer.arrayBuffer();
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500) failures.push(`${answer.status} ${request.method} ${request.path.slice(0, 80)} (${request.what})`);
        } catch (error) {
          // Malformed by the client itself (fetch refuses to send it): not the stack's answer.
          if (!(error instanceof TypeError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    console.log(`hostile walk: ${requests.length} requests over ${Object.keys(document.paths).length} paths, ${failures.length} answered 5xx; by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(requests.length).toBeGreaterThan(800);
    expect(failures.join("\n")).toBe("");
  });
});
