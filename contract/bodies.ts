import * as z from 'zod';
import { eventTypes } from './events.js';
import { multiLine, singleLine } from './text.js';

/**
 * The bodies of the lifecycle routes. The handlers validate with them; the stack also turns them
 * into API Gateway request models, so the two can never disagree.
 */
const amount = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const reference = singleLine(200);
const note = multiLine(2000).optional();

export const bodies = {
  review: z.strictObject({ decision: z.enum(['approve', 'reject']), comment: note }),
  payment: z.strictObject({ amount, reference }),
  verification: z.strictObject({ decision: z.enum(['accept', 'reject']), reason: note }),
  reason: z.strictObject({ reason: note }),
  convert: z.strictObject({ delivery: z.enum(['instant', 'prepayment']).optional() }),
  resolve: z.strictObject({ outcome: z.enum(['accept_payment', 'cancel']), reason: note }),
  shipping: z.strictObject({ status: z.enum(['shipped', 'delivered']) }),
  webhookEndpoint: z.strictObject({ url: webhookUrl(), events: eventList().optional(), description: singleLine(200).optional() }),
  webhookUpdate: z.strictObject({
    url: webhookUrl().optional(),
    events: eventList().optional(),
    description: singleLine(200).nullable().optional(),
    status: z.enum(['enabled', 'disabled']).optional(),
  }),
  replay: z.strictObject({
    since: z.iso.datetime({ offset: true }),
    /** Another key makes another replay of the same time (the same endpoint, time and key are one replay, run once). */
    key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  }),
};

/**
 * Where a webhook endpoint receives: an http(s) URL without a user name or password. Which hosts may
 * receive (https, never an internal address) is checked where the endpoint is saved and again at each
 * delivery. Redirects are not followed, so the URL is the one that answers.
 */
function webhookUrl() {
  const parsed = (value: string) => (URL.canParse(value) ? new URL(value) : null);
  return z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .refine((value) => {
      const url = parsed(value);
      return url === null || (!url.username && !url.password);
    }, 'must not carry a user name or password');
}

/** The event types an endpoint hears; all of them when empty or absent. */
function eventList() {
  return z.array(z.enum(eventTypes)).max(eventTypes.length);
}
