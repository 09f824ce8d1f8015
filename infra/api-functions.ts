import type { ApiGroup } from '../contract/routes.js';
import type { Binding } from './constructs/bindings.js';

/**
 * The functions behind the API, one per group of routes (contract/routes.ts names each route's
 * group): the file whose `handler` serves the group, and what the function may use. Routes share a
 * function only where they need the same access, so least privilege holds per function.
 */
export const apiFunctions: Record<ApiGroup, { entry: string; description: string; bindings: Binding[] }> = {
  PlacePurchaseOrder: { entry: 'functions/api/place-purchase-order.ts', description: 'Place a purchase order (checkout), or enter one received by letter (staff)', bindings: ['readTable', 'putItems', 'updateItems', 'writePurchaseOrders', 'releaseIdempotency', 'startWorkflow', 'sellerProfile'] },
  Reads: { entry: 'functions/api/reads.ts', description: 'The reads of the API: purchase orders, their documents and events, queues, customer accounts, the policy', bindings: ['readTable', 'offerDocuments'] },
  PurchaseOrderActions: { entry: 'functions/api/actions.ts', description: 'The lifecycle actions on a PO: review, payments, cancellation, conversion, disputes, shipping', bindings: ['readTable', 'updateItems', 'writePurchaseOrders', 'signalWorkflow'] },
  ResumeWorkflow: { entry: 'functions/api/resume.ts', description: 'Resume the workflow of a PO that needs attention, or restart one that ended badly (finance)', bindings: ['readTable', 'updateItems', 'writePurchaseOrders', 'signalWorkflow', 'restartWorkflow'] },
  AttachmentFiles: { entry: 'functions/api/attachments.ts', description: "Receive, check and offer the buyer's signed PO", bindings: ['readTable', 'updateItems', 'writePurchaseOrders', 'signalWorkflow', 'writeAttachments'] },
  ReviewPage: { entry: 'functions/api/review-page.ts', description: "Show a PO and its signed PO to the reviewer of a link (changes nothing but the link's failure count)", bindings: ['readTable', 'linkKey', 'recordLinkFailures', 'readAttachments'] },
  ReviewDecision: { entry: 'functions/api/reviews.ts', description: "Record the reviewer's decision from a link (once)", bindings: ['readTable', 'updateItems', 'writePurchaseOrders', 'signalWorkflow', 'linkKey'] },
  WebhookEndpoints: { entry: 'functions/api/webhooks.ts', description: 'Webhook endpoints: add, change, rotate, delete, the delivery log, redelivery and replay (finance)', bindings: ['readTable', 'putItems', 'deleteWebhooks', 'startDeliveries', 'startReplays', 'sealWebhookSecrets'] },
  PutPolicy: { entry: 'functions/api/policy.ts', description: 'Replace the PO policy (finance)', bindings: ['putItems'] },
  OpenApi: { entry: 'functions/api/openapi.ts', description: 'The OpenAPI 3.1 document of every route and webhook (no key)', bindings: [] },
  Console: { entry: 'functions/api/console.ts', description: 'The back office for staff: sign in, queues, search, a PO with its actions and timeline', bindings: ['readTable', 'updateItems', 'writePurchaseOrders', 'putItems', 'releaseIdempotency', 'searchTable', 'signalWorkflow', 'restartWorkflow', 'staffTokens', 'manageStaff', 'readAttachments', 'attachLetters', 'offerDocuments', 'offerExports', 'deleteWebhooks', 'startDeliveries', 'startReplays', 'sealWebhookSecrets'] },
  PoInstructions: { entry: 'functions/api/po-instructions.ts', description: "The seller's public page of PO instructions, from the seller profile and the policy", bindings: ['readTable', 'sellerProfile'] },
};
