import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * A walk of hostile values over every route of the OpenAPI document, on the running stack (API
 * Gateway, the authorizer, the functions and DynamoDB as deployed): each path parameter, query
 * parameter, header and top-level body field of each operation in turn takes values a careless or
 * hostile caller sends (malformed percent-encoding, over-long, control characters, wrong types,
 * another list's paging token...). Whatever they are, the answer is never a 5xx: the contract says a
 * bad request gets a 4xx problem.
 */
const stack = new LocalStack();
beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop());

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
