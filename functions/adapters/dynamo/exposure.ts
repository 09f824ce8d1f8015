import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PurchaseOrder } from '../../domain/purchase-order/index.js';
import type { Kept } from './aggregates.js';
import { poProjection } from './table.js';

/**
 * A customer's exposure, kept with each write of their POs (see table.ts):
 *
 *   CUSTOMER#<id>   EXPOSURE#<currency>   owed: what the customer owes on open POs in that currency
 *
 * Each PO item holds what it adds (`exposure`), so a write moves the sum by the difference, in one
 * transaction with the PO's own conditional write: the sum never misses a change, nor counts one
 * twice. POs stored before the sum was kept have no `exposure`; they are counted in by their next
 * write or by `countExposure`, and until a sweep finds none left (a marker says so) placement reads
 * the customer's open POs instead.
 */
export const exposureKey = (customerId: string, currency: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `EXPOSURE#${currency}` });
export const exposureMarker = { pk: 'MIGRATION', sk: 'exposure' };

/** The transaction item that moves a customer's exposure by `delta` (in the PO's currency). */
export function moveExposure(table: string, po: Pick<PurchaseOrder, 'customer' | 'currency'>, delta: number) {
  return {
    Update: {
      TableName: table,
      Key: exposureKey(po.customer.id, po.currency),
      UpdateExpression: 'ADD owed :delta',
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

/**
 * The stored PO's version and what it adds to the exposure and to the other kept sums (null when
 * stored before they were kept); null when there is no PO.
 */
export async function keptBefore(db: DynamoDBDocumentClient, table: string, key: Record<string, string>): Promise<{ version: number; exposure: number | null; kept: Kept | null } | null> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: key, ProjectionExpression: 'version, exposure, kept', ConsistentRead: true }));
  return Item ? { version: Number(Item.version), exposure: typeof Item.exposure === 'number' ? Item.exposure : null, kept: (Item.kept as Kept | undefined) ?? null } : null;
}


/** The fields of an open PO that credit control reads, as a projection (every name a placeholder: some are reserved words). */
export const openPoProjection = poProjection(['id', 'reference', 'status', 'currency', 'total', 'createdAt', 'payment.amountDue', 'payment.amountPaid', 'payment.dueDate', 'customer.company']);
