/**
 * The contract's routes and the function behind each. The stack builds API Gateway from this table;
 * the local stack reads the routes back from the synthesized template, not from here.
 */
import type { z } from 'zod';
import { orderRequestSchema } from '../functions/domain/order-request.js';
import { policySchema } from '../functions/domain/policy.js';
import { bodies } from '../functions/http/bodies.js';
import * as responses from '../functions/http/responses.js';

import type { Binding } from './constructs/bindings.js';

export interface RouteSpec {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  path: string;
  entry: string;
  handler?: string;
  description: string;
  /** What the function may use (see constructs/bindings.ts). Callers' roles come from the authorizer. */
  bindings: Binding[];
  /** The JSON body API Gateway validates before the function runs (routes whose body is required). */
  body?: z.ZodType;
  /** A JSON body the route takes but does not require (checked by the handler; described in the OpenAPI document). */
  optionalBody?: z.ZodType;
  /** Who may call it: the roles whose key (or staff ID token) the handler accepts. Reviewers are people only. */
  roles: ('checkout' | 'finance' | 'reviewer')[];
  /** Reviewer links carry their own credential, and the console its session; every other route needs a key. */
  public?: boolean;
  /** More paths served by the same function and method. */
  alsoAt?: string[];
  /** What it answers when it succeeds, by status: a JSON schema, or another kind of body (errors are problem+json). */
  responses: Record<number, ResponseKind | ResponseKind[]>;
  /** Query parameters it reads, each with what it means. */
  query?: Record<string, string>;
  /** Request headers it requires, each with what it means. */
  headers?: Record<string, string>;
}

/** A JSON body of this schema, a PDF, an HTML page, a redirect to a URL valid for minutes, nothing, or a JSON document of its own standard (OpenAPI). */
export type ResponseKind = z.ZodType | 'pdf' | 'html' | 'redirect' | 'empty' | 'json-document';

/** A lifecycle action: a POST on a PO, served by functions/api/actions.ts, writing the PO and waking its workflow. */
function action(id: string, path: string, handler: string, description: string, roles: RouteSpec['roles'], extra: Partial<RouteSpec> = {}): RouteSpec {
  return { id, method: 'POST', path, entry: 'functions/api/actions.ts', handler, description, roles, bindings: ['readTable', 'updateItems', 'signalWorkflow'], responses: { 200: responses.purchaseOrder }, ...extra };
}

/** A route of webhook endpoints (functions/api/webhooks.ts), finance's. */
function webhooks(id: string, method: RouteSpec['method'], path: string, handler: string, description: string, bindings: RouteSpec['bindings'], answers: RouteSpec['responses'], body?: z.ZodType): RouteSpec {
  return { id, method, path, entry: 'functions/api/webhooks.ts', handler, description, roles: ['finance'], bindings, responses: answers, ...(body ? { body } : {}) };
}

export const routes: RouteSpec[] = [
  {
    id: 'PlacePurchaseOrder',
    method: 'POST',
    path: '/purchase-orders',
    entry: 'functions/api/place-purchase-order.ts',
    description: 'Place a purchase order (checkout)',
    roles: ['checkout'],
    bindings: ['readTable', 'putItems', 'updateItems', 'releaseIdempotency', 'startWorkflow'],
    body: orderRequestSchema,
    responses: { 201: responses.purchaseOrder },
    headers: { 'Idempotency-Key': 'required: the same key and body return the same PO (Idempotent-Replayed: true)' },
  },
  {
    id: 'GetPurchaseOrder',
    method: 'GET',
    path: '/purchase-orders/{id}',
    entry: 'functions/api/get-purchase-order.ts',
    description: 'Read a purchase order (checkout, finance)',
    roles: ['checkout', 'finance', 'reviewer'],
    bindings: ['readTable'],
    responses: { 200: responses.purchaseOrder },
  },
  {
    id: 'GetDocument',
    method: 'GET',
    path: '/purchase-orders/{id}/documents/{docId}',
    entry: 'functions/api/get-document.ts',
    description: 'Download an issued document as PDF (checkout, finance)',
    roles: ['checkout', 'finance', 'reviewer'],
    bindings: ['readTable'],
    responses: { 200: 'pdf' },
  },
  {
    id: 'ListPurchaseOrders',
    method: 'GET',
    path: '/purchase-orders',
    entry: 'functions/api/list-purchase-orders.ts',
    description: 'List POs by status, newest first (finance)',
    roles: ['finance', 'reviewer'],
    bindings: ['readTable'],
    responses: { 200: responses.purchaseOrderPage },
    query: { status: 'the queue: a status', attention: 'true: the POs that need attention instead', limit: '1 to 100', nextToken: 'the page after the one that handed it out' },
  },
  action('FinanceReview', '/purchase-orders/{id}/review', 'review', 'Approve or reject in the back office (finance, reviewers)', ['finance', 'reviewer'], { body: bodies.review }),
  action('RecordPayment', '/purchase-orders/{id}/payments', 'recordPayment', 'Record a confirmed payment (finance)', ['finance'], { body: bodies.payment }),
  action('SubmitPayment', '/purchase-orders/{id}/payment-submissions', 'submitPayment', "Report a buyer's offline payment (checkout)", ['checkout'], { body: bodies.payment }),
  action('VerifyPayment', '/purchase-orders/{id}/payment-verification', 'verifyPayment', 'Accept or reject a reported payment (finance)', ['finance'], { body: bodies.verification }),
  action('CancelPurchaseOrder', '/purchase-orders/{id}/cancel', 'cancel', 'Cancel (checkout before release and before any money arrived; finance until completed, recording what to refund)', ['checkout', 'finance'], { optionalBody: bodies.reason }),
  action('ConvertToPurchaseOrder', '/purchase-orders/{id}/convert-to-purchase-order', 'convert', 'Turn an order awaiting offline payment into a reviewed PO (finance)', ['finance'], { optionalBody: bodies.convert }),
  action('OpenDispute', '/purchase-orders/{id}/dispute', 'dispute', 'Open a payment dispute (checkout, finance)', ['checkout', 'finance'], { optionalBody: bodies.reason }),
  action('ResolveDispute', '/purchase-orders/{id}/dispute/resolve', 'resolveDispute', 'Resolve a payment dispute (finance)', ['finance'], { body: bodies.resolve }),
  action('ResumeWorkflow', '/purchase-orders/{id}/resume', 'resume', 'Resume the workflow of a PO that needs attention, or restart one that ended badly (finance)', ['finance'], {
    bindings: ['readTable', 'updateItems', 'signalWorkflow', 'restartWorkflow'],
  }),
  action('UpdateShippingOrder', '/purchase-orders/{id}/shipping-orders/{soId}/status', 'updateShipping', 'Mark a shipping order shipped or delivered (finance)', ['finance'], { body: bodies.shipping }),
  {
    id: 'AddAttachment',
    method: 'POST',
    path: '/purchase-orders/{id}/attachments',
    entry: 'functions/api/attachments.ts',
    handler: 'addHandler',
    description: "Attach the buyer's signed PO: the file, or a presigned upload (checkout, finance)",
    roles: ['checkout', 'finance'],
    bindings: ['readTable', 'updateItems', 'signalWorkflow', 'writeAttachments'],
    responses: { 201: responses.attachment },
  },
  {
    id: 'CompleteAttachment',
    method: 'POST',
    path: '/purchase-orders/{id}/attachments/{attachmentId}/complete',
    entry: 'functions/api/attachments.ts',
    handler: 'completeHandler',
    description: 'Check a presigned upload and attach it (checkout, finance)',
    roles: ['checkout', 'finance'],
    bindings: ['readTable', 'updateItems', 'signalWorkflow', 'writeAttachments'],
    responses: { 200: responses.attachment },
  },
  {
    id: 'GetAttachment',
    method: 'GET',
    path: '/purchase-orders/{id}/attachments/{attachmentId}',
    entry: 'functions/api/attachments.ts',
    handler: 'getHandler',
    description: 'Open an attachment (redirect to a URL valid for minutes)',
    roles: ['checkout', 'finance', 'reviewer'],
    bindings: ['readTable', 'readAttachments'],
    responses: { 303: 'redirect' },
  },
  {
    id: 'ReviewPage',
    method: 'GET',
    path: '/reviews/{reviewId}',
    entry: 'functions/api/reviews.ts',
    handler: 'pageHandler',
    description: 'Show a PO to its reviewer (changes nothing)',
    roles: [],
    bindings: ['readTable', 'linkKey', 'recordLinkFailures'],
    public: true,
    responses: { 200: 'html' },
    query: { token: "the link's secret" },
  },
  {
    id: 'ReviewAttachment',
    method: 'GET',
    path: '/reviews/{reviewId}/attachments/{attachmentId}',
    entry: 'functions/api/review-attachment.ts',
    description: "Open the buyer's signed PO from a review link (changes nothing)",
    roles: [],
    bindings: ['readTable', 'linkKey', 'recordLinkFailures', 'readAttachments'],
    public: true,
    responses: { 303: 'redirect' },
  },
  {
    id: 'ReviewDecision',
    method: 'POST',
    path: '/reviews/{reviewId}',
    entry: 'functions/api/reviews.ts',
    handler: 'decisionHandler',
    description: "Record the reviewer's decision (once)",
    roles: [],
    bindings: ['readTable', 'updateItems', 'signalWorkflow', 'linkKey'],
    public: true,
    responses: { 200: [responses.purchaseOrder, 'html'] },
  },
  {
    id: 'GetCustomerAccount',
    method: 'GET',
    path: '/customers/{id}/account',
    entry: 'functions/api/customer-account.ts',
    description: "A customer's credit account: open POs, exposure and overdue per currency, limit, terms (finance)",
    roles: ['finance'],
    bindings: ['readTable'],
    responses: { 200: responses.customerAccount },
  },
  {
    id: 'ListPurchaseOrderEvents',
    method: 'GET',
    path: '/purchase-orders/{id}/events',
    entry: 'functions/api/events.ts',
    handler: 'poEventsHandler',
    description: "A PO's events in sequence (checkout, finance)",
    roles: ['checkout', 'finance'],
    bindings: ['readTable'],
    responses: { 200: responses.eventList },
  },
  {
    id: 'ListEvents',
    method: 'GET',
    path: '/events',
    entry: 'functions/api/events.ts',
    handler: 'feedHandler',
    description: 'Every event in the order published, after a cursor: what a receiver reconciles from (finance)',
    roles: ['finance'],
    bindings: ['readTable'],
    responses: { 200: responses.eventPage },
    query: { after: 'the cursor of the last page read (from the first event without one)', limit: '1 to 500 (100)' },
  },
  webhooks('CreateWebhookEndpoint', 'POST', '/webhook-endpoints', 'createHandler', 'Add a webhook endpoint; its signing secret is shown this once (finance)', ['putItems'], { 201: responses.webhookEndpointWithSecret }, bodies.webhookEndpoint),
  webhooks('ListWebhookEndpoints', 'GET', '/webhook-endpoints', 'listHandler', 'List webhook endpoints (finance)', ['readTable'], { 200: responses.webhookEndpointList }),
  webhooks('GetWebhookEndpoint', 'GET', '/webhook-endpoints/{id}', 'getHandler', 'Read a webhook endpoint (finance)', ['readTable'], { 200: responses.webhookEndpoint }),
  webhooks('UpdateWebhookEndpoint', 'PATCH', '/webhook-endpoints/{id}', 'updateHandler', 'Change its URL or event types, disable or enable it (finance)', ['readTable', 'putItems'], { 200: responses.webhookEndpoint }, bodies.webhookUpdate),
  webhooks('DeleteWebhookEndpoint', 'DELETE', '/webhook-endpoints/{id}', 'deleteHandler', 'Delete a webhook endpoint (finance)', ['deleteWebhooks'], { 204: 'empty' }),
  webhooks('RotateWebhookSecret', 'POST', '/webhook-endpoints/{id}/rotate-secret', 'rotateHandler', 'A new signing secret; the old one signs beside it for 24 hours (finance)', ['readTable', 'putItems'], { 200: responses.webhookEndpointWithSecret }),
  {
    ...webhooks('ListWebhookDeliveries', 'GET', '/webhook-endpoints/{id}/deliveries', 'deliveriesHandler', "An endpoint's delivery log, newest first (finance)", ['readTable'], { 200: responses.deliveryPage }),
    query: { limit: '1 to 100 (50)', cursor: 'the page after the one that handed it out' },
  },
  webhooks('RedeliverWebhook', 'POST', '/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver', 'redeliverHandler', "Send one delivery's event again (finance)", ['readTable', 'startDeliveries'], { 202: responses.redelivery }),
  webhooks('ReplayWebhooks', 'POST', '/webhook-endpoints/{id}/replay', 'replayHandler', 'Send again every event published since a time that the endpoint hears (finance)', ['readTable', 'startDeliveries'], { 202: responses.replayResult }, bodies.replay),
  {
    id: 'GetPolicy',
    method: 'GET',
    path: '/policy',
    entry: 'functions/api/policy.ts',
    handler: 'getHandler',
    description: 'Read the PO policy (finance)',
    roles: ['finance'],
    bindings: ['readTable'],
    responses: { 200: policySchema },
  },
  {
    id: 'PutPolicy',
    method: 'PUT',
    path: '/policy',
    entry: 'functions/api/policy.ts',
    handler: 'putHandler',
    description: 'Replace the PO policy (finance)',
    roles: ['finance'],
    bindings: ['putItems'],
    body: policySchema,
    responses: { 200: policySchema },
  },
  {
    id: 'GetOpenApi',
    method: 'GET',
    path: '/openapi.json',
    entry: 'functions/api/openapi.ts',
    description: 'The OpenAPI 3.1 document of every route and webhook (no key)',
    roles: [],
    bindings: [],
    public: true,
    responses: { 200: 'json-document' },
  },
  {
    id: 'Console',
    method: 'ANY',
    path: '/console/{proxy+}',
    alsoAt: ['/console'],
    entry: 'functions/api/console.ts',
    description: 'The back office for staff: sign in, queues, search, a PO with its actions and timeline',
    roles: [],
    bindings: ['readTable', 'updateItems', 'putItems', 'searchTable', 'signalWorkflow', 'restartWorkflow', 'staffTokens', 'manageStaff', 'readAttachments', 'deleteWebhooks', 'startDeliveries'],
    public: true,
    responses: { 200: 'html', 303: 'redirect' },
    query: { next: 'where to go after signing in', q: 'search text' },
  },
];
