import * as z from 'zod';
import { eventTypes } from './events.js';
import { statuses } from './purchase-order.js';

/**
 * What the API answers, as zod schemas: the OpenAPI document describes every response with them
 * (functions/http/openapi.ts), and the end-to-end tests check each answer they get against that
 * document. The fields listed are the contract; objects may carry more (a later version adds
 * fields, never takes them away), so they are open.
 */

const time = z.string().describe('ISO 8601, UTC');
const money = z.number().int().describe("an amount in the currency's minor unit");
const status = z.enum(statuses);

export const problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details (application/problem+json)');

export const who = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('person'), id: z.string(), email: z.string() }),
    z.object({ type: z.literal('link'), email: z.string().nullable() }),
    z.object({ type: z.literal('key'), name: z.string() }),
    z.object({ type: z.literal('system') }),
  ])
  .describe('Who acted: a signed-in person, a reviewer through their link, a system by its key, or the workflow');

const historyEntry = z.looseObject({
  at: time,
  type: z.string(),
  from: status.nullable(),
  to: status,
  actor: z.enum(['checkout', 'finance', 'reviewer', 'system']),
  by: who,
  data: z.record(z.string(), z.unknown()),
  detail: z.string().optional(),
});

export const purchaseOrder = z
  .looseObject({
    id: z.string(),
    reference: z.string(),
    status,
    channel: z.enum(['cart', 'offline', 'partner_portal']),
    paymentMethod: z.enum(['purchase_order', 'online', 'offline', 'deferred']),
    delivery: z.enum(['instant', 'prepayment']).nullable(),
    poNumber: z.string().nullable(),
    customer: z.looseObject({ id: z.string(), type: z.string(), company: z.string(), email: z.string() }),
    currency: z.string().length(3),
    lines: z.array(z.looseObject({ sku: z.string(), description: z.string(), quantity: z.number().int(), unitAmount: money, amount: money, fulfilment: z.enum(['digital', 'physical']) })),
    subtotal: money,
    tax: z.array(z.looseObject({ name: z.string(), rate: z.number().int(), base: money, amount: money, note: z.string().optional() })),
    total: money,
    review: z.looseObject({ required: z.boolean(), decision: z.enum(['approved', 'rejected', 'expired']).nullable(), approvalsRequired: z.number().int(), approvals: z.array(z.unknown()) }),
    payment: z.looseObject({
      status: z.enum(['not_due', 'unpaid', 'partially_paid', 'submitted', 'rejected', 'paid', 'overdue']),
      amountDue: money,
      amountPaid: money,
      dueDate: z.string().nullable(),
      refundDue: money.optional().describe('cancelled after money arrived: what was paid and is owed back'),
      shortfall: money.optional().describe('a dispute settled for less: what was written off (credited by a credit note)'),
      payments: z.array(z.unknown()),
    }),
    documents: z.array(
      z.looseObject({
        id: z.string(),
        type: z.enum(['invoice', 'proforma', 'credit_note']),
        number: z.string(),
        issuedAt: time,
        total: money,
        href: z.string(),
        /** Where to fetch it: `pdf`, and for an invoice or credit note each e-invoice format it has (`ubl`, `xrechnung`, `cii`). */
        links: z.looseObject({ pdf: z.string(), ubl: z.string().optional(), xrechnung: z.string().optional(), cii: z.string().optional() }),
      }),
    ),
    shippingOrders: z.array(z.looseObject({ id: z.string(), seller: z.string(), status: z.enum(['pending', 'shipped', 'delivered']) })),
    licences: z.array(z.looseObject({ sku: z.string(), keys: z.array(z.string()) })).nullable(),
    attachments: z.array(z.looseObject({ id: z.string(), contentType: z.string(), size: z.number().int(), href: z.string() })),
    attention: z.looseObject({ step: z.string(), reason: z.string(), since: time }).nullable(),
    history: z.array(historyEntry),
    version: z.number().int(),
    createdAt: time,
    updatedAt: time,
  });

/** What a confirmation page shows the buyer after placing: where the order stands and what to do next. */
export const placedPurchaseOrder = purchaseOrder.extend({
  instructions: z.object({
    summary: z.string(),
    steps: z.array(z.string()).describe('what the buyer does next, in order; empty when nothing is asked of them'),
    quote: z.string().describe('the reference to quote in every letter and payment'),
    sendTo: z.object({ email: z.string(), fax: z.string().nullable(), postalAddress: z.array(z.string()) }),
  }),
});

export const purchaseOrderPage = z.object({ items: z.array(purchaseOrder), nextToken: z.string().nullable() });

export const event = z
  .object({
    id: z.string().describe('evt_<poId>_<sequence>: the same however often it is delivered; the webhook-id header'),
    type: z.enum(eventTypes),
    timestamp: time.describe('when the change happened'),
    sequence: z.number().int().min(1).describe("the PO's events counted from 1, with no gaps, in the order they happened"),
    poId: z.string(),
    reference: z.string(),
    data: z.looseObject({ status: status.describe("the PO's status after the event"), currency: z.string().length(3), by: who }),
  })
  .describe('An event of a purchase order: delivered by webhook, put on the event bus, listed by the API');

export const eventList = z.object({ items: z.array(event) });
export const eventPage = z.object({ items: z.array(event), cursor: z.string().nullable().describe('ask again with after=<cursor>; an empty page hands back the same cursor') });

export const webhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(eventTypes)).describe('the types it hears; all when empty'),
    status: z.enum(['enabled', 'disabled']),
    disabled: z.object({ at: time, reason: z.string(), by: who }).nullable(),
    failingSince: time.nullable(),
    createdAt: time,
    updatedAt: time,
    previousSecretExpiresAt: time.nullable().describe('while a rotated-out secret still signs beside the new one'),
  });

export const webhookEndpointWithSecret = webhookEndpoint.extend({ secret: z.string().regex(/^whsec_/).describe('shown only in this answer') });
export const webhookEndpointList = z.object({ items: z.array(webhookEndpoint) });

export const delivery = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    eventId: z.string(),
    eventType: z.enum(eventTypes),
    poId: z.string(),
    createdAt: time,
    status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
    attempts: z.number().int(),
    lastAttempt: z.object({ at: time, status: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int() }).nullable(),
    nextAttemptAt: time.nullable(),
    reason: z.string().nullable(),
  });

export const deliveryPage = z.object({ items: z.array(delivery), cursor: z.string().nullable() });
export const redelivery = z.object({ delivery: z.string() });
/** A replay runs in the background: its deliveries show in the endpoint's log as it goes (their ids end with `--r` and the replay id's first 8 hex digits). */
export const replayResult = z.object({ replayId: z.string(), since: time, status: z.literal('started') });

export const customerAccount = z.object({
  customerId: z.string(),
  openPurchaseOrders: z.array(z.looseObject({ id: z.string(), reference: z.string(), status, currency: z.string(), total: money, outstanding: money, dueDate: z.string().nullable() })),
  exposure: z.record(z.string(), money),
  overdue: z.record(z.string(), money),
  creditLimit: z.object({ amount: money, currency: z.string() }).nullable(),
  paymentTermsDays: z.number().int(),
});

export const attachment = z.looseObject({ id: z.string(), contentType: z.string(), size: z.number().int(), status: z.enum(['pending', 'received']), href: z.string() });
