import * as z from 'zod';
import * as tasks from '../app/tasks.js';
import type { TaskDeps } from '../app/tasks.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { log } from '../http/log.js';
import { systemClock } from '../wiring/clock.js';
import { mailer, publicBaseUrl, seller } from '../wiring/mail.js';
import { secrets } from '../wiring/secrets.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';

/**
 * The state machine's Lambda tasks, one export per task (each deployed as its own function from
 * this one bundle). Input is validated; a bad input fails the task with a named error.
 */
const poInput = z.object({ poId: z.string().min(1) });
const waitInput = poInput.extend({ token: z.string().min(1), seenVersion: z.number().int().nonnegative() });
const notifyInput = poInput.extend({ notifiedVersion: z.number().int().nonnegative() });

export const makeTasks = (deps: TaskDeps) => {
  const task =
    <S extends z.ZodType, R>(name: string, schema: S, run: (input: z.infer<S>) => Promise<R>) =>
    async (event: unknown): Promise<R> => {
      const input = schema.parse(event);
      log.info('task', { task: name, poId: (input as { poId: string }).poId });
      return run(input);
    };
  return {
    notify: task('notify', notifyInput, (input) => tasks.notify(deps, input)),
    awaitReview: task('await-review', waitInput, (input) => tasks.awaitReview(deps, input)),
    expireReview: task('expire-review', poInput, (input) => tasks.expireReview(deps, input)),
    issueProforma: task('issue-proforma', poInput, (input) => tasks.issueProforma(deps, input)),
    awaitChange: task('await-change', waitInput, (input) => tasks.awaitChange(deps, input)),
    fulfil: task('fulfil', poInput, (input) => tasks.fulfil(deps, input)),
    paymentCalendar: task('payment-calendar', poInput, (input) => tasks.paymentCalendar(deps, input)),
    issueCreditNote: task('issue-credit-note', poInput, (input) => tasks.issueCreditNote(deps, input)),
  };
};

type Tasks = ReturnType<typeof makeTasks>;
let built: Tasks | undefined;
const real = (): Tasks =>
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
      recipients: async () => {
        const policy = await all.policies.get();
        return { reviewers: policy.reviewerEmails, finance: policy.financeEmails };
      },
    });
  })());

const exported = (name: keyof Tasks) => lazyHandler((): ((event: unknown) => Promise<unknown>) => real()[name]);
export const notify = exported('notify');
export const awaitReview = exported('awaitReview');
export const expireReview = exported('expireReview');
export const issueProforma = exported('issueProforma');
export const awaitChange = exported('awaitChange');
export const fulfil = exported('fulfil');
export const paymentCalendar = exported('paymentCalendar');
export const issueCreditNote = exported('issueCreditNote');
