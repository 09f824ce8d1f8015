import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { DynamoTermSearch } from '../../functions/adapters/dynamo/search.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { apply, placePurchaseOrder, type PurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { startDynamoDb } from '../support/dynamodb.js';
import { sampleOrder } from '../support/fakes.js';

/**
 * A table written by a version that kept no counts, lists or search terms: until the sweep is done
 * the console reads as before (counts from the status index, search by scan); the sweep counts each
 * older PO in once, and then everything reads what is kept.
 */
let dynamo: Awaited<ReturnType<typeof startDynamoDb>>;
beforeAll(async () => {
  dynamo = await startDynamoDb();
});
afterAll(() => dynamo.stop());

const at = new Date('2026-03-02T10:00:00Z');
let n = 0;
const po = (company: string): PurchaseOrder =>
  placePurchaseOrder({
    id: `PO-old-${++n}`,
    reference: `PO-2025-${String(n).padStart(6, '0')}`,
    order: orderRequestSchema.parse({ ...sampleOrder, customer: { ...sampleOrder.customer, id: `cust-${company.toLowerCase()}`, company } }),
    policy: { ...defaultPolicy, reviewByDefault: true },
    actor: 'checkout',
    at: new Date(at.getTime() + n * 1000),
  });

describe('POs stored before the counts, lists and search terms were kept', () => {
  it('are found and counted as before until the sweep, counted in once by it, and then read from what is kept', async () => {
    const store = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    const search = new DynamoTermSearch(dynamo.db, dynamo.table);
    const waiting = [po('Umbrella'), po('Umbrella'), po('Hooli')];
    const rejected = apply(po('Umbrella'), { type: 'reject' }, { actor: 'finance', at });
    // Items as the older version wrote them: no `kept`, no list keys, no terms.
    for (const p of [...waiting, rejected]) {
      await dynamo.db.send(
        new PutCommand({ TableName: dynamo.table, Item: { pk: `PO#${p.id}`, sk: 'PO', po: p, version: p.version, status: p.status, gsi1pk: `STATUS#${p.status}`, gsi1sk: `${p.createdAt}#${p.id}`, searchText: `${p.reference}\n${p.customer.company}`.toLowerCase() } }),
      );
    }
    // Before the sweep: as before (counted from the status index, found by a scan).
    expect(await store.queueCounts()).toMatchObject({ awaiting_review: 3, to_ship: 0 });
    expect((await search.search('umbrella', 10)).items).toHaveLength(3);

    expect(await store.countKept(2)).toBe(2); // a run does at most its limit
    expect(await store.countKept(500)).toBe(2);
    expect(await store.countKept(500)).toBe(0); // done: the marker says so
    const counts = await store.queueCounts();
    expect(counts.awaiting_review).toBe(3);
    expect(counts.rejected ?? 0).toBe(0); // closed POs are found, not counted
    expect((await search.search('umbrella', 10)).items.map((p) => p.id).sort()).toEqual([waiting[0]!.id, waiting[1]!.id, rejected.id].sort());
    expect((await search.search(waiting[2]!.reference, 10)).items.map((p) => p.id)).toEqual([waiting[2]!.id]);
    // A change after the sweep moves the counts once, from what the sweep counted.
    const approved = apply(waiting[0]!, { type: 'approve' }, { actor: 'finance', at });
    await store.save(approved, waiting[0]!.version, null);
    expect(await store.queueCounts()).toMatchObject({ awaiting_review: 2, ordered: 1 });
  });
});

describe('a change and the sweep at once', () => {
  it('counts a PO once when the sweep counts it between the change reading it and writing it: the change is refused and tried again', async () => {
    const table = await startDynamoDb();
    try {
      const legacy = po('Stark');
      await table.db.send(new PutCommand({ TableName: table.table, Item: { pk: `PO#${legacy.id}`, sk: 'PO', po: legacy, version: legacy.version, status: legacy.status, gsi1pk: `STATUS#${legacy.status}`, gsi1sk: `${legacy.createdAt}#${legacy.id}` } }));
      const sweeper = new DynamoPurchaseOrderStore(table.db, table.table);
      // The change's client: the sweep runs just before the change's transaction reaches the table.
      let swept = false;
      const racing = new Proxy(table.db, {
        get(target, name) {
          if (name !== 'send') return Reflect.get(target, name);
          return async (command: { constructor: { name: string } }) => {
            if (command.constructor.name === 'TransactWriteCommand' && !swept) {
              swept = true;
              expect(await sweeper.countKept(10)).toBe(1);
            }
            return target.send(command as never);
          };
        },
      });
      const store = new DynamoPurchaseOrderStore(racing, table.table);
      const approved = apply(legacy, { type: 'approve' }, { actor: 'finance', at });
      await expect(store.save(approved, legacy.version, null)).rejects.toThrow(/changed concurrently/);
      expect(await sweeper.countKept(10)).toBe(0); // done
      expect(await sweeper.queueCounts()).toMatchObject({ awaiting_review: 1 });
      // Tried again from what is stored now: moved once.
      await store.save(approved, legacy.version, null);
      expect(await sweeper.queueCounts()).toMatchObject({ awaiting_review: 0, ordered: 1 });
    } finally {
      await table.stop();
    }
  });
});
