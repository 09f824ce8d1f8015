import * as z from 'zod';
import { multiLine, singleLine } from '../domain/text.js';

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
};
