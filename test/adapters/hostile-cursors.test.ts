import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../functions/app/errors.js';
import { DynamoWebhookStore } from '../../functions/adapters/dynamo/events.js';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { startDynamoDb } from '../support/dynamodb.js';

/**
 * Paging tokens come back from the outside: whatever one holds, the stores refuse it as not theirs
 * before DynamoDB sees it (DynamoDB would answer a ValidationException, a fault of ours: a 500).
 */
let dynamo: Awaited<ReturnType<typeof startDynamoDb>>;
beforeAll(async () => {
  dynamo = await startDynamoDb();
});
afterAll(() => dynamo.stop());

const token = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('hostile paging tokens on the real embedded DynamoDB', () => {
  it("refuses a PO list token of another status's list, or one with keys DynamoDB would refuse", async () => {
    const store = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    const elsewhere = { gsi1pk: 'STATUS#ordered', gsi1sk: '2026-03-02T10:00:00.000Z#PO1', pk: 'PO#PO1', sk: 'PO' };
    for (const cursor of [token(elsewhere), token({ ...elsewhere, gsi1pk: 'STATUS#awaiting_review', pk: 'X'.repeat(300) }), token({ ...elsewhere, gsi1pk: 'STATUS#awaiting_review', pk: 'ENDPOINTS' })]) {
      await expect(store.listByStatus('awaiting_review', 5, cursor)).rejects.toBeInstanceOf(InvalidCursorError);
    }
    const fine = await store.listByStatus('awaiting_review', 5, token({ ...elsewhere, gsi1pk: 'STATUS#awaiting_review' }));
    expect(fine.items).toEqual([]);
  });

  it('refuses a delivery-log cursor longer than a key may be, or of another shape', async () => {
    const store = new DynamoWebhookStore(dynamo.db, dynamo.table);
    for (const cursor of [token(`DELIVERY#${'x'.repeat(2000)}`), token('DELIVERY#'), token('ENDPOINT#we_1')]) {
      await expect(store.deliveries('we_0123456789abcdef', 5, cursor)).rejects.toBeInstanceOf(InvalidCursorError);
    }
    expect((await store.deliveries('we_0123456789abcdef', 5, token('DELIVERY#2026-03-02T10:00:00.000Z#evt_PO1_1--we_0123456789abcdef'))).items).toEqual([]);
  });
});
