import type * as z from 'zod';
import type { bodies } from '../../contract/bodies.js';
import type { Action } from '../domain/purchase-order/index.js';
import type { PolicyStore } from './ports.js';

const withNote = <T extends object>(action: T, key: string, value: string | undefined) => (value ? { ...action, [key]: value } : action);

/** Each lifecycle body as the domain action it asks for; the API routes and the console share them. */
export const actionOf = {
  review: (b: z.infer<typeof bodies.review>): Action => withNote({ type: b.decision }, 'comment', b.comment) as Action,
  recordPayment: (b: z.infer<typeof bodies.payment>): Action => ({ type: 'record_payment', amount: b.amount, reference: b.reference }),
  submitPayment: (b: z.infer<typeof bodies.payment>): Action => ({ type: 'submit_payment', amount: b.amount, reference: b.reference }),
  verifyPayment: (b: z.infer<typeof bodies.verification>): Action => withNote({ type: 'verify_payment', decision: b.decision }, 'reason', b.reason) as Action,
  cancel: (b: z.infer<typeof bodies.reason>): Action => withNote({ type: 'cancel' }, 'reason', b.reason) as Action,
  dispute: (b: z.infer<typeof bodies.reason>): Action => withNote({ type: 'dispute' }, 'reason', b.reason) as Action,
  resolveDispute: (b: z.infer<typeof bodies.resolve>): Action => withNote({ type: 'resolve_dispute', outcome: b.outcome }, 'reason', b.reason) as Action,
  updateShipping: (b: z.infer<typeof bodies.shipping>, shippingOrderId: string): Action => ({ type: 'update_shipping', shippingOrderId, status: b.status }),
  /** Conversion applies the policy as it is now: delivery, terms, the review's timeout and rules. */
  convert: async (b: z.infer<typeof bodies.convert>, policies: PolicyStore): Promise<Action> => {
    const policy = await policies.get();
    return {
      type: 'convert_to_purchase_order',
      delivery: b.delivery ?? policy.defaultDelivery,
      paymentTermsDays: policy.paymentTermsDays,
      reviewTimeoutDays: policy.reviewTimeoutDays,
      reviewReminderDays: policy.reviewReminderDays,
      approvalRules: policy.approvalRules,
      rules: { offline: policy.offline, partners: policy.partners },
      customerTerms: Object.fromEntries(Object.entries(policy.customers).flatMap(([id, c]) => (c.paymentTermsDays ? [[id, c.paymentTermsDays]] : []))),
    };
  },
};
