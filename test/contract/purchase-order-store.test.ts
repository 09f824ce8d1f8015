import { afterAll, describe, expect, it } from 'vitest';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { AlreadyExistsError, ConcurrentUpdateError, InvalidCursorError } from '../../functions/app/errors.js';
import type { PurchaseOrderStore } from '../../functions/app/ports.js';
import { apply, placePurchaseOrder, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { startDynamoDb } from '../support/dynamodb.js';
import { MemoryPurchaseOrders } from '../support/fakes.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * One suite for the purchase-order store, run against the in-memory fake the handler tests lean on
 * and against the DynamoDB adapter on an embedded DynamoDB: what the handlers assume of the one holds
 * of the other.
 */
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

const implementations: [string, () => Promise<PurchaseOrderStore>][] = [
  ['the in-memory fake', async () => new MemoryPurchaseOrders()],
  [
    'the DynamoDB adapter',
    async () => {
      const dynamo = await startDynamoDb();
      stops.push(dynamo.stop);
      return new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    },
  ],
];

let n = 0;
function newPo(options: { customer?: string; company?: string; at?: string; review?: boolean } = {}): PurchaseOrder {
  n += 1;
  const id = `PO${String(n).padStart(6, '0')}`;
  const body = order({ customer: buyer(options.customer ?? 'cust-1', options.company ?? 'Acme Corp', `ap${n}@acme.example`), poNumber: `ACME-${n}`, lines: [licence(50_000)] });
  const policy = { ...defaultPolicy, reviewByDefault: options.review ?? true };
  return placePurchaseOrder({ id, reference: `PO-2026-${String(n).padStart(6, '0')}`, order: orderRequestSchema.parse(body), policy, actor: 'checkout', at: new Date(options.at ?? `2026-12-01T10:00:${String(n % 60).padStart(2, '0')}Z`) });
}
const approve = (po: PurchaseOrder, at = '2026-12-02T10:00:00Z') => apply(po, { type: 'approve' }, { actor: 'finance', at: new Date(at) });

describe.each(implementations)('the purchase-order store: %s', (_name, make) => {
  it('creates a PO once and reads it back as written, with no wait parked', async () => {
    const store = await make();
    const po = newPo();
    await store.create(po);
    expect(await store.get(po.id)).toMatchObject({ po, waitToken: null });
    await expect(store.create(po)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await store.get('PO-NONE')).toBeNull();
  });

  it('saves a change only over the version it read: the loser of a race gets a conflict, not a lost update', async () => {
    const store = await make();
    const po = newPo();
    await store.create(po);
    const approved = approve(po);
    await store.save(approved, po.version, null);
    await expect(store.save(approve(po, '2026-12-02T11:00:00Z'), po.version, null)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await store.get(po.id))!.po).toEqual(approved);
  });

  it('parks a wait at the version the workflow saw; a change over a parked wait owes it a signal until settled', async () => {
    const store = await make();
    const po = newPo();
    await store.create(po);
    expect(await store.registerWait(po.id, 'token-old', po.version + 1)).toBe(false);
    expect(await store.registerWait(po.id, 'token-1', po.version)).toBe(true);
    expect((await store.get(po.id))!.waitToken).toBe('token-1');
    // Saving without the parked token is a conflict: the caller must hand over the token it read.
    await expect(store.save(approve(po), po.version, null)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    const saved = await store.save(approve(po), po.version, 'token-1');
    expect(saved.owedToken).toBe('token-1');
    expect(await store.owedSignals('2027-01-01T00:00:00Z', 10)).toEqual([po.id]);
    expect(await store.owedSignals('2026-01-01T00:00:00Z', 10)).toEqual([]);
    await store.settleSignal(po.id, 'token-other');
    expect(await store.owedSignals('2027-01-01T00:00:00Z', 10)).toEqual([po.id]);
    await store.settleSignal(po.id, 'token-1');
    expect(await store.owedSignals('2027-01-01T00:00:00Z', 10)).toEqual([]);
  });

  it('lists a status newest first, a page at a time, counts it, and refuses a cursor it did not hand out', async () => {
    const store = await make();
    const pos = [newPo(), newPo(), newPo()];
    for (const po of pos) await store.create(po);
    const first = await store.listByStatus('awaiting_review', 2);
    expect(first.items.map((po) => po.id)).toEqual([pos[2]!.id, pos[1]!.id]);
    const second = await store.listByStatus('awaiting_review', 2, first.cursor!);
    expect(second.items.map((po) => po.id)).toEqual([pos[0]!.id]);
    expect(second.cursor).toBeNull();
    expect(await store.countByStatus('awaiting_review')).toBe(3);
    expect(await store.countByStatus('ordered')).toBe(0);
    await expect(store.listByStatus('awaiting_review', 2, '!not-a-cursor')).rejects.toBeInstanceOf(InvalidCursorError);
    // A token of another status's list: refused as not this list's, not passed on for DynamoDB to fault.
    await expect(store.listByStatus('ordered', 2, first.cursor!)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('finds POs by reference, PO number, company, customer id or email, whatever the case', async () => {
    const store = await make();
    const acme = newPo({ company: 'Acme Corp', customer: 'cust-acme' });
    const globex = newPo({ company: 'Globex GmbH', customer: 'cust-globex' });
    await store.create(acme);
    await store.create(globex);
    const ids = async (text: string) => (await store.search(text, 10)).map((po) => po.id);
    expect(await ids('GLOBEX')).toEqual([globex.id]);
    expect(await ids(acme.reference.toLowerCase())).toEqual([acme.id]);
    expect(await ids(acme.poNumber!)).toEqual([acme.id]);
    expect(await ids('cust-acme')).toEqual([acme.id]);
    expect(await ids(globex.customer.email!)).toEqual([globex.id]);
    expect(await ids('nobody')).toEqual([]);
  });

  it("keeps a customer's open POs for credit control, oldest first, without those that ended", async () => {
    const store = await make();
    const older = newPo({ customer: 'cust-credit', at: '2026-11-01T10:00:00Z' });
    const newer = newPo({ customer: 'cust-credit', at: '2026-11-02T10:00:00Z' });
    const other = newPo({ customer: 'cust-other' });
    for (const po of [older, newer, other]) await store.create(po);
    const rejected = apply(newer, { type: 'reject' }, { actor: 'finance', at: new Date('2026-11-03T10:00:00Z') });
    await store.save(rejected, newer.version, null);
    const open = await store.openForCustomer('cust-credit');
    expect(open.map((po) => po.id)).toEqual([older.id]);
    expect(open[0]).toMatchObject({ id: older.id, reference: older.reference, status: 'awaiting_review', currency: 'USD', total: older.total, payment: { amountDue: older.total, amountPaid: 0 } });
    expect(await store.overdueForCustomer('cust-credit')).toEqual([]);
  });

  it("keeps what each customer owes on open POs per currency with every write, and a write that loses a race moves nothing", async () => {
    const store = await make();
    await store.countExposure(500); // an empty store: nothing stored before the sum was kept
    const first = newPo({ customer: 'cust-exposure' });
    const second = newPo({ customer: 'cust-exposure' });
    for (const po of [first, second, newPo({ customer: 'cust-elsewhere' })]) await store.create(po);
    expect(await store.exposure('cust-exposure', 'USD')).toBe(first.total + second.total);
    expect(await store.exposure('cust-exposure', 'EUR')).toBe(0);
    expect(await store.exposure('nobody', 'USD')).toBe(0);

    const rejected = apply(second, { type: 'reject' }, { actor: 'finance', at: new Date('2026-12-02T10:00:00Z') });
    await store.save(rejected, second.version, null);
    expect(await store.exposure('cust-exposure', 'USD')).toBe(first.total);
    // The same change saved again from the stale version fails and counts nothing twice.
    await expect(store.save(rejected, second.version, null)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(store.create(first)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await store.exposure('cust-exposure', 'USD')).toBe(first.total);
    expect(await store.exposure('cust-exposure', 'USD')).toBe((await store.openForCustomer('cust-exposure')).reduce((sum, po) => sum + po.payment.amountDue - po.payment.amountPaid, 0));
  });

  it('lists the POs that need attention, most recent first', async () => {
    const store = await make();
    const calm = newPo();
    const stuck = newPo();
    for (const po of [calm, stuck]) await store.create(po);
    const flagged = apply(stuck, { type: 'flag_attention', step: 'Notify', reason: 'SES refused' }, { actor: 'system', at: new Date('2026-12-03T10:00:00Z') });
    await store.save(flagged, stuck.version, null);
    expect((await store.needingAttention(10)).map((po) => po.id)).toEqual([stuck.id]);
  });
});
