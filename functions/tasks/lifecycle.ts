import * as tasks from '../app/tasks.js';
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
