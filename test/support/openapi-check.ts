import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/**
 * Checks each answer an end-to-end test receives against the OpenAPI document the stack serves:
 * a JSON body of a documented status must match that status's schema, and an error must be a
 * problem. A route or status the document does not describe is a failure too. Ajv checks the
 * schemas (draft 2020-12, OpenAPI 3.1's dialect).
 */
type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

export class OpenApiCheck {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: { method: string; pattern: RegExp; template: string; operation: Operation }[];
  private readonly compiled = new Map<string, ValidateFunction>();
  /** What was checked, by "METHOD template status": the tests' coverage of the document. */
  readonly checked = new Set<string>();

  constructor(document: Document) {
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema({ ...(document as object), $id: 'openapi.json' } as object);
    this.routes = Object.entries(document.paths).flatMap(([template, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{proxy\}/g, '.+').replace(/\{\w+\}/g, '[^/]+')}$`),
        operation,
      })),
    );
  }

  /** Throws when the answer is not what the document says this route answers. */
  check(method: string, url: string, status: number, contentType: string, body: unknown): void {
    const path = url.split('?')[0]!;
    if (path === '/health' || path.startsWith('/_local/')) return;
    const wanted = method === 'HEAD' ? 'GET' : method;
    const candidates = this.routes.filter((route) => route.pattern.test(path));
    if (!candidates.length) return; // an unknown path: API Gateway's own 404 (checked as a problem below when JSON)
    const route = candidates.find((candidate) => candidate.method === wanted);
    if (!route) return; // a method the route does not have: the gateway's 405
    // A success must be one the operation lists; an error falls to its default (a problem).
    const documented = route.operation.responses[String(status)] ?? (status >= 400 ? route.operation.responses.default : undefined);
    if (!documented) throw new Error(`${method} ${route.template} answered ${status}, which its OpenAPI operation does not describe`);
    const type = contentType.split(';')[0]!.trim();
    if (!type.includes('json')) return;
    const media = documented.content?.[type] ?? documented.content?.['application/json'] ?? documented.content?.['application/problem+json'];
    if (!media) throw new Error(`${method} ${route.template} answered ${status} with ${type}, which its OpenAPI operation does not describe`);
    const key = `${route.method} ${route.template} ${status in route.operation.responses ? status : 'default'}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(resolveRefs(media.schema) as object);
      this.compiled.set(key, validate);
    }
    this.checked.add(key);
    if (!validate(body)) {
      throw new Error(`${method} ${path} answered ${status} with a body that does not match its OpenAPI schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}\n${JSON.stringify(body).slice(0, 1000)}`);
    }
  }
}

/** The document's own references, made to point into it as Ajv knows it. */
function resolveRefs(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"openapi.json#/components/schemas/'));
}
