import * as z from 'zod';
import { deliver as deliverOnce } from '../app/webhooks.js';
import { systemClock } from '../wiring/clock.js';
import { eventStores, webhookBox, webhookSender } from '../wiring/events.js';
import { mailer, seller } from '../wiring/mail.js';
import { stores } from '../wiring/stores.js';
import { exportTasks, task } from './task.js';

/** What the delivery state machine hands its task (see workflows/webhook-delivery.ts). */
export const deliverInput = z.object({
  eventId: z.string().min(1),
  endpointId: z.string().min(1),
  attempt: z.number().int().nonnegative(),
  deliveryId: z.string().min(1),
  startedAt: z.string().min(1),
});

const exported = exportTasks(() => {
  const { events, webhooks } = eventStores();
  const deps = { events, webhooks, sender: webhookSender(), box: webhookBox(), mailer: mailer(), seller: seller(), policies: stores().policies, clock: systemClock, random: Math.random };
  return { deliver: task('deliver-webhook', deliverInput, (input) => deliverOnce(deps, input)) };
});
/** One attempt of a webhook delivery. */
export const deliver = exported('deliver');
