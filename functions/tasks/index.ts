import { z } from 'zod';
import * as tasks from '../app/tasks.js';
import { changePurchaseOrder } from '../app/change.js';
import { secondsUntilDue, type TaskDeps } from '../app/tasks.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { log } from '../http/log.js';
import { mailer, publicBaseUrl, secrets, seller, signalOnlyWorkflow, stores, systemClock } from '../wiring.js';

/**
 * The state machine's Lambda tasks, one export per task (each deployed as its own function from
 * this one bundle). Input is validated; a bad input fails the task with a named error.
 */
const poInput = z.object({ poId: z.string().min(1) });
const waitInput = poInput.extend({ token: z.string().min(1) });
const reviewInput = waitInput.extend({ reviewTimeoutSeconds: z.number().int().positive() });

export const makeTasks = (deps: TaskDeps) => {
  const task =
    <S extends z.ZodType, R>(name: string, schema: S, run: (input: z.infer<S>) => Promise<R>) =>
    async (event: unknown): Promise<R> => {
      const input = schema.parse(event);
      log.info('task', { task: name, poId: (input as { poId: string }).poId });
      return run(input);
    };
  return {
    requestReview: task('request-review', reviewInput, (input) => tasks.requestReview(deps, input)),
    expireReview: task('expire-review', poInput, (input) => tasks.expireReview(deps, input)),
    notifyRejected: task('notify-rejected', poInput, (input) => tasks.notifyRejected(deps, input)),
    fulfil: task('fulfil', poInput, (input) => tasks.fulfil(deps, input)),
    awaitPayment: task('await-payment', waitInput, (input) => tasks.awaitPayment(deps, input)),
    markOverdue: task('mark-overdue', poInput, async (input) => {
      const po = await changePurchaseOrder(deps, input.poId, { type: 'mark_overdue' }, { actor: 'system', at: deps.clock.now() });
      // Check again in a week; the reminders of the policy refine this.
      return { status: po.status, dueInSeconds: Math.max(secondsUntilDue(po, deps.clock.now()), 7 * 86_400) };
    }),
    notifyPaid: task('notify-paid', poInput, (input) => tasks.notifyPaid(deps, input)),
  };
};

let built: ReturnType<typeof makeTasks> | undefined;
const real = () =>
  (built ??= (() => {
    const all = stores();
    return makeTasks({
      ...all,
      workflow: signalOnlyWorkflow(),
      mailer: mailer(),
      secrets: secrets(),
      clock: systemClock,
      seller: seller(),
      publicBaseUrl: publicBaseUrl(),
      reviewerEmails: async () => (await all.policies.get()).reviewerEmails,
    });
  })());

export const requestReview = lazyHandler((): ((e: unknown) => Promise<unknown>) => real().requestReview);
export const expireReview = lazyHandler((): ((e: unknown) => Promise<unknown>) => real().expireReview);
export const notifyRejected = lazyHandler((): ((e: unknown) => Promise<unknown>) => real().notifyRejected);
export const fulfil = lazyHandler((): ((e: unknown) => Promise<unknown>) => real().fulfil);
export const awaitPayment = lazyHandler((): ((e: unknown) => Promise<unknown>) => real().awaitPayment);
export const markOverdue = lazyHandler((): ((e: unknown) => Promise<unknown>) => real().markOverdue);
export const notifyPaid = lazyHandler((): ((e: unknown) => Promise<unknown>) => real().notifyPaid);
