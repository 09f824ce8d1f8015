import { resumeWorkflow } from '../app/resume.js';
import { json, pathParam } from '../http/http.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { presentPurchaseOrder } from '../http/present.js';
import { routeHandler, serve, type GroupHandlers } from '../http/routing.js';
import { workflow } from '../wiring/workflow.js';
import { actionDeps, type ActionDeps } from './actions.js';

/** POST /purchase-orders/{id}/resume (finance): resume the workflow of a PO that needs attention, or restart one that ended badly. */
export const makeResume = (deps: ActionDeps) =>
  routeHandler('ResumeWorkflow', async (event, caller) => {
    const po = await resumeWorkflow(deps, pathParam(event, 'id'), caller);
    return json(200, presentPurchaseOrder(po));
  });

export const makeRoutes = (deps: ActionDeps): GroupHandlers<'ResumeWorkflow'> => ({ ResumeWorkflow: makeResume(deps) });

export const handler = lazyHandler(() => serve('ResumeWorkflow', makeRoutes({ ...actionDeps(), workflow: workflow() })));
