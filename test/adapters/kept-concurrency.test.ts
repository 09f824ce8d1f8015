import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { DynamoTermSearch } from '../../functions/adapters/dynamo/search.js';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { apply, placePurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { startDynamoDb } from '../support/dynamodb.js';
import { sampleOrder } from '../support/fakes.js';

/**
 * The kept counts under concurrency, on the real embedded DynamoDB: writes of many POs at once meet
 * on the same counter items, whose transactions DynamoDB cancels when they overlap; none is lost.
 */
let dynamo: Awaited<ReturnType<typeof startDynamoDb>>;
beforeAll(async () => {
  dynamo = await startDynamoDb();
});
afterAll(() => dynamo.stop());

describe('the kept counts when many POs change at once', () => {
  it('counts 60 POs placed at once, then approved at once, exactly; and search finds each', async () => {
    const store = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    expect(await store.countKept(10)).toBe(0); // a new table: nothing older to count
    const at = new Date('2026-03-02T10:00:00Z');
    const pos = Array.from({ length: 60 }, (_, i) =>
      placePurchaseOrder({
        id: `PO-many-${i}`,
        reference: `PO-2026-${String(900_000 + i)}`,
        order: orderRequestSchema.parse({ ...sampleOrder, customer: { ...sampleOrder.customer, id: `cust-${i % 3}`, company: 'Concurrent Industries' } }),
        policy: { ...defaultPolicy, reviewByDefault: true },
        actor: 'checkout',
        at,
      }),
    );
    await Promise.all(pos.map((po) => store.create(po)));
    expect((await store.queueCounts()).awaiting_review).toBe(60);
    await Promise.all(pos.map((po) => store.save(apply(po, { type: 'approve' }, { actor: 'finance', at }), po.version, null)));
    const counts = await store.queueCounts();
    expect(counts.awaiting_review).toBe(0);
    expect(counts.ordered).toBe(60);
    const search = new DynamoTermSearch(dynamo.db, dynamo.table);
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search.search('concurrent', 25, cursor);
      found.push(...page.items.map((po) => po.id));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(found.sort()).toEqual(pos.map((po) => po.id).sort());
  });
});
