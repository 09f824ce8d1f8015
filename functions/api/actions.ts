import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { changePurchaseOrder, type ChangeDeps } from '../app/change.js';
import type { PolicyStore } from '../app/ports.js';
import type { Action } from '../domain/purchase-order.js';
import { bodies } from '../http/bodies.js';
import { authorize, json, parseJson, pathParam, withProblems, type CallerRole } from '../http/http.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { presentPurchaseOrder } from '../http/present.js';
import { systemClock } from '../wiring/clock.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow, workflow } from '../wiring/workflow.js';
import { resumeWorkflow } from '../app/resume.js';

/**
 * The lifecycle actions of the contract: one handler per route, all the same shape: authorize the
 * role, validate the body, apply one domain action with a conditional write, return the PO.
 * Whether the action is allowed in the PO's status (and for this role) is the domain's decision.
 */
export interface ActionDeps extends ChangeDeps {
  policies: PolicyStore;
}



function route<S extends z.ZodType>(
  name: string,
  roles: CallerRole[],
  schema: S,
  toAction: (body: z.infer<S>, event: APIGatewayProxyEvent, deps: ActionDeps) => Action | Promise<Action>,
  options: { optionalBody?: boolean } = {},
) {
  return (deps: ActionDeps) =>
    withProblems(name, async (event) => {
      const { actor, by } = authorize(event, roles);
      const id = pathParam(event, 'id');
      const empty = !event.body || event.body.length === 0;
      const body = options.optionalBody && empty ? schema.parse({}) : parseJson(event, schema).value;
      const action = await toAction(body, event, deps);
      const po = await changePurchaseOrder(deps, id, action, { actor, by, at: deps.clock.now() });
      return json(200, presentPurchaseOrder(po));
    });
}

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

export const makeReview = route('review', ['finance', 'reviewer'], bodies.review, actionOf.review);
export const makeRecordPayment = route('record-payment', ['finance'], bodies.payment, actionOf.recordPayment);
export const makeSubmitPayment = route('submit-payment', ['checkout'], bodies.payment, actionOf.submitPayment);
export const makeVerifyPayment = route('verify-payment', ['finance'], bodies.verification, actionOf.verifyPayment);
export const makeCancel = route('cancel', ['checkout', 'finance'], bodies.reason, actionOf.cancel, { optionalBody: true });
export const makeConvert = route('convert-to-purchase-order', ['finance'], bodies.convert, (b, _event, deps) => actionOf.convert(b, deps.policies), { optionalBody: true });
export const makeDispute = route('dispute', ['checkout', 'finance'], bodies.reason, actionOf.dispute, { optionalBody: true });
export const makeResolveDispute = route('resolve-dispute', ['finance'], bodies.resolve, actionOf.resolveDispute);
export const makeUpdateShipping = route('update-shipping', ['finance'], bodies.shipping, (b, event) => actionOf.updateShipping(b, pathParam(event, 'soId')));

/** POST /purchase-orders/{id}/resume (finance): resume the workflow of a PO that needs attention. */
export const makeResume = (deps: ActionDeps) =>
  withProblems('resume', async (event) => {
    const { actor, by } = authorize(event, ['finance']);
    const po = await resumeWorkflow(deps, pathParam(event, 'id'), { actor, by });
    return json(200, presentPurchaseOrder(po));
  });

const deps = (): ActionDeps => {
  const { pos, policies } = stores();
  return { pos, policies, workflow: signalOnlyWorkflow(), clock: systemClock };
};
export const review = lazyHandler(() => makeReview(deps()));
export const recordPayment = lazyHandler(() => makeRecordPayment(deps()));
export const submitPayment = lazyHandler(() => makeSubmitPayment(deps()));
export const verifyPayment = lazyHandler(() => makeVerifyPayment(deps()));
export const cancel = lazyHandler(() => makeCancel(deps()));
export const convert = lazyHandler(() => makeConvert(deps()));
export const dispute = lazyHandler(() => makeDispute(deps()));
export const resolveDispute = lazyHandler(() => makeResolveDispute(deps()));
export const updateShipping = lazyHandler(() => makeUpdateShipping(deps()));
export const resume = lazyHandler(() => makeResume({ ...deps(), workflow: workflow() }));
