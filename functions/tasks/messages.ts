import * as tasks from '../app/tasks.js';
import type { MessageDeps } from '../app/tasks.js';
import { systemClock } from '../wiring/clock.js';
import { mailer, publicBaseUrl, seller } from '../wiring/mail.js';
import { secrets } from '../wiring/secrets.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';
import { exportTasks, notifyInput, task, waitInput } from './task.js';

/** Emails from the PO's history, and the review request with its signed link. */
export const makeMessageTasks = (deps: MessageDeps) => ({
  notify: task('notify', notifyInput, (input) => tasks.notify(deps, input)),
  awaitReview: task('await-review', waitInput, (input) => tasks.awaitReview(deps, input)),
});

const exported = exportTasks(() => {
  const all = stores();
  return makeMessageTasks({
    pos: all.pos,
    reviews: all.reviews,
    workflow: signalOnlyWorkflow(),
    clock: systemClock,
    mailer: mailer(),
    secrets: secrets(),
    seller: seller(),
    publicBaseUrl: publicBaseUrl(),
    recipients: async () => {
      const policy = await all.policies.get();
      return { reviewers: policy.reviewerEmails, finance: policy.financeEmails };
    },
  });
});
export const notify = exported('notify');
export const awaitReview = exported('awaitReview');
