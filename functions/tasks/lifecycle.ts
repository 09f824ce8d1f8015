import { reconcile as reconcileSignals } from '../app/change.js';
import * as tasks from '../app/tasks.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { log } from '../http/log.js';
import type { LifecycleDeps } from '../app/tasks.js';
import { systemClock } from '../wiring/clock.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';
import { exportTasks, stepInput, task, waitInput } from './task.js';

/** Waits and the payment calendar: the table and the workflow's tokens, nothing else. */
export const makeLifecycleTasks = (deps: LifecycleDeps) => ({
  awaitChange: task('await-change', waitInput, (input) => tasks.awaitChange(deps, input)),
  reviewTimer: task('review-timer', stepInput, (input) => tasks.reviewTimer(deps, input)),
  paymentCalendar: task('payment-calendar', stepInput, (input) => tasks.paymentCalendar(deps, input)),
});

const exported = exportTasks(() => makeLifecycleTasks({ pos: stores().pos, workflow: signalOnlyWorkflow(), clock: systemClock }));
export const awaitChange = exported('awaitChange');
export const reviewTimer = exported('reviewTimer');
export const paymentCalendar = exported('paymentCalendar');

/**
 * The reconciler, on a schedule (EventBridge Scheduler on AWS, the stack's clock locally): wakes every
 * workflow still parked on a PO that changed, whose signal was lost.
 */
export const reconcile = lazyHandler(() => {
  const deps = { pos: stores().pos, workflow: signalOnlyWorkflow(), clock: systemClock };
  return async (): Promise<{ found: number; woken: number }> => {
    const result = await reconcileSignals(deps);
    if (result.found) log.warn('reconciled lost signals', result);
    return result;
  };
});
