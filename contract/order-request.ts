import * as z from 'zod';
import { currencyCode, minorAmount } from './currency.js';
import { einvoiceFormat, endpointId } from './einvoice.js';
import { singleLine } from './text.js';

/** What checkout sends to place a PO (the contract's `POST /purchase-orders` body). */

const text = singleLine;

export const addressSchema = z.strictObject({
  name: text(200).optional(),
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  region: text(100).optional(),
  postalCode: text(20).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'),
});

export const lineSchema = z.strictObject({
  sku: text(64),
  description: text(500),
  quantity: z.number().int().min(1).max(1_000_000),
  unitAmount: minorAmount,
  fulfilment: z.enum(['digital', 'physical']),
  seller: text(100).optional(),
});

export const customerSchema = z.strictObject({
  id: text(200),
  type: z.enum(['business', 'government', 'education', 'consumer']),
  company: text(200),
  /** Where the buyer's emails go; a buyer reached by e-invoice only (an endpointId) may have none, and gets its documents by the feed, webhooks and its access point. */
  email: z.email().optional(),
  name: text(200).optional(),
  partnerId: text(200).optional(),
  /** The buyer's VAT or other tax registration id, printed on documents (and what EU reverse charge needs). */
  taxId: text(40).optional(),
  /** The buyer's tax exemption certificate (education, government), when exempt. */
  taxExemptionId: text(100).optional(),
  /** Where the buyer receives e-invoices (BT-49), a Peppol participant id: with it, the UBL is Peppol BIS Billing 3.0. */
  endpointId: endpointId.optional(),
  /** The buyer's routing reference for invoices (BT-10): a German public buyer's Leitweg-ID, which XRechnung needs. */
  buyerReference: text(200).optional(),
  /** The e-invoice the buyer's emails carry; else the customer's setting in the policy, else none. */
  einvoiceFormat: einvoiceFormat.optional(),
});

export const orderRequestSchema = z
  .strictObject({
    channel: z.enum(['cart', 'offline', 'partner_portal']),
    paymentMethod: z.enum(['purchase_order', 'online', 'offline', 'deferred']),
    delivery: z.enum(['instant', 'prepayment']).optional(),
    customer: customerSchema,
    poNumber: text(100).optional(),
    currency: currencyCode,
    lines: z.array(lineSchema).min(1).max(200),
    billingAddress: addressSchema,
    /** Where physical lines go; without it, the billing address. */
    shippingAddress: addressSchema.optional(),
    onlinePayment: z.strictObject({ reference: text(200), amount: minorAmount }).optional(),
  })
  .superRefine((order, ctx) => {
    if (order.customer.email === undefined && order.customer.endpointId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['customer', 'email'], message: 'is required, unless the customer has an endpointId to receive e-invoices' });
    }
    if (order.delivery !== undefined && order.paymentMethod !== 'purchase_order') {
      ctx.addIssue({ code: 'custom', path: ['delivery'], message: 'applies only to paymentMethod purchase_order' });
    }
  });

export type OrderRequest = z.infer<typeof orderRequestSchema>;
export type OrderLine = z.infer<typeof lineSchema>;
export type Customer = z.infer<typeof customerSchema>;
export type Address = z.infer<typeof addressSchema>;
