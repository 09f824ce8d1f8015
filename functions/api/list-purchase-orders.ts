import * as z from 'zod';
import { InvalidCursorError } from '../app/errors.js';
import type { PurchaseOrderStore } from '../app/ports.js';
import { statuses } from '../../contract/purchase-order.js';
import { HttpProblem, json, zodErrors } from '../http/http.js';
import { routeHandler } from '../http/routing.js';

import { presentPurchaseOrder } from '../http/present.js';

/**
 * GET /purchase-orders?status=S (finance): finance's queues, newest first. The ones finance works
 * from: awaiting_review (to release), payment_submitted (to verify), overdue (to chase), disputed.
 * GET /purchase-orders?attention=true: the POs whose workflow stopped at a failed step and waits
 * for finance to resume it (most recent first; one page, there are few).
 */
const querySchema = z.union([
  z.strictObject({
    status: z.enum(statuses),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    nextToken: z.string().max(2048).regex(/^[A-Za-z0-9_-]+$/).optional(),
  }),
  z.strictObject({
    attention: z.literal('true'),
    limit: z.coerce.number().int().min(1).max(100).default(100),
  }),
]);

export const makeHandler = (deps: { pos: PurchaseOrderStore }) =>
  routeHandler('ListPurchaseOrders', async (event) => {
    const parsed = querySchema.safeParse(event.queryStringParameters ?? {});
    if (!parsed.success) throw new HttpProblem(400, 'Bad Request', 'the query is not valid', { errors: zodErrors(parsed.error) });
    if ('attention' in parsed.data) {
      const items = await deps.pos.needingAttention(parsed.data.limit);
      return json(200, { items: items.map(presentPurchaseOrder), nextToken: null });
    }
    const { status, limit, nextToken } = parsed.data;
    let page;
    try {
      page = await deps.pos.listByStatus(status, limit, nextToken);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new HttpProblem(400, 'Bad Request', 'nextToken is not valid');
      throw error;
    }
    return json(200, { items: page.items.map(presentPurchaseOrder), nextToken: page.cursor });
  });
