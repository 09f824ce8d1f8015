import { reconcile as reconcileSignals } from '../app/change.js';
import * as tasks from '../app/tasks.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { log } from '../runtime/log.js';
import type { LifecycleDeps } from '../app/tasks.js';
import { systemClock } from '../wiring/clock.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow, workflow } from '../wiring/workflow.js';
import { exportTasks, handOverInput, stepInput, task, waitInput } from './task.js';

/** Waits and the payment calendar: the table and the workflow's tokens, nothing else. */
export const makeLifecycleTasks = (deps: LifecycleDeps) => ({
  awaitChange: task('await-change', waitInput, (input) => tasks.awaitChange(deps, input)),
  reviewTimer: task('review-timer', stepInput, (input) => tasks.reviewTimer(deps, input)),
  paymentCalendar: task('payment-calendar', stepInput, (input) => tasks.paymentCalendar(deps, input)),
  handOver: task('hand-over', handOverInput, (input) => tasks.handOver(deps, input)),
});

const exported = exportTasks(() => makeLifecycleTasks({ pos: stores().pos, workflow: signalOnlyWorkflow(), clock: systemClock }));
// Only the hand-over starts executions (its role may; the other tasks' may not).
const handingOver = exportTasks(() => makeLifecycleTasks({ pos: stores().pos, workflow: workflow(), clock: systemClock }));
export const awaitChange = exported('awaitChange');
export const reviewTimer = exported('reviewTimer');
export const paymentCalendar = exported('paymentCalendar');
export const handOver = handingOver('handOver');

/**
 * The reconciler, on a schedule (EventBridge Scheduler on AWS, the stack's clock locally): wakes every
 * workflow still parked on a PO that changed, whose signal was lost, and hands over the executions
 * that near Step Functions' one-year limit.
 */
export const reconcile = lazyHandler(() => {
  const deps = { pos: stores().pos, workflow: signalOnlyWorkflow(), clock: systemClock };
  return async (): Promise<{ found: number; woken: number; handedOver: number }> => {
    const result = await reconcileSignals(deps);
    if (result.found) log.warn('reconciled lost signals', result);
    if (result.handedOver) log.info('handed over executions nearing the one-year limit', result);
    return result;
  };
});
