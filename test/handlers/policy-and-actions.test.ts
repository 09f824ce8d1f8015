import { describe, expect, it } from 'vitest';
import { makeCancel, makeRecordPayment } from '../../functions/api/actions.js';
import { makeGetHandler, makePutHandler } from '../../functions/api/policy.js';
import { placeOrder } from '../../functions/app/place.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { apiEvent, fakes, sampleOrder } from '../support/fakes.js';

const finance = { Authorization: 'Bearer test-finance-key', 'Content-Type': 'application/json' };
const checkout = { Authorization: 'Bearer test-checkout-key', 'Content-Type': 'application/json' };

describe('GET and PUT /policy', () => {
  it('stores a valid policy whole, and refuses an invalid one without storing any of it', async () => {
    const deps = fakes();
    const put = makePutHandler(deps);
    const get = makeGetHandler(deps);
    const changed = { ...defaultPolicy, paymentTermsDays: 45, cartMinimum: { USD: 20000, JPY: 3000 } };
    expect((await put(apiEvent({ method: 'PUT', headers: finance, body: JSON.stringify(changed) }))).statusCode).toBe(200);
    expect(JSON.parse((await get(apiEvent({ headers: finance }))).body)).toMatchObject({ paymentTermsDays: 45 });

    const invalid = [
      { ...changed, paymentTermsDays: 0 },
      { ...changed, cartMinimum: { USD: 150.5 } },
      { ...changed, cartMinimum: { ABC: 100 } },
      { ...changed, reviewerEmails: ['not-an-email'] },
      { ...changed, offline: { ...changed.offline, minimum: { USD: 200 }, maximum: { USD: 100 } } },
      { ...changed, partners: { p1: { poEnabled: true, limit: -1, currency: 'USD' } } },
      { ...changed, unknownField: true },
    ];
    for (const body of invalid) {
      const res = await put(apiEvent({ method: 'PUT', headers: finance, body: JSON.stringify(body) }));
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).errors.length).toBeGreaterThan(0);
    }
    expect(deps.policies.policy).toEqual({ ...changed });
    expect((await put(apiEvent({ method: 'PUT', headers: checkout, body: JSON.stringify(changed) }))).statusCode).toBe(403);
  });
});

describe('lifecycle actions', () => {
  it('refuse an action the status does not allow with 409 and the current status, and change nothing', async () => {
    const deps = fakes();
    const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse(sampleOrder));
    const pay = makeRecordPayment(deps);
    const res = await pay(apiEvent({ method: 'POST', headers: finance, pathParameters: { id: po.id }, body: JSON.stringify({ amount: 100, reference: 'W' }) }));
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body)).toMatchObject({ status: 409, currentStatus: 'awaiting_review' });
    expect((await deps.pos.get(po.id))!.po).toEqual(po);
  });

  it('let the buyer cancel before release, with the reason in the history; finance after', async () => {
    const deps = fakes();
    const cancel = makeCancel(deps);
    const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse(sampleOrder));
    const res = await cancel(apiEvent({ method: 'POST', headers: checkout, pathParameters: { id: po.id }, body: JSON.stringify({ reason: 'budget withdrawn' }) }));
    expect(JSON.parse(res.body).history.at(-1)).toMatchObject({ type: 'cancel', from: 'awaiting_review', to: 'cancelled', actor: 'checkout', detail: 'budget withdrawn' });
    const again = await cancel(apiEvent({ method: 'POST', headers: { Authorization: 'Bearer test-finance-key' }, pathParameters: { id: po.id } }));
    expect(again.statusCode).toBe(409);
  });
});
