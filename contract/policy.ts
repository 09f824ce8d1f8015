import * as z from 'zod';
import { currencyCode, minorAmount } from './currency.js';
import { einvoiceFormat } from './einvoice.js';
import { singleLine } from './text.js';

/** Tax added to net prices, by the buyer's country or region. */
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code');
/** A country, or a US state and the like: "DE", "US-CA". */
const taxArea = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be a country code, or a country and region such as US-CA');
/** Basis points: 1900 = 19 %, 725 = 7.25 %. */
const basisPoints = z.number().int().min(0).max(10_000);

export const taxPolicySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({
    /** Prices are net; tax is added on top. */
    mode: z.literal('exclusive'),
    /** What the tax is called on documents: "VAT", "GST", "Sales tax". */
    name: singleLine(40).default('VAT'),
    sellerCountry: country,
    sellerTaxId: singleLine(40),
    rates: z.record(taxArea, basisPoints),
    /** EU business buyers with a VAT id in another EU country account for the VAT themselves. */
    reverseCharge: z.boolean().default(false),
    /** Customer types exempt from tax when the customer gives an exemption id. */
    exemptCustomerTypes: z.array(z.enum(['business', 'government', 'education', 'consumer'])).default([]),
  }),
]);
export type TaxPolicy = z.infer<typeof taxPolicySchema>;


/** The seller's PO policy: who may pay by PO, when a PO is reviewed, and the calendar of payment. */

const amountsByCurrency = z.record(currencyCode, minorAmount);
const days = z.number().int().min(0).max(3650);
const customerType = z.enum(['business', 'government', 'education', 'consumer']);

export const policySchema = z
  .object({
    reviewByDefault: z.boolean(),
    trustedCustomers: z.array(singleLine(200)).max(10_000),
    reviewerEmails: z.array(z.email()).min(1).max(50),
    financeEmails: z.array(z.email()).max(50).default([]),
    paymentTermsDays: days.min(1),
    defaultDelivery: z.enum(['instant', 'prepayment']),
    cartMinimum: amountsByCurrency,
    offline: z.strictObject({
      eligibleCustomerTypes: z.array(customerType),
      minimum: amountsByCurrency,
      maximum: amountsByCurrency,
      /** An unpaid offline order or proforma: the buyer is reminded this many days after it was asked to pay. */
      reminderDays: z.array(days.min(1)).max(10).default([7, 14]),
      /** ... and it is cancelled (buyer told) this many days after; never when null. */
      cancelAfterDays: days.min(1).nullable().default(30),
      /** A payment the buyer reported and finance has not verified: finance is reminded this many days after (never when null). */
      verifyReminderDays: days.min(1).nullable().default(2),
    }),
    partners: z.record(
      z.string().min(1).max(200),
      z.strictObject({ poEnabled: z.boolean(), limit: minorAmount, currency: currencyCode }),
    ),
    reviewTimeoutDays: days.min(1),
    /**
     * Per customer id: payment terms of their own (any number of days, e.g. 14, 30, 60), whether
     * they are trusted (their cart POs are released without review, as `trustedCustomers`), and a
     * credit limit.
     */
    customers: z
      .record(
        z.string().min(1).max(200),
        z.strictObject({
          paymentTermsDays: days.min(1).optional(),
          trusted: z.boolean().optional(),
          /** What the customer may owe on open POs in this currency, tax included; a PO beyond it is reviewed. */
          creditLimit: z.strictObject({ amount: minorAmount, currency: currencyCode }).optional(),
          /** The e-invoice this customer's emails carry (an order may name its own). */
          einvoiceFormat: einvoiceFormat.optional(),
        }),
      )
      .refine((customers) => Object.keys(customers).length <= 10_000, { message: 'at most 10,000 customers' })
      .default({}),
    /** At or above an amount per currency, a PO needs that many approvals from distinct people. */
    approvalRules: z
      .array(z.strictObject({ minTotal: amountsByCurrency, approvals: z.number().int().min(1).max(10) }))
      .max(20)
      .default([]),
    /** Reviewers are reminded this many days before the review deadline: halfway to it when null (the default), never when 0. */
    reviewReminderDays: days.nullable().default(null),
    /** Who besides finance hears of a review that closes tomorrow undecided, with a review link of their own (nobody else when null). */
    reviewEscalationEmail: z.email().nullable().default(null),
    /** Reviewers, as finance always, must sign in with an authenticator app (TOTP). */
    mfaForReviewers: z.boolean().default(false),
    /** Electronic invoices: whether the invoice and credit note PDFs are Factur-X hybrids (the CII inside), or plain PDFs as before. */
    einvoicing: z.strictObject({ pdf: z.enum(['plain', 'factur-x']).default('plain') }).default({ pdf: 'plain' }),
    /** Tax added to net prices; none by default (the total is the sum of the lines). */
    tax: taxPolicySchema.default({ mode: 'none' }),
    reminders: z.strictObject({
      beforeDueDays: z.array(days.min(1)).max(10),
      afterDueDays: z.array(days.min(1)).max(10),
      autoCancelAfterDueDays: days.min(1).nullable(),
    }),
  })
  .strict()
  .superRefine((policy, ctx) => {
    for (const [currency, max] of Object.entries(policy.offline.maximum)) {
      const min = policy.offline.minimum[currency];
      if (min !== undefined && min > max) {
        ctx.addIssue({
          code: 'custom',
          path: ['offline', 'minimum', currency],
          message: `must not exceed the offline maximum for ${currency}`,
        });
      }
    }
  });

export type Policy = z.infer<typeof policySchema>;

export const defaultPolicy: Policy = {
  reviewByDefault: true,
  trustedCustomers: [],
  reviewerEmails: ['reviews@seller.example'],
  financeEmails: ['finance@seller.example'],
  paymentTermsDays: 30,
  defaultDelivery: 'instant',
  cartMinimum: { USD: 15000 },
  offline: {
    eligibleCustomerTypes: ['business', 'government', 'education'],
    minimum: { USD: 50000 },
    maximum: { USD: 10000000 },
    reminderDays: [7, 14],
    cancelAfterDays: 30,
    verifyReminderDays: 2,
  },
  partners: {},
  reviewTimeoutDays: 14,
  customers: {},
  approvalRules: [],
  reviewReminderDays: null,
  reviewEscalationEmail: null,
  mfaForReviewers: false,
  einvoicing: { pdf: 'plain' },
  tax: { mode: 'none' },
  reminders: { beforeDueDays: [7], afterDueDays: [7, 14], autoCancelAfterDueDays: null },
};
