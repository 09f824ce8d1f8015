import { randomUUID } from 'node:crypto';
import { fingerprint, placeOrder } from '../app/place.js';
import { RuleViolation } from '../domain/errors.js';
import { problemOf } from '../http/http.js';
import { log } from '../runtime/log.js';
import { fieldsToOrder, ruleField } from './order-form.js';
import { both, html, redirect, type ConsoleRoute } from './router.js';
import { orderEntryPage } from './views/order-entry.js';

/**
 * Staff enter an order that arrived by letter, email or fax (Cleverbridge: "Customer Support will
 * select the PO option when processing the order"): the same use case as POST /purchase-orders,
 * as an offline PO in the person's name. The form carries a one-off entry id as its Idempotency-Key,
 * so a double click or a resubmitted page enters the order once.
 */
export const orderEntryRoutes: ConsoleRoute[] = [
  {
    method: 'GET',
    path: /^\/orders\/new$/,
    roles: both,
    handle: async (request) => html(200, orderEntryPage(await request.page('enter-order'), { 'customer-type': 'business' }, {}, randomUUID())),
  },
  {
    method: 'POST',
    path: /^\/orders$/,
    roles: both,
    handle: async (request) => {
      const { fields } = request;
      const entry = /^[0-9a-f-]{36}$/.test(fields.entry ?? '') ? fields.entry! : randomUUID();
      const again = async (status: number, errors: Record<string, string>) => html(status, orderEntryPage(await request.page('enter-order'), fields, errors, entry));
      const { order, errors } = fieldsToOrder(fields);
      if (!order) return again(400, errors);
      try {
        const { po } = await placeOrder(request.deps, `console-entry-${entry}`, fingerprint(order), order, request.by, request.session.role);
        log.info('order entered in the console', { poId: po.id, by: request.by.id });
        return redirect(`${request.base}/po/${po.id}`);
      } catch (error) {
        const known = problemOf(error);
        if (!known || known.status >= 500) throw error;
        const field = error instanceof RuleViolation ? (ruleField[error.rule] ?? 'form') : 'form';
        return again(known.status, { [field]: known.detail });
      }
    },
  },
];
