import * as z from 'zod';
import { isCurrency } from './money.js';
import { taxPolicySchema } from './tax.js';
import { singleLine } from './text.js';

/** The seller's PO policy: who may pay by PO, when a PO is reviewed, and the calendar of payment. */

const currencyCode = z.string().refine(isCurrency, { message: 'must be an ISO 4217 currency code' });
const minorAmount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
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
        }),
      )
      .refine((customers) => Object.keys(customers).length <= 10_000, { message: 'at most 10,000 customers' })
      .default({}),
    /** At or above an amount per currency, a PO needs that many approvals from distinct people. */
    approvalRules: z
      .array(z.strictObject({ minTotal: amountsByCurrency, approvals: z.number().int().min(1).max(10) }))
      .max(20)
      .default([]),
    /** Reviewers are reminded this many days before the review deadline (none when null). */
    reviewReminderDays: days.min(1).nullable().default(null),
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
  },
  partners: {},
  reviewTimeoutDays: 14,
  customers: {},
  approvalRules: [],
  reviewReminderDays: null,
  tax: { mode: 'none' },
  reminders: { beforeDueDays: [7], afterDueDays: [7, 14], autoCancelAfterDueDays: null },
};

/** The payment terms of this customer: their own if the policy names them, else the policy's. */
export function termsFor(policy: Pick<Policy, 'paymentTermsDays' | 'customers'>, customerId: string): number {
  return policy.customers[customerId]?.paymentTermsDays ?? policy.paymentTermsDays;
}

/** Whether this customer's cart POs are released without review. */
export function isTrusted(policy: Pick<Policy, 'trustedCustomers' | 'customers'>, customerId: string): boolean {
  return policy.trustedCustomers.includes(customerId) || policy.customers[customerId]?.trusted === true;
}
