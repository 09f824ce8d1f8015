import * as path from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { routes } from '../../contract/routes.js';
import { apiFunctions } from '../../infra/api-functions.js';

/**
 * Every row of the route table reaches a handler in its group's function: the function's entry,
 * given the resource and method API Gateway matched, finds the row's handler (the type check holds
 * the same from the other side: an entry that misses a row of its group does not compile).
 */
const root = path.resolve(import.meta.dirname, '..', '..');

describe('the route table', () => {
  for (const route of routes) {
    it(`${route.method} ${route.path} reaches ${route.id} in ${route.group}`, async () => {
      const entry = (await import(path.join(root, apiFunctions[route.group].entry))) as { handler: (event: APIGatewayProxyEvent) => Promise<{ statusCode: number; body: string }> };
      for (const resource of [route.path, ...(route.alsoAt ?? [])]) {
        const event = { httpMethod: route.method === 'ANY' ? 'GET' : route.method, resource, path: resource, headers: {}, pathParameters: null, queryStringParameters: null, body: null, requestContext: {} } as unknown as APIGatewayProxyEvent;
        // Without a deployment's environment the handler cannot build its adapters (or answers 401):
        // what matters is that the router did not answer "no route".
        const answer = await entry.handler(event).catch((error: Error) => ({ statusCode: 0, body: error.message }));
        expect(answer.body, `${route.id} at ${resource}`).not.toContain('no route for');
      }
    });
  }
});
