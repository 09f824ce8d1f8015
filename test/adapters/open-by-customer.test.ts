import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { apply, placePurchaseOrder, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { startDynamoDb } from '../support/dynamodb.js';
import { sampleOrder } from '../support/fakes.js';

/** Credit control's index on the real embedded DynamoDB: a customer's open POs, and those stored before it existed. */
let dynamo: Awaited<ReturnType<typeof startDynamoDb>>;
beforeAll(async () => {
  dynamo = await startDynamoDb();
});
afterAll(() => dynamo.stop());

const at = new Date('2026-03-02T10:00:00Z');
let n = 0;
const po = (customer: string): PurchaseOrder =>
  placePurchaseOrder({
    id: `PO-${customer}-${++n}`,
    reference: `PO-2026-${String(n).padStart(6, '0')}`,
    order: orderRequestSchema.parse({ ...sampleOrder, customer: { ...sampleOrder.customer, id: customer } }),
    policy: { ...defaultPolicy, reviewByDefault: false },
    actor: 'checkout',
    at: new Date(at.getTime() + n * 1000),
  });

describe('open POs by customer', () => {
  it("counts a customer's overdue POs: from the overdue queue while older POs are being counted in, then as kept with each write", async () => {
    const store = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    const [late, onTime, otherLate] = [po('cust-c'), po('cust-c'), po('cust-d')];
    for (const p of [late, onTime, otherLate]) await store.create(p);
    for (const p of [late, otherLate]) {
      const invoiced = { ...p, payment: { ...p.payment, dueDate: '2026-04-01' } };
      await store.save(apply(invoiced, { type: 'mark_overdue' }, { actor: 'system', at }), p.version, null);
    }
    expect(await store.overdueCount('cust-c')).toBe(1);
    expect(await store.overdueCount('cust-e')).toBe(0);
    // The sweep finds nothing older to count (every PO here was written with its sums) and says so.
    expect(await store.countKept(500)).toBe(0);
    expect(await store.overdueCount('cust-c')).toBe(1);
    expect(await store.overdueCount('cust-d')).toBe(1);
    expect(await store.overdueCount('cust-e')).toBe(0);
  });

  it("lists a customer's open POs, oldest first; a PO leaves the list when it ends", async () => {
    const store = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    const [a, b, other] = [po('cust-a'), po('cust-a'), po('cust-b')];
    for (const p of [a, b, other]) await store.create(p);
    expect((await store.openForCustomer('cust-a')).map((p) => p.id)).toEqual([a.id, b.id]);
    const cancelled = apply(a, { type: 'cancel', reason: 'no longer needed' }, { actor: 'finance', at });
    await store.save(cancelled, a.version, null);
    expect((await store.openForCustomer('cust-a')).map((p) => p.id)).toEqual([b.id]);
    expect(await store.openForCustomer('nobody')).toEqual([]);
  });

  it('gives open POs stored before the index their keys, once, and then only checks its marker', async () => {
    const store = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    // Items as an older version wrote them: no customerKey.
    const old = [po('cust-old'), po('cust-old'), po('cust-old')];
    const ended = apply(po('cust-old'), { type: 'cancel' }, { actor: 'finance', at });
    for (const p of [...old, ended]) {
      await dynamo.db.send(new PutCommand({ TableName: dynamo.table, Item: { pk: `PO#${p.id}`, sk: 'PO', po: p, version: p.version, status: p.status, gsi1pk: `STATUS#${p.status}`, gsi1sk: `${p.createdAt}#${p.id}` } }));
    }
    expect(await store.openForCustomer('cust-old')).toEqual([]);
    expect(await store.indexOpenByCustomer(2)).toBe(2); // a run does at most its limit
    expect(await store.indexOpenByCustomer(500)).toBe(1);
    expect((await store.openForCustomer('cust-old')).map((p) => p.id)).toEqual(old.map((p) => p.id));
    // Done: later runs read the marker and index nothing, even what is written without keys after.
    const later = po('cust-old');
    await dynamo.db.send(new PutCommand({ TableName: dynamo.table, Item: { pk: `PO#${later.id}`, sk: 'PO', po: later, version: 1, status: later.status, gsi1pk: `STATUS#${later.status}`, gsi1sk: `${later.createdAt}#${later.id}` } }));
    expect(await store.indexOpenByCustomer(500)).toBe(0);
  });

  it('counts open POs stored before the exposure was kept into it, once; until then placement is told to read the open POs', async () => {
    const store = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    // Items as an older version wrote them: no exposure.
    const old = [po('cust-legacy'), po('cust-legacy')];
    const ended = apply(po('cust-legacy'), { type: 'cancel' }, { actor: 'finance', at });
    for (const p of [...old, ended]) {
      await dynamo.db.send(new PutCommand({ TableName: dynamo.table, Item: { pk: `PO#${p.id}`, sk: 'PO', po: p, version: p.version, status: p.status, gsi1pk: `STATUS#${p.status}`, gsi1sk: `${p.createdAt}#${p.id}` } }));
    }
    expect(await store.exposure('cust-legacy', 'USD')).toBeNull();
    // One of them changes before the sweep (it is cancelled): its write counts it, at nothing.
    const cancelled = apply(old[0]!, { type: 'cancel' }, { actor: 'finance', at });
    await store.save(cancelled, old[0]!.version, null);
    // (The table is this file's: the legacy items of the test before are counted in too.)
    expect(await store.countExposure(500)).toBeGreaterThanOrEqual(1);
    const total = old[1]!.total;
    expect(await store.exposure('cust-legacy', 'USD')).toBe(total);
    expect(await store.countExposure(500)).toBe(0);
    expect(await store.exposure('cust-legacy', 'USD')).toBe(total);
  });
});
