import { describe, expect, it } from 'vitest';
import { routes } from '../../contract/routes.js';
import { apiEvent } from '../support/fakes.js';
import { handlerFor } from '../support/route-handlers.js';

/**
 * The routes table says who may call each route (and docs/api.md prints it); each handler checks the
 * role itself. They must agree: a role the table lists gets past the check, any other gets 403.
 */
describe('who may call each route', () => {
  for (const route of routes.filter((r) => !r.public)) {
    it(`${route.method} ${route.path}: ${route.roles.join(', ')}`, async () => {
      const handle = await handlerFor(route.id, route.group);
      const call = (headers: Record<string, string>) =>
        handle(apiEvent({ method: route.method, headers: { 'Content-Type': 'application/json', ...headers }, body: '{}', pathParameters: { id: 'PO-NONE', soId: 'SO-1', docId: 'D' }, query: { status: 'ordered' } }));
      for (const role of ['checkout', 'finance'] as const) {
        const status = (await call({ Authorization: `Bearer test-${role}-key`, 'Idempotency-Key': 'k' })).statusCode;
        if (route.roles.includes(role)) expect([401, 403]).not.toContain(status);
        else expect(status).toBe(403);
      }
      // People sign in; the authorizer names their role from their group.
      for (const role of ['finance', 'reviewer'] as const) {
        const event = apiEvent({ method: route.method, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k' }, body: '{}', pathParameters: { id: 'PO-NONE', soId: 'SO-1', docId: 'D' }, query: { status: 'ordered' } });
        event.requestContext.authorizer = { role, personId: `u-${role}`, email: `${role}@seller.example` };
        const status = (await handle(event)).statusCode;
        if (route.roles.includes(role)) expect([401, 403]).not.toContain(status);
        else expect(status).toBe(403);
      }
      expect((await call({})).statusCode).toBe(401);
    });
  }
});
