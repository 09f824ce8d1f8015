import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { apiGroups, routes } from '../../contract/routes.js';
import { serve } from '../../functions/http/routing.js';
import { groupHandlers } from '../support/route-handlers.js';

/**
 * Every row of the route table reaches its handler in its group's function: the group's entry builds
 * a handler for each of its rows and no other (the type check holds the same: `makeRoutes` returns
 * exactly the group's ids), and the function's router, given the resource and method API Gateway
 * matched, hands the request to it.
 */
describe('the route table', () => {
  for (const group of apiGroups) {
    it(`${group}: a handler for each of its rows, and no other`, async () => {
      const handlers = await groupHandlers(group);
      expect(Object.keys(handlers).sort()).toEqual(routes.filter((route) => route.group === group).map((route) => route.id).sort());
    });
  }
  for (const route of routes) {
    it(`${route.method} ${route.path} reaches ${route.id} in ${route.group}`, async () => {
      const reached: string[] = [];
      const handlers = Object.fromEntries(Object.keys(await groupHandlers(route.group)).map((id) => [id, async () => (reached.push(id), { statusCode: 204, body: '' })]));
      const handle = serve(route.group, handlers as never);
      for (const resource of [route.path, ...(route.alsoAt ?? [])]) {
        const event = { httpMethod: route.method === 'ANY' ? 'POST' : route.method, resource, path: resource, headers: {} } as unknown as APIGatewayProxyEvent;
        expect((await handle(event)).statusCode, `${route.id} at ${resource}`).toBe(204);
      }
      expect(new Set(reached)).toEqual(new Set([route.id]));
    });
  }
});
