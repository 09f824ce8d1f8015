import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { readAssembly } from '../../infra/local/assembly.js';
import { methodsOf, openApiDocument, openApiPath } from '../../functions/http/openapi.js';
import { eventTypes } from '../../contract/events.js';
import { routes } from '../../contract/routes.js';
import { projectRoot } from '../../infra/docs.js';
import { OpenApiCheck } from '../support/openapi-check.js';

/**
 * The OpenAPI document is valid OpenAPI 3.1 (checked by a validator of the specification's own
 * schemas, not by hand) and describes exactly the routes API Gateway serves in the synthesized
 * template: none missing, none extra.
 */
const document = openApiDocument(routes) as { paths: Record<string, Record<string, unknown>>; webhooks: Record<string, unknown>; components: { schemas: Record<string, unknown> } };

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator bites: a path parameter that is not required is not OpenAPI.
    const broken = structuredClone(document) as unknown as { paths: Record<string, { get: { parameters: { required: boolean }[] } }> };
    broken.paths['/purchase-orders/{id}/events']!.get.parameters[0]!.required = false;
    expect((await new Validator().validate(broken as never)).valid).toBe(false);
  });

  it('has every route of the synthesized template and nothing else', () => {
    const template = readAssembly(path.join(projectRoot, 'cdk.out'), process.env.STACK_NAME ?? 'PurchaseOrders');
    const served = template.routes.flatMap((route) => methodsOf(route.method as never).map((method) => `${method.toUpperCase()} ${openApiPath(route.resourcePath)}`));
    const documented = Object.entries(document.paths).flatMap(([p, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${p}`));
    expect(new Set(documented)).toEqual(new Set(served));
    expect(documented).toHaveLength(new Set(documented).size);
  });

  it('describes every event a webhook delivers, and names each schema it refers to', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual([...eventTypes].sort());
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((match) => match[1]!);
    for (const name of new Set(refs)) expect(document.components.schemas, name).toHaveProperty(name);
  });

  it('is what docs/openapi.json holds', () => {
    expect(JSON.parse(readFileSync(path.join(projectRoot, 'docs/openapi.json'), 'utf8'))).toEqual(document);
  });

  it('is what the end-to-end tests check every answer against: a wrong field, an undocumented status or a non-problem error fails', () => {
    const check = new OpenApiCheck(document as never);
    const event = { id: 'evt_A_1', type: 'po.placed', timestamp: '2026-11-23T10:00:00.000Z', sequence: 1, poId: 'A', reference: 'PO-2026-000001', data: { status: 'ordered', currency: 'USD', by: { type: 'system' } } };
    expect(() => check.check('GET', '/purchase-orders/A/events', 200, 'application/json', { items: [event] })).not.toThrow();
    expect(() => check.check('GET', '/purchase-orders/A/events', 200, 'application/json', { items: [{ ...event, sequence: 0 }] })).toThrow(/sequence/);
    expect(() => check.check('GET', '/purchase-orders/A/events', 200, 'application/json', { items: [{ ...event, type: 'po.exploded' }] })).toThrow(/does not match/);
    expect(() => check.check('GET', '/events?after=x', 400, 'application/problem+json', { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'no' })).not.toThrow();
    expect(() => check.check('GET', '/events', 400, 'application/problem+json', { message: 'no' })).toThrow(/does not match/);
    expect(() => check.check('DELETE', '/webhook-endpoints/we_1', 200, 'application/json', {})).toThrow(/does not describe/);
  });

  it("passes Redocly's recommended rules with no error and no warning: every operation says which problems it may answer", () => {
    const document = path.join(mkdtempSync(path.join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(document, JSON.stringify(openApiDocument(routes)));
    const run = spawnSync(path.join(projectRoot, 'node_modules', '.bin', 'redocly'), ['lint', document, '--format=json'], { encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    // Each route's problems are the row's: a new route without them fails to compile, and here.
    for (const route of routes) expect(Object.keys(route.problems).length, route.id).toBeGreaterThan(0);
  });
});
