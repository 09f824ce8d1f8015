import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as actions from '../../functions/api/actions.js';
import { makeResume } from '../../functions/api/resume.js';
import * as attachments from '../../functions/api/attachments.js';
import type { FileStore } from '../../functions/app/ports.js';
import { makeHandler as makeGetDocument } from '../../functions/api/get-document.js';
import { makeHandler as makeGetPurchaseOrder } from '../../functions/api/get-purchase-order.js';
import { makeHandler as makeList } from '../../functions/api/list-purchase-orders.js';
import { makeHandler as makePlace } from '../../functions/api/place-purchase-order.js';
import { makeGetHandler, makePutHandler } from '../../functions/api/policy.js';
import { makeHandler as makeCustomerAccount } from '../../functions/api/customer-account.js';
import * as events from '../../functions/api/events.js';
import * as webhooks from '../../functions/api/webhooks.js';
import { routes } from '../../contract/routes.js';
import { apiEvent, taskFakes } from '../support/fakes.js';

/**
 * The routes table says who may call each route (and docs/api.md prints it); each handler checks the
 * role itself. They must agree: a role the table lists gets past the check, any other gets 403.
 */
type Deps = ReturnType<typeof taskFakes>;
/** Storage that holds nothing: these calls stop at the role check or at the missing PO. */
const noFiles: FileStore = {
  uploadUrl: async () => ({ url: 'https://files.example/upload', headers: {} }),
  put: async () => {},
  inspect: async () => null,
  downloadUrl: async () => 'https://files.example/download',
  remove: async () => {},
};
const handlers: Record<string, (deps: Deps) => (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>> = {
  PlacePurchaseOrder: (d) => makePlace(d),
  GetPurchaseOrder: (d) => makeGetPurchaseOrder(d),
  GetDocument: (d) => makeGetDocument(d),
  ListPurchaseOrders: (d) => makeList(d),
  FinanceReview: (d) => actions.makeReview(d),
  RecordPayment: (d) => actions.makeRecordPayment(d),
  SubmitPayment: (d) => actions.makeSubmitPayment(d),
  VerifyPayment: (d) => actions.makeVerifyPayment(d),
  CancelPurchaseOrder: (d) => actions.makeCancel(d),
  ResumeWorkflow: (d) => makeResume(d),
  ConvertToPurchaseOrder: (d) => actions.makeConvert(d),
  OpenDispute: (d) => actions.makeDispute(d),
  ResolveDispute: (d) => actions.makeResolveDispute(d),
  UpdateShippingOrder: (d) => actions.makeUpdateShipping(d),
  GetPolicy: (d) => makeGetHandler(d),
  GetCustomerAccount: (d) => makeCustomerAccount(d),
  AddAttachment: (d) => attachments.makeAddHandler({ ...d, files: noFiles }),
  CompleteAttachment: (d) => attachments.makeCompleteHandler({ ...d, files: noFiles }),
  GetAttachment: (d) => attachments.makeGetHandler({ ...d, files: noFiles }),
  PutPolicy: (d) => makePutHandler(d),
  ListPurchaseOrderEvents: (d) => events.makePoEventsHandler(d),
  ListEvents: (d) => events.makeFeedHandler(d.publishing),
  CreateWebhookEndpoint: (d) => webhooks.makeCreateHandler(d.publishing),
  ListWebhookEndpoints: (d) => webhooks.makeListHandler(d.publishing),
  GetWebhookEndpoint: (d) => webhooks.makeGetHandler(d.publishing),
  UpdateWebhookEndpoint: (d) => webhooks.makeUpdateHandler(d.publishing),
  DeleteWebhookEndpoint: (d) => webhooks.makeDeleteHandler(d.publishing),
  RotateWebhookSecret: (d) => webhooks.makeRotateHandler(d.publishing),
  ListWebhookDeliveries: (d) => webhooks.makeDeliveriesHandler(d.publishing),
  RedeliverWebhook: (d) => webhooks.makeRedeliverHandler(d.publishing),
  ReplayWebhooks: (d) => webhooks.makeReplayHandler(d.publishing),
};

describe('who may call each route', () => {
  for (const route of routes.filter((r) => !r.public)) {
    it(`${route.method} ${route.path}: ${route.roles.join(', ')}`, async () => {
      expect(handlers[route.id], `a handler for ${route.id} in this test`).toBeDefined();
      const handle = handlers[route.id]!(taskFakes());
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
