/**
 * The contract's routes and the function behind each. The stack builds API Gateway from this table;
 * the local stack reads the routes back from the synthesized template, not from here.
 */
import type { z } from 'zod';
import { orderRequestSchema } from '../functions/domain/order-request.js';
import { policySchema } from '../functions/domain/policy.js';
import { bodies } from '../functions/http/bodies.js';

import type { Binding } from './constructs/bindings.js';

export interface RouteSpec {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'ANY';
  path: string;
  entry: string;
  handler?: string;
  description: string;
  /** What the function may use (see constructs/bindings.ts). Callers' roles come from the authorizer. */
  bindings: Binding[];
  /** The JSON body API Gateway validates before the function runs (routes whose body is required). */
  body?: z.ZodType;
  /** Who may call it: the roles whose key (or staff ID token) the handler accepts. Reviewers are people only. */
  roles: ('checkout' | 'finance' | 'reviewer')[];
  /** Reviewer links carry their own credential, and the console its session; every other route needs a key. */
  public?: boolean;
  /** More paths served by the same function and method. */
  alsoAt?: string[];
}

export const routes: RouteSpec[] = [
  {
    id: 'PlacePurchaseOrder',
    method: 'POST',
    path: '/purchase-orders',
    entry: 'functions/api/place-purchase-order.ts',
    description: 'Place a purchase order (checkout)',
    roles: ['checkout'],
    bindings: ['writeTable', 'startWorkflow'],
    body: orderRequestSchema,
  },
  {
    id: 'GetPurchaseOrder',
    method: 'GET',
    path: '/purchase-orders/{id}',
    entry: 'functions/api/get-purchase-order.ts',
    description: 'Read a purchase order (checkout, finance)',
    roles: ['checkout', 'finance', 'reviewer'],
    bindings: ['readTable'],
  },
  {
    id: 'GetDocument',
    method: 'GET',
    path: '/purchase-orders/{id}/documents/{docId}',
    entry: 'functions/api/get-document.ts',
    description: 'Download an issued document as PDF (checkout, finance)',
    roles: ['checkout', 'finance', 'reviewer'],
    bindings: ['readTable'],
  },
  {
    id: 'ListPurchaseOrders',
    method: 'GET',
    path: '/purchase-orders',
    entry: 'functions/api/list-purchase-orders.ts',
    description: 'List POs by status, newest first (finance)',
    roles: ['finance', 'reviewer'],
    bindings: ['readTable'],
  },
  {
    id: 'FinanceReview',
    method: 'POST',
    path: '/purchase-orders/{id}/review',
    entry: 'functions/api/actions.ts',
    handler: 'review',
    description: 'Approve or reject in the back office (finance, reviewers)',
    roles: ['finance', 'reviewer'],
    bindings: ['writeTable', 'signalWorkflow'],
    body: bodies.review,
  },
  {
    id: 'RecordPayment',
    method: 'POST',
    path: '/purchase-orders/{id}/payments',
    entry: 'functions/api/actions.ts',
    handler: 'recordPayment',
    description: 'Record a confirmed payment (finance)',
    roles: ['finance'],
    bindings: ['writeTable', 'signalWorkflow'],
    body: bodies.payment,
  },
  {
    id: 'SubmitPayment',
    method: 'POST',
    path: '/purchase-orders/{id}/payment-submissions',
    entry: 'functions/api/actions.ts',
    handler: 'submitPayment',
    description: "Report a buyer's offline payment (checkout)",
    roles: ['checkout'],
    bindings: ['writeTable', 'signalWorkflow'],
    body: bodies.payment,
  },
  {
    id: 'VerifyPayment',
    method: 'POST',
    path: '/purchase-orders/{id}/payment-verification',
    entry: 'functions/api/actions.ts',
    handler: 'verifyPayment',
    description: 'Accept or reject a reported payment (finance)',
    roles: ['finance'],
    bindings: ['writeTable', 'signalWorkflow'],
    body: bodies.verification,
  },
  {
    id: 'CancelPurchaseOrder',
    method: 'POST',
    path: '/purchase-orders/{id}/cancel',
    entry: 'functions/api/actions.ts',
    handler: 'cancel',
    description: 'Cancel (checkout before release or payment; finance until completed)',
    roles: ['checkout', 'finance'],
    bindings: ['writeTable', 'signalWorkflow'],
  },
  {
    id: 'ConvertToPurchaseOrder',
    method: 'POST',
    path: '/purchase-orders/{id}/convert-to-purchase-order',
    entry: 'functions/api/actions.ts',
    handler: 'convert',
    description: 'Turn an order awaiting offline payment into a reviewed PO (finance)',
    roles: ['finance'],
    bindings: ['writeTable', 'signalWorkflow'],
  },
  {
    id: 'OpenDispute',
    method: 'POST',
    path: '/purchase-orders/{id}/dispute',
    entry: 'functions/api/actions.ts',
    handler: 'dispute',
    description: 'Open a payment dispute (checkout, finance)',
    roles: ['checkout', 'finance'],
    bindings: ['writeTable', 'signalWorkflow'],
  },
  {
    id: 'ResolveDispute',
    method: 'POST',
    path: '/purchase-orders/{id}/dispute/resolve',
    entry: 'functions/api/actions.ts',
    handler: 'resolveDispute',
    description: 'Resolve a payment dispute (finance)',
    roles: ['finance'],
    bindings: ['writeTable', 'signalWorkflow'],
    body: bodies.resolve,
  },
  {
    id: 'UpdateShippingOrder',
    method: 'POST',
    path: '/purchase-orders/{id}/shipping-orders/{soId}/status',
    entry: 'functions/api/actions.ts',
    handler: 'updateShipping',
    description: 'Mark a shipping order shipped or delivered (finance)',
    roles: ['finance'],
    bindings: ['writeTable', 'signalWorkflow'],
    body: bodies.shipping,
  },
  {
    id: 'ReviewPage',
    method: 'GET',
    path: '/reviews/{reviewId}',
    entry: 'functions/api/reviews.ts',
    handler: 'pageHandler',
    description: 'Show a PO to its reviewer (changes nothing)',
    roles: [],
    bindings: ['readTable', 'linkKey'],
    public: true,
  },
  {
    id: 'ReviewDecision',
    method: 'POST',
    path: '/reviews/{reviewId}',
    entry: 'functions/api/reviews.ts',
    handler: 'decisionHandler',
    description: "Record the reviewer's decision (once)",
    roles: [],
    bindings: ['writeTable', 'signalWorkflow', 'linkKey'],
    public: true,
  },
  {
    id: 'GetPolicy',
    method: 'GET',
    path: '/policy',
    entry: 'functions/api/policy.ts',
    handler: 'getHandler',
    description: 'Read the PO policy (finance)',
    roles: ['finance'],
    bindings: ['readTable'],
  },
  {
    id: 'PutPolicy',
    method: 'PUT',
    path: '/policy',
    entry: 'functions/api/policy.ts',
    handler: 'putHandler',
    description: 'Replace the PO policy (finance)',
    roles: ['finance'],
    bindings: ['writeTable'],
    body: policySchema,
  },
  {
    id: 'Console',
    method: 'ANY',
    path: '/console/{proxy+}',
    alsoAt: ['/console'],
    entry: 'functions/api/console.ts',
    description: 'The back office for staff: sign in, queues, search, a PO with its actions and timeline',
    roles: [],
    bindings: ['writeTable', 'signalWorkflow', 'staffTokens'],
    public: true,
  },
];
