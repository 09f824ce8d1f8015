import * as tasks from '../app/tasks.js';
import type { MessageDeps } from '../app/tasks.js';
import { countAttention } from '../runtime/observability.js';
import { systemClock } from '../wiring/clock.js';
import { publishing } from '../wiring/events.js';
import { mailer, publicBaseUrl, seller } from '../wiring/mail.js';
import { secrets } from '../wiring/secrets.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';
import { attentionInput, exportTasks, notifyInput, task } from './task.js';
import { accessPoint } from '../wiring/peppol.js';

/** Every email, from the PO's history through the catalogue; review requests carry a signed link. */
export const makeMessageTasks = (deps: MessageDeps) => ({
  notify: task('notify', notifyInput, (input) => tasks.notify(deps, input)),
  needsAttention: task('needs-attention', attentionInput, async (input) => {
    const view = await tasks.needsAttention(deps, input);
    countAttention();
    return view;
  }),
});

const exported = exportTasks(() => {
  const all = stores();
  return makeMessageTasks({
    pos: all.pos,
    reviews: all.reviews,
    documents: all.documents,
    workflow: signalOnlyWorkflow(),
    clock: systemClock,
    mailer: mailer(),
    secrets: secrets(),
    seller: seller(),
    publicBaseUrl: publicBaseUrl(),
    publishing: publishing(),
    accessPoint: accessPoint(),
    recipients: async () => {
      const policy = await all.policies.get();
      return { reviewers: policy.reviewerEmails, finance: policy.financeEmails, escalation: policy.reviewEscalationEmail ? [policy.reviewEscalationEmail] : [] };
    },
  });
});
export const notify = exported('notify');
export const needsAttention = exported('needsAttention');
