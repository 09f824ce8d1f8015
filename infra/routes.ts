/**
 * The contract's routes and the function behind each. The stack builds API Gateway from this table;
 * the local stack reads the routes back from the synthesized template, not from here.
 */
export type Grant = 'readTable' | 'writeTable' | 'startExecution' | 'signalWorkflow' | 'apiKeys' | 'linkKey';

export interface RouteSpec {
  id: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  entry: string;
  handler?: string;
  description: string;
  grants: Grant[];
}

export const routes: RouteSpec[] = [
  {
    id: 'PlacePurchaseOrder',
    method: 'POST',
    path: '/purchase-orders',
    entry: 'functions/api/place-purchase-order.ts',
    description: 'Place a purchase order (checkout)',
    grants: ['writeTable', 'startExecution', 'apiKeys'],
  },
  {
    id: 'GetPurchaseOrder',
    method: 'GET',
    path: '/purchase-orders/{id}',
    entry: 'functions/api/get-purchase-order.ts',
    description: 'Read a purchase order (checkout, finance)',
    grants: ['readTable', 'apiKeys'],
  },
  {
    id: 'GetDocument',
    method: 'GET',
    path: '/purchase-orders/{id}/documents/{docId}',
    entry: 'functions/api/get-document.ts',
    description: 'Download an issued document as PDF (checkout, finance)',
    grants: ['readTable', 'apiKeys'],
  },
  {
    id: 'FinanceReview',
    method: 'POST',
    path: '/purchase-orders/{id}/review',
    entry: 'functions/api/finance-review.ts',
    description: 'Approve or reject in the back office (finance)',
    grants: ['writeTable', 'signalWorkflow', 'apiKeys'],
  },
  {
    id: 'RecordPayment',
    method: 'POST',
    path: '/purchase-orders/{id}/payments',
    entry: 'functions/api/record-payment.ts',
    description: 'Record a confirmed payment (finance)',
    grants: ['writeTable', 'signalWorkflow', 'apiKeys'],
  },
  {
    id: 'ReviewPage',
    method: 'GET',
    path: '/reviews/{reviewId}',
    entry: 'functions/api/reviews.ts',
    handler: 'pageHandler',
    description: 'Show a PO to its reviewer (changes nothing)',
    grants: ['readTable', 'linkKey'],
  },
  {
    id: 'ReviewDecision',
    method: 'POST',
    path: '/reviews/{reviewId}',
    entry: 'functions/api/reviews.ts',
    handler: 'decisionHandler',
    description: "Record the reviewer's decision (once)",
    grants: ['writeTable', 'signalWorkflow', 'linkKey'],
  },
  {
    id: 'GetPolicy',
    method: 'GET',
    path: '/policy',
    entry: 'functions/api/policy.ts',
    handler: 'getHandler',
    description: 'Read the PO policy (finance)',
    grants: ['readTable', 'apiKeys'],
  },
  {
    id: 'PutPolicy',
    method: 'PUT',
    path: '/policy',
    entry: 'functions/api/policy.ts',
    handler: 'putHandler',
    description: 'Replace the PO policy (finance)',
    grants: ['writeTable', 'apiKeys'],
  },
];
