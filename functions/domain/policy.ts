import type { Policy } from '../../contract/policy.js';

/** The rules the seller's policy sets for one customer. */

/** The payment terms of this customer: their own if the policy names them, else the policy's. */
export function termsFor(policy: Pick<Policy, 'paymentTermsDays' | 'customers'>, customerId: string): number {
  return policy.customers[customerId]?.paymentTermsDays ?? policy.paymentTermsDays;
}

/** Whether this customer's cart POs are released without review. */
export function isTrusted(policy: Pick<Policy, 'trustedCustomers' | 'customers'>, customerId: string): boolean {
  return policy.trustedCustomers.includes(customerId) || policy.customers[customerId]?.trusted === true;
}
