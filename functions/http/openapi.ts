import * as z from 'zod';
import type { ResponseKind, RouteSpec } from '../../contract/routes.js';
import { eventTypes } from '../../contract/events.js';
import * as responses from '../../contract/responses.js';

/**
 * The OpenAPI 3.1 document of the API, generated from the routes table (contract/routes.ts, which the
 * stack builds API Gateway from) and the zod schemas that validate every body and describe every
 * answer, so the three cannot part ways. zod 4 writes JSON Schema draft 2020-12, the dialect of
 * OpenAPI 3.1. The `webhooks` section describes every event as a receiver gets it.
 */

type Json = Record<string, unknown>;

/** Schemas with a name of their own in components.schemas; every other schema is named after its route. */
const named: [string, z.ZodType][] = [
  ['Problem', responses.problem],
  ['Who', responses.who],
  ['PurchaseOrder', responses.purchaseOrder],
  ['PurchaseOrderPage', responses.purchaseOrderPage],
  ['Event', responses.event],
  ['EventList', responses.eventList],
  ['EventPage', responses.eventPage],
  ['WebhookEndpoint', responses.webhookEndpoint],
  ['WebhookEndpointWithSecret', responses.webhookEndpointWithSecret],
  ['WebhookEndpointList', responses.webhookEndpointList],
  ['WebhookDelivery', responses.delivery],
  ['WebhookDeliveryPage', responses.deliveryPage],
  ['Redelivery', responses.redelivery],
  ['ReplayResult', responses.replayResult],
  ['CustomerAccount', responses.customerAccount],
  ['Attachment', responses.attachment],
];

/** API Gateway's `{proxy+}` (the rest of the path) as an OpenAPI parameter. */
export const openApiPath = (path: string) => path.replace(/\{(\w+)\+\}/g, '{$1}');

/** The methods an API Gateway method answers: ANY is every one the console uses (reads and forms). */
export const methodsOf = (method: RouteSpec['method']) => (method === 'ANY' ? ['get', 'post'] : [method.toLowerCase()]);

export function openApiDocument(routes: readonly RouteSpec[], info: { version: string } = { version: '1' }): Json {
  const requestRegistry = z.registry<{ id: string }>();
  const responseRegistry = z.registry<{ id: string }>();
  const names = new Map<z.ZodType, string>();
  for (const [name, schema] of named) {
    responseRegistry.add(schema, { id: name });
    names.set(schema, name);
  }
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const responseName = (route: RouteSpec, status: number, schema: z.ZodType) => {
    let name = names.get(schema);
    if (!name) {
      name = `${route.id}Response${status}`;
      responseRegistry.add(schema, { id: name });
      names.set(schema, name);
    }
    return name;
  };
  // A body several routes take is named after the first of them.
  const requestNames = new Map<z.ZodType, string>();
  for (const route of routes) {
    const body = route.body ?? route.optionalBody;
    if (body && !requestNames.has(body)) {
      requestNames.set(body, `${route.id}Request`);
      requestRegistry.add(body, { id: `${route.id}Request` });
    }
  }

  const problemResponse = { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: ref('Problem') } } };
  const contentOf = (route: RouteSpec, status: number, kinds: ResponseKind[]): Json => {
    const content: Json = {};
    let description = 'Done';
    for (const kind of kinds) {
      if (kind === 'pdf') content['application/pdf'] = { schema: { type: 'string', contentMediaType: 'application/pdf' } };
      else if (kind === 'xml') content['application/xml'] = { schema: { type: 'string', contentMediaType: 'application/xml' } };
      else if (kind === 'html') content['text/html'] = { schema: { type: 'string' } };
      else if (kind === 'redirect') description = 'A redirect (Location) to where the file or page is';
      else if (kind === 'empty') description = 'Done; no body';
      else if (kind === 'json-document') content['application/json'] = { schema: { type: 'object', description: 'an OpenAPI 3.1 document (this one)' } };
      else content['application/json'] = { schema: ref(responseName(route, status, kind)) };
    }
    return { description, ...(Object.keys(content).length ? { content } : {}) };
  };

  const paths: Record<string, Json> = {};
  for (const route of routes) {
    for (const path of [route.path, ...(route.alsoAt ?? [])]) {
      const template = openApiPath(path);
      const parameters = [
        ...[...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...Object.entries(route.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } })),
        ...Object.entries(route.headers ?? {}).map(([name, description]) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } })),
      ];
      for (const method of methodsOf(route.method)) {
        const operation: Json = {
          operationId: route.method === 'ANY' ? `${route.id}${method === 'get' ? 'Get' : 'Post'}${path === route.path ? '' : 'Root'}` : route.id,
          summary: route.description,
          ...(parameters.length ? { parameters } : {}),
          ...((route.body ?? route.optionalBody) && method !== 'get'
            ? { requestBody: { required: Boolean(route.body), content: { 'application/json': { schema: ref(requestNames.get((route.body ?? route.optionalBody)!)!) } } } }
            : {}),
          responses: {
            ...Object.fromEntries(Object.entries(route.responses).map(([status, kind]) => [status, contentOf(route, Number(status), Array.isArray(kind) ? kind : [kind])])),
            ...Object.fromEntries(Object.entries(route.problems).map(([status, description]) => [status, { ...problemResponse, description }])),
            default: { ...problemResponse, description: 'A fault on our side (5xx): the request may be retried' },
          },
          security: route.public ? [] : [{ key: [] }],
          'x-roles': route.roles,
        };
        (paths[template] ??= {})[method] = operation;
      }
    }
  }

  const convert = (registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output') =>
    Object.fromEntries(
      Object.entries(z.toJSONSchema(registry, { target: 'draft-2020-12', unrepresentable: 'any', io, uri: (id) => `#/components/schemas/${id}` }).schemas).map(([id, schema]) => {
        const { $schema: _schema, $id: _id, ...rest } = schema as Json;
        return [id, rest];
      }),
    );

  const webhookHeaders = [
    { name: 'webhook-id', in: 'header', required: true, description: "The event's id: the same on every attempt; dedupe by it", schema: { type: 'string' } },
    { name: 'webhook-timestamp', in: 'header', required: true, description: 'Seconds since the epoch when this attempt was signed', schema: { type: 'string' } },
    {
      name: 'webhook-signature',
      in: 'header',
      required: true,
      description: 'Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> with the secret (whsec_...) base64-decoded; two, space-separated, while a rotated secret still signs',
      schema: { type: 'string' },
    },
  ];
  const webhooks = Object.fromEntries(
    eventTypes.map((type) => [
      type,
      {
        post: {
          operationId: `on_${type.replace('.', '_')}`,
          summary: `${type}: delivered to every enabled endpoint that hears it`,
          parameters: webhookHeaders,
          requestBody: { required: true, content: { 'application/json': { schema: { allOf: [ref('Event'), { properties: { type: { const: type } } }] } } } },
          responses: {
            '2XX': { description: 'Received. Anything else, or no answer in 15 s, is retried (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 10 h, each ±10 %, or after Retry-After)' },
            '410': { description: 'Gone: the endpoint is disabled and finance is emailed' },
          },
        },
      },
    ]),
  );

  return {
    openapi: '3.1.0',
    info: {
      title: 'Purchase orders',
      version: info.version,
      license: { name: 'Proprietary: licensed to the seller that runs it', identifier: 'LicenseRef-Proprietary' },
      description: 'Take payment by purchase order: checkout places POs, reviewers release them, finance confirms payments; events reach the seller\'s systems by signed webhooks.',
    },
    servers: [{ url: '/', description: 'The API itself: the local stack (http://127.0.0.1:3000) or the stack output ApiUrl on AWS' }],
    security: [{ key: [] }],
    paths,
    webhooks,
    components: {
      securitySchemes: { key: { type: 'http', scheme: 'bearer', description: 'The checkout or finance key, or a staff ID token' } },
      schemas: { ...convert(requestRegistry, 'input'), ...convert(responseRegistry, 'output') },
    },
  };
}
