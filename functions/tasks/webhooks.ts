import * as z from 'zod';
import { deliver as deliverOnce, replayPage } from '../app/webhooks.js';
import { systemClock } from '../wiring/clock.js';
import { deliveries, eventStores, webhookBox, webhookSender } from '../wiring/events.js';
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

/** What the replay state machine hands its task (see workflows/webhook-replay.ts). */
export const replayInput = z.object({
  replayId: z.string().min(1),
  endpointId: z.string().min(1),
  since: z.string().min(1),
  startedAt: z.string().min(1),
  cursor: z.string().nullable(),
  replayed: z.number().int().nonnegative(),
});

const exported = exportTasks(() => ({
  deliver: task('deliver-webhook', deliverInput, (input) => {
    const { events, webhooks } = eventStores();
    return deliverOnce({ events, webhooks, sender: webhookSender(), box: webhookBox(), mailer: mailer(), seller: seller(), policies: stores().policies, clock: systemClock, random: Math.random }, input);
  }),
  replayPage: task('replay-webhooks', replayInput, (input) => replayPage({ ...eventStores(), deliveries: deliveries() }, input)),
}));
/** One attempt of a webhook delivery. */
export const deliver = exported('deliver');
/** One page of a replay. */
export const replay = exported('replayPage');
