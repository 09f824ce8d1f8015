import type { PolicyStore, PurchaseOrderStore } from '../app/ports.js';
import { creditAccount } from '../domain/credit.js';
import { HttpProblem, json } from '../http/http.js';
import { routeHandler } from '../http/routing.js';

/**
 * GET /customers/{id}/account (finance): the customer's open POs, what they owe on them per currency
 * (exposure) and of that what is overdue, their credit limit and payment terms. A customer with no
 * open PO has an empty account, not a 404: the policy may name customers who have not ordered yet.
 */
export const makeHandler = (deps: { pos: PurchaseOrderStore; policies: PolicyStore }) =>
  routeHandler('GetCustomerAccount', async (event) => {
    // Customer ids are the shop's own (any single line of up to 200 characters), not our PO ids.
    const id = event.pathParameters?.id ?? '';
    // eslint-disable-next-line no-control-regex
    if (!id || id.length > 200 || /[\u0000-\u001f\u007f]/.test(id)) throw new HttpProblem(404, 'Not Found', 'no customer with that id');
    const [open, policy] = await Promise.all([deps.pos.openForCustomer(id), deps.policies.get()]);
    return json(200, creditAccount(id, open, policy));
  });
