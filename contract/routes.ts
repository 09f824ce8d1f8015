/**
 * Every route of the API, once: its id, method and path, who may call it, the function that serves
 * it, the body it takes and what it answers. The stack builds API Gateway from this table, the
 * functions find their handlers by its ids and check callers against its roles, the OpenAPI document
 * and the docs are printed from it, and the tests loop over it. The local stack reads the routes back
 * from the synthesized template, not from here.
 */
import type { z } from 'zod';
import { bodies } from './bodies.js';
import { orderRequestSchema } from './order-request.js';
import { policySchema } from './policy.js';
import * as responses from './responses.js';

export type CallerRole = 'checkout' | 'finance' | 'reviewer';

/**
 * The functions that serve the API, each a group of routes that need the same access (one function
 * per group, so the stack stays far below CloudFormation's 500 resources as routes are added).
 */
export const apiGroups = [
  'PlacePurchaseOrder',
  'Reads',
  'PurchaseOrderActions',
  'ResumeWorkflow',
  'AttachmentFiles',
  'ReviewPage',
  'ReviewDecision',
  'WebhookEndpoints',
  'PutPolicy',
  'OpenApi',
  'Console',
  'PoInstructions',
] as const;
export type ApiGroup = (typeof apiGroups)[number];

export interface RouteSpec {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  path: string;
  /** The function that serves it (infra/api-functions.ts says what that function may use). */
  group: ApiGroup;
  description: string;
  /** The JSON body API Gateway validates before the function runs (routes whose body is required). */
  body?: z.ZodType;
  /** A JSON body the route takes but does not require (checked by the handler; described in the OpenAPI document). */
  optionalBody?: z.ZodType;
  /** Who may call it: the roles whose key (or staff ID token) the handler accepts. Reviewers are people only. */
  roles: readonly CallerRole[];
  /** Reviewer links carry their own credential, and the console its session; every other route needs a key. */
  public?: boolean;
  /** More paths served by the same function and method. */
  alsoAt?: readonly string[];
  /** What it answers when it succeeds, by status: a JSON schema, or another kind of body. */
  responses: Record<number, ResponseKind | ResponseKind[]>;
  /** Every problem it may answer (application/problem+json), by status, with what it means. */
  problems: Problems;
  /** Query parameters it reads, each with what it means. */
  query?: Record<string, string>;
  /** Request headers it requires, each with what it means. */
  headers?: Record<string, string>;
}

/** Problems by status, with what each means for this route. */
export type Problems = Readonly<Record<number, string>>;

/** API Gateway throttles every route of the stage. */
const throttled = { 429: 'too many requests: slow down and retry (Retry-After)' } as const;
/** A route behind the authorizer. */
const keyed = { 401: 'no valid key or staff ID token (Authorization: Bearer ...)', 403: "the caller's role may not call this route", ...throttled } as const;
/** A route that takes a JSON body. */
const json = { 400: 'the body is not valid: errors[] names each field', 413: 'the body is too large', 415: 'send the body as application/json' } as const;
const onPo = { 404: 'there is no purchase order with this id' } as const;
/** A change of a PO. */
const change = {
  409: "the PO's status does not allow it for this role (currentStatus), or it changed meanwhile: read it and try again",
  422: 'allowed, but it breaks a rule (rule names it)',
} as const;
const reviewLink = {
  403: "the link's secret is not right",
  404: 'there is no such review link',
  409: 'the review is decided already',
  410: 'the review expired and the PO was cancelled',
  429: 'the link is locked for a while after repeated wrong secrets (Retry-After)',
} as const;

/** A JSON body of this schema, a PDF, an HTML page, a redirect to a URL valid for minutes, nothing, or a JSON document of its own standard (OpenAPI). */
export type ResponseKind = z.ZodType | 'pdf' | 'xml' | 'html' | 'redirect' | 'empty' | 'json-document';

/** A lifecycle action: a POST on a PO that writes the PO and wakes its workflow. */
function action<const Id extends string>(id: Id, path: string, description: string, roles: RouteSpec['roles'], extra: Pick<RouteSpec, 'body' | 'optionalBody'> = {}) {
  return { id, method: 'POST', path, group: 'PurchaseOrderActions', description, roles, responses: { 200: responses.purchaseOrder }, problems: { ...keyed, ...json, ...onPo, ...change }, ...extra } as const satisfies RouteSpec;
}

/** A route of webhook endpoints, finance's. */
function webhooks<const Id extends string>(id: Id, method: RouteSpec['method'], path: string, description: string, answers: RouteSpec['responses'], problems: Problems, extra: Pick<RouteSpec, 'body' | 'query'> = {}) {
  return { id, method, path, group: 'WebhookEndpoints', description, roles: ['finance'], responses: answers, problems: { ...keyed, ...problems }, ...extra } as const satisfies RouteSpec;
}

const table = [
  {
    id: 'PlacePurchaseOrder',
    group: 'PlacePurchaseOrder',
    method: 'POST',
    path: '/purchase-orders',
    description: 'Place a purchase order (checkout); enter an order received by letter, email or fax (finance, signed-in staff: channel offline)',
    roles: ['checkout', 'finance', 'reviewer'],
    body: orderRequestSchema,
    responses: { 201: responses.placedPurchaseOrder },
    problems: { ...keyed, ...json, 400: 'the body is not valid (errors[] names each field), or Idempotency-Key is missing', 409: 'a request with this Idempotency-Key is still being processed: retry after a moment', 422: 'the order breaks a rule of the policy (rule names it), staff entered other than an offline PO (staff_entry_offline_only), or this Idempotency-Key was used with another body' },
    headers: { 'Idempotency-Key': 'required: the same key and body return the same PO (Idempotent-Replayed: true)' },
  },
  {
    id: 'GetPurchaseOrder',
    group: 'Reads',
    method: 'GET',
    path: '/purchase-orders/{id}',
    description: 'Read a purchase order (checkout, finance)',
    roles: ['checkout', 'finance', 'reviewer'],
    responses: { 200: responses.purchaseOrder },
    problems: { ...keyed, ...onPo },
  },
  {
    id: 'GetDocument',
    group: 'Reads',
    method: 'GET',
    path: '/purchase-orders/{id}/documents/{docId}',
    description:
      'Download an issued document as PDF (checkout, finance): its bytes to `Accept: application/pdf`, to any other Accept a redirect to them (a URL valid for minutes); an invoice or credit note as EN 16931 XML with `?format=`: `ubl`, `xrechnung` or `cii`',
    roles: ['checkout', 'finance', 'reviewer'],
    responses: { 200: ['pdf', 'xml'], 303: 'redirect' },
    problems: {
      ...keyed,
      400: 'format is not one this API writes',
      404: 'there is no such purchase order, or no such document of it, or it has no e-invoice (a proforma is no tax invoice)',
      422: 'the document cannot be written in that format: `xrechnung` without the customer\'s buyerReference and endpointId (the detail says what is missing)',
    },
    query: { format: '`ubl`: UBL 2.1, as Peppol BIS Billing 3.0 where both parties have a Peppol address (endpointId), else EN 16931; `xrechnung`: UBL 2.1 as XRechnung 3.0, for a buyer with a buyerReference (Leitweg-ID); `cii`: UN/CEFACT CII (EN 16931), as Factur-X carries it. All application/xml. Absent: the PDF' },
  },
  {
    id: 'ListPurchaseOrders',
    group: 'Reads',
    method: 'GET',
    path: '/purchase-orders',
    description: 'List POs by status, newest first (finance)',
    roles: ['finance', 'reviewer'],
    responses: { 200: responses.purchaseOrderPage },
    problems: { ...keyed, 400: 'status, limit or nextToken is not valid' },
    query: { status: 'the queue: a status', attention: 'true: the POs that need attention instead', limit: '1 to 100', nextToken: 'the page after the one that handed it out' },
  },
  action('FinanceReview', '/purchase-orders/{id}/review', 'Approve or reject in the back office (finance, reviewers)', ['finance', 'reviewer'], { body: bodies.review }),
  action('RecordPayment', '/purchase-orders/{id}/payments', 'Record a confirmed payment (finance)', ['finance'], { body: bodies.payment }),
  action('SubmitPayment', '/purchase-orders/{id}/payment-submissions', "Report a buyer's offline payment (checkout)", ['checkout'], { body: bodies.payment }),
  action('VerifyPayment', '/purchase-orders/{id}/payment-verification', 'Accept or reject a reported payment (finance)', ['finance'], { body: bodies.verification }),
  action('CancelPurchaseOrder', '/purchase-orders/{id}/cancel', 'Cancel (checkout while nothing is paid or delivered: awaiting review, awaiting payment, payment rejected; finance until completed, recording what to refund). The moves table in docs/api.md lists every status', ['checkout', 'finance'], { optionalBody: bodies.reason }),
  action('ConvertToPurchaseOrder', '/purchase-orders/{id}/convert-to-purchase-order', 'Turn an order awaiting offline payment into a reviewed PO (finance)', ['finance'], { optionalBody: bodies.convert }),
  action('OpenDispute', '/purchase-orders/{id}/dispute', 'Open a payment dispute (checkout, finance)', ['checkout', 'finance'], { optionalBody: bodies.reason }),
  action('ResolveDispute', '/purchase-orders/{id}/dispute/resolve', 'Resolve a payment dispute (finance)', ['finance'], { body: bodies.resolve }),
  {
    id: 'ResumeWorkflow',
    method: 'POST',
    path: '/purchase-orders/{id}/resume',
    group: 'ResumeWorkflow',
    description: 'Resume the workflow of a PO that needs attention, or restart one that ended badly (finance)',
    roles: ['finance'],
    responses: { 200: responses.purchaseOrder },
    problems: { ...keyed, ...onPo, 409: 'the PO does not need attention: its workflow is running' },
  },
  action('UpdateShippingOrder', '/purchase-orders/{id}/shipping-orders/{soId}/status', 'Mark a shipping order shipped or delivered (finance)', ['finance'], { body: bodies.shipping }),
  {
    id: 'AddAttachment',
    group: 'AttachmentFiles',
    method: 'POST',
    path: '/purchase-orders/{id}/attachments',
    description: "Attach the buyer's signed PO: the file, or a presigned upload (checkout, finance)",
    roles: ['checkout', 'finance'],
    responses: { 201: responses.attachment },
    problems: { ...keyed, ...onPo, ...change, 400: 'the file name or the body is not valid', 413: 'the file is larger than a direct upload takes: ask for a presigned upload', 415: 'the file is not a PDF, PNG or JPEG' },
  },
  {
    id: 'CompleteAttachment',
    group: 'AttachmentFiles',
    method: 'POST',
    path: '/purchase-orders/{id}/attachments/{attachmentId}/complete',
    description: 'Check a presigned upload and attach it (checkout, finance)',
    roles: ['checkout', 'finance'],
    responses: { 200: responses.attachment },
    problems: { ...keyed, 404: 'there is no such purchase order, or no such upload of it', ...change, 413: 'the uploaded file is too large', 415: 'the uploaded file is not a PDF, PNG or JPEG' },
  },
  {
    id: 'GetAttachment',
    group: 'AttachmentFiles',
    method: 'GET',
    path: '/purchase-orders/{id}/attachments/{attachmentId}',
    description: 'Open an attachment (redirect to a URL valid for minutes)',
    roles: ['checkout', 'finance', 'reviewer'],
    responses: { 303: 'redirect' },
    problems: { ...keyed, 404: 'there is no such purchase order, or no such file of it' },
  },
  {
    id: 'ReviewPage',
    group: 'ReviewPage',
    method: 'GET',
    path: '/reviews/{reviewId}',
    description: 'Show a PO to its reviewer (changes nothing)',
    roles: [],
    public: true,
    responses: { 200: 'html' },
    problems: reviewLink,
    query: { token: "the link's secret" },
  },
  {
    id: 'ReviewAttachment',
    group: 'ReviewPage',
    method: 'GET',
    path: '/reviews/{reviewId}/attachments/{attachmentId}',
    description: "Open the buyer's signed PO from a review link (changes nothing)",
    roles: [],
    public: true,
    responses: { 303: 'redirect' },
    problems: { ...reviewLink, 404: 'there is no such review link, or no such file' },
  },
  {
    id: 'ReviewDecision',
    group: 'ReviewDecision',
    method: 'POST',
    path: '/reviews/{reviewId}',
    description: "Record the reviewer's decision (once)",
    roles: [],
    public: true,
    responses: { 200: [responses.purchaseOrder, 'html'] },
    problems: { ...reviewLink, 400: 'the decision or the comment is not valid', 413: 'the body is too large', 415: 'send the form as application/x-www-form-urlencoded or application/json' },
  },
  {
    id: 'GetCustomerAccount',
    group: 'Reads',
    method: 'GET',
    path: '/customers/{id}/account',
    description: "A customer's credit account: open POs, exposure and overdue per currency, limit, terms (finance)",
    roles: ['finance'],
    responses: { 200: responses.customerAccount },
    problems: keyed,
  },
  {
    id: 'ListPurchaseOrderEvents',
    group: 'Reads',
    method: 'GET',
    path: '/purchase-orders/{id}/events',
    description: "A PO's events in sequence (checkout, finance)",
    roles: ['checkout', 'finance'],
    responses: { 200: responses.eventList },
    problems: { ...keyed, ...onPo },
  },
  {
    id: 'ListEvents',
    group: 'Reads',
    method: 'GET',
    path: '/events',
    description: 'Every event in the order published, after a cursor: what a receiver reconciles from (finance)',
    roles: ['finance'],
    responses: { 200: responses.eventPage },
    problems: { ...keyed, 400: 'after or limit is not valid' },
    query: { after: 'the cursor of the last page read (from the first event without one)', limit: '1 to 500 (100)' },
  },
  webhooks('CreateWebhookEndpoint', 'POST', '/webhook-endpoints', 'Add a webhook endpoint; its signing secret is shown this once (finance)', { 201: responses.webhookEndpointWithSecret }, json, { body: bodies.webhookEndpoint }),
  webhooks('ListWebhookEndpoints', 'GET', '/webhook-endpoints', 'List webhook endpoints (finance)', { 200: responses.webhookEndpointList }, {}),
  webhooks('GetWebhookEndpoint', 'GET', '/webhook-endpoints/{id}', 'Read a webhook endpoint (finance)', { 200: responses.webhookEndpoint }, { 404: 'there is no webhook endpoint with this id' }),
  webhooks('UpdateWebhookEndpoint', 'PATCH', '/webhook-endpoints/{id}', 'Change its URL or event types, disable or enable it (finance)', { 200: responses.webhookEndpoint }, { ...json, 404: 'there is no webhook endpoint with this id', 409: 'it changed meanwhile: read it and try again' }, { body: bodies.webhookUpdate }),
  webhooks('DeleteWebhookEndpoint', 'DELETE', '/webhook-endpoints/{id}', 'Delete a webhook endpoint (finance)', { 204: 'empty' }, { 404: 'there is no webhook endpoint with this id' }),
  webhooks('RotateWebhookSecret', 'POST', '/webhook-endpoints/{id}/rotate-secret', 'A new signing secret; the old one signs beside it for 24 hours (finance)', { 200: responses.webhookEndpointWithSecret }, { 404: 'there is no webhook endpoint with this id' }),
  webhooks('ListWebhookDeliveries', 'GET', '/webhook-endpoints/{id}/deliveries', "An endpoint's delivery log, newest first (finance)", { 200: responses.deliveryPage }, { 400: 'limit or cursor is not valid', 404: 'there is no webhook endpoint with this id' }, {
    query: { limit: '1 to 100 (50)', cursor: 'the page after the one that handed it out' },
  }),
  webhooks('RedeliverWebhook', 'POST', '/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver', "Send one delivery's event again (finance)", { 202: responses.redelivery }, { 404: 'there is no such endpoint, or no such delivery of it' }),
  webhooks('ReplayWebhooks', 'POST', '/webhook-endpoints/{id}/replay', 'Send again every event published since a time that the endpoint hears (finance)', { 202: responses.replayResult }, { ...json, 404: 'there is no webhook endpoint with this id' }, { body: bodies.replay }),
  {
    id: 'GetPolicy',
    group: 'Reads',
    method: 'GET',
    path: '/policy',
    description: 'Read the PO policy (finance)',
    roles: ['finance'],
    responses: { 200: policySchema },
    problems: keyed,
  },
  {
    id: 'PutPolicy',
    group: 'PutPolicy',
    method: 'PUT',
    path: '/policy',
    description: 'Replace the PO policy (finance)',
    roles: ['finance'],
    body: policySchema,
    responses: { 200: policySchema },
    problems: { ...keyed, ...json },
  },
  {
    id: 'GetOpenApi',
    group: 'OpenApi',
    method: 'GET',
    path: '/openapi.json',
    description: 'The OpenAPI 3.1 document of every route and webhook (no key)',
    roles: [],
    public: true,
    responses: { 200: 'json-document' },
    problems: throttled,
  },
  {
    id: 'PoInstructions',
    group: 'PoInstructions',
    method: 'GET',
    path: '/po-instructions',
    description: "The seller's PO instructions for their website: who may order by PO, limits, what a letter must contain, where to send it, terms (no key)",
    roles: [],
    public: true,
    responses: { 200: 'html' },
    problems: throttled,
  },
  {
    id: 'Console',
    group: 'Console',
    method: 'ANY',
    path: '/console/{proxy+}',
    alsoAt: ['/console'],
    description: 'The back office for staff: sign in, queues, search, a PO with its actions and timeline',
    roles: [],
    public: true,
    responses: { 200: 'html', 303: 'redirect' },
    problems: { 401: 'sign in first', 403: 'the form was not sent from this session (CSRF)', 404: 'there is nothing at this address for this person', 415: 'send the form as application/x-www-form-urlencoded', ...throttled },
    query: { next: 'where to go after signing in', q: 'search text' },
  },
] as const satisfies readonly RouteSpec[];

export type RouteId = (typeof table)[number]['id'];
/** The ids of the routes one function serves. */
export type RouteIdOf<G extends ApiGroup> = Extract<(typeof table)[number], { group: G }>['id'];
export type Route = RouteSpec & { id: RouteId };

export const routes: readonly Route[] = table;
export const routeById = Object.fromEntries(routes.map((route) => [route.id, route])) as Record<RouteId, Route>;
