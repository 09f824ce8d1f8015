import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { DynamoPurchaseOrderStore } from '../../functions/adapters/dynamo/purchase-orders.js';
import { apply, placePurchaseOrder, taxationOf } from '../../functions/domain/purchase-order/index.js';
import { workflowView } from '../../functions/domain/workflow-view.js';
import { startDynamoDb } from '../support/dynamodb.js';
import { order } from '../support/orders.js';

/**
 * A PO stored by an older version of the product (before taxes, unpaid reminders, attention and
 * attachments) is read as the domain's types say every PO is, and works on: it is priced, waited
 * on and changed like a new one, and its next save writes it whole.
 */
let dynamo: Awaited<ReturnType<typeof startDynamoDb>>;
beforeAll(async () => {
  dynamo = await startDynamoDb();
});
afterAll(() => dynamo.stop());

function oldItem() {
  const po = placePurchaseOrder({ id: 'PO-OLD', reference: 'PO-2025-000001', order: orderRequestSchema.parse(order({ poNumber: 'OLD-1' })), policy: defaultPolicy, actor: 'checkout', at: new Date('2025-06-01T10:00:00Z') });
  const { subtotal: _s, tax: _t, taxIds: _i, unpaidCalendar: _u, attention: _a, attachments: _f, ...old } = po;
  return old;
}

describe('a PO stored before later fields existed', () => {
  it('is read whole: no tax, net = total, no unpaid reminders, no attention, no attachments', async () => {
    const old = oldItem();
    await dynamo.db.send(new PutCommand({ TableName: dynamo.table, Item: { pk: `PO#${old.id}`, sk: 'PO', version: old.version, status: old.status, gsi1pk: `STATUS#${old.status}`, gsi1sk: `${old.createdAt}#${old.id}`, po: old } }));
    const store = new DynamoPurchaseOrderStore(dynamo.db, dynamo.table);
    const { po } = (await store.get(old.id))!;
    expect(po).toMatchObject({ subtotal: old.total, tax: [], taxIds: { seller: null, buyer: null }, unpaidCalendar: { reminderDays: [], cancelAfterDays: null }, attention: null, attachments: [] });
    expect(taxationOf(po)).toEqual({ subtotal: old.total, tax: [], total: old.total });
    expect(workflowView(po, new Date('2025-06-02T00:00:00Z')).next).toBe('review');
    expect((await store.listByStatus('awaiting_review', 10)).items[0]).toEqual(po);

    const approved = apply(po, { type: 'approve' }, { actor: 'finance', at: new Date('2025-06-02T10:00:00Z') });
    await store.save(approved, po.version, null);
    const { Item } = await dynamo.db.send(new GetCommand({ TableName: dynamo.table, Key: { pk: `PO#${old.id}`, sk: 'PO' } }));
    expect(Item!.po).toEqual(approved);
    expect(Item!.po).toMatchObject({ subtotal: old.total, tax: [], attention: null, attachments: [] });
  });
});
