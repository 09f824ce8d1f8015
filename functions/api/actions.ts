import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { changePurchaseOrder, type ChangeDeps } from '../app/change.js';
import type { PolicyStore } from '../app/ports.js';
import type { Action } from '../domain/purchase-order/index.js';
import { bodies } from '../../contract/bodies.js';
import { json, parseJson, pathParam } from '../http/http.js';
import { routeHandler, serve, type GroupHandlers } from '../http/routing.js';
import { routeById, type RouteIdOf } from '../../contract/routes.js';
import { actionOf } from '../app/lifecycle-actions.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { presentPurchaseOrder } from '../http/present.js';
import { systemClock } from '../wiring/clock.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';

/**
 * The lifecycle actions of the contract: one handler per route, all the same shape: authorize the
 * role, validate the body, apply one domain action with a conditional write, return the PO.
 * Whether the action is allowed in the PO's status (and for this role) is the domain's decision.
 */
export interface ActionDeps extends ChangeDeps {
  policies: PolicyStore;
}

/** An action's route: its body (optional where the row says so) as the domain action it asks for. */
function route<S extends z.ZodType>(
  routeId: RouteIdOf<'PurchaseOrderActions'>,
  schema: S,
  toAction: (body: z.infer<S>, event: APIGatewayProxyEvent, deps: ActionDeps) => Action | Promise<Action>,
) {
  const optionalBody = routeById[routeId].optionalBody !== undefined;
  return (deps: ActionDeps) =>
    routeHandler(routeId, async (event, { actor, by }) => {
      const id = pathParam(event, 'id');
      const empty = !event.body || event.body.length === 0;
      const body = optionalBody && empty ? schema.parse({}) : parseJson(event, schema).value;
      const action = await toAction(body, event, deps);
      const po = await changePurchaseOrder(deps, id, action, { actor, by, at: deps.clock.now() });
      return json(200, presentPurchaseOrder(po));
    });
}

export const makeReview = route('FinanceReview', bodies.review, actionOf.review);
export const makeRecordPayment = route('RecordPayment', bodies.payment, actionOf.recordPayment);
export const makeSubmitPayment = route('SubmitPayment', bodies.payment, actionOf.submitPayment);
export const makeVerifyPayment = route('VerifyPayment', bodies.verification, actionOf.verifyPayment);
export const makeCancel = route('CancelPurchaseOrder', bodies.reason, actionOf.cancel);
export const makeConvert = route('ConvertToPurchaseOrder', bodies.convert, (b, _event, deps) => actionOf.convert(b, deps.policies));
export const makeDispute = route('OpenDispute', bodies.reason, actionOf.dispute);
export const makeResolveDispute = route('ResolveDispute', bodies.resolve, actionOf.resolveDispute);
export const makeUpdateShipping = route('UpdateShippingOrder', bodies.shipping, (b, event) => actionOf.updateShipping(b, pathParam(event, 'soId')));

export const actionDeps = (): ActionDeps => {
  const { pos, policies } = stores();
  return { pos, policies, workflow: signalOnlyWorkflow(), clock: systemClock };
};
export const makeRoutes = (deps: ActionDeps): GroupHandlers<'PurchaseOrderActions'> => ({
  FinanceReview: makeReview(deps),
  RecordPayment: makeRecordPayment(deps),
  SubmitPayment: makeSubmitPayment(deps),
  VerifyPayment: makeVerifyPayment(deps),
  CancelPurchaseOrder: makeCancel(deps),
  ConvertToPurchaseOrder: makeConvert(deps),
  OpenDispute: makeDispute(deps),
  ResolveDispute: makeResolveDispute(deps),
  UpdateShippingOrder: makeUpdateShipping(deps),
});

export const handler = lazyHandler(() => serve('PurchaseOrderActions', makeRoutes(actionDeps())));
