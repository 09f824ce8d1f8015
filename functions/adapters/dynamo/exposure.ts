import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type PutCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { PurchaseOrder } from '../../domain/purchase-order/index.js';

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

/** A write of a PO and, when it moves the customer's exposure, the move too, in one transaction. */
export async function writeWithExposure(
  db: DynamoDBDocumentClient,
  table: string,
  po: PurchaseOrder,
  delta: number,
  write: { Put: PutCommandInput } | { Update: UpdateCommandInput },
): Promise<void> {
  if (delta !== 0) await db.send(new TransactWriteCommand({ TransactItems: [write as never, moveExposure(table, po, delta)] }));
  else if ('Put' in write) await db.send(new PutCommand(write.Put));
  else await db.send(new UpdateCommand(write.Update));
}

/** Whether a write (alone or in a transaction) failed on its condition. */
export const failedOnCondition = (error: unknown) =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');

/** The stored PO's version and what it adds to the exposure (null when stored before the sum was kept); null when there is no PO. */
export async function exposureBefore(db: DynamoDBDocumentClient, table: string, key: Record<string, string>): Promise<{ version: number; exposure: number | null } | null> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: key, ProjectionExpression: 'version, exposure', ConsistentRead: true }));
  return Item ? { version: Number(Item.version), exposure: typeof Item.exposure === 'number' ? Item.exposure : null } : null;
}

