import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../../app/errors.js';
import type { Page, ReceivableDay } from '../../app/ports.js';
import type { PurchaseOrder } from '../../domain/purchase-order/index.js';
import { overdueKey, RECEIVABLE, RECEIVABLES, SHIP } from './aggregates.js';
import { poKey } from './table.js';
import { upgradePurchaseOrder } from './upgrade.js';

/**
 * The back office's lists and sums, read from what each PO write keeps (aggregates.ts): a page of
 * an index, or a handful of small items, whatever the number of POs.
 */

/** An index's page of POs, and a token for the next (the index's start key, checked when it comes back). */
export async function pageOf(db: DynamoDBDocumentClient, query: QueryCommandInput & { IndexName: string }, keyNames: [string, string], partition: string, cursor?: string): Promise<Page<PurchaseOrder>> {
  const { Items, LastEvaluatedKey } = await db.send(new QueryCommand({ ...query, ...(cursor ? { ExclusiveStartKey: startKeyOf(cursor, keyNames, partition) } : {}) }));
  return {
    items: (Items ?? []).map((item) => upgradePurchaseOrder(item.po)),
    cursor: LastEvaluatedKey ? Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') : null,
  };
}

export const toShipPage = (db: DynamoDBDocumentClient, table: string, limit: number, cursor?: string) =>
  pageOf(db, { TableName: table, IndexName: 'lists', KeyConditionExpression: 'listKey = :key', ExpressionAttributeValues: { ':key': SHIP }, ScanIndexForward: false, Limit: limit }, ['listKey', 'listSort'], SHIP, cursor);

/** A page of the list of open invoices (items of their own, by due date), and their POs. */
export async function receivablesPage(db: DynamoDBDocumentClient, table: string, limit: number, cursor?: string): Promise<Page<PurchaseOrder>> {
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'lists',
      KeyConditionExpression: 'listKey = :key',
      ExpressionAttributeValues: { ':key': RECEIVABLE },
      Limit: limit,
      ...(cursor ? { ExclusiveStartKey: startKeyOf(cursor, ['listKey', 'listSort'], RECEIVABLE) } : {}),
    }),
  );
  const ids = (Items ?? []).map((item) => String(item.pk).slice('PO#'.length));
  return { items: await readPos(db, table, ids), cursor: LastEvaluatedKey ? Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') : null };
}

/** The POs of these ids, in this order. */
export const readPos = (db: DynamoDBDocumentClient, table: string, ids: string[]) => batchRead(db, table, ids, { ProjectionExpression: 'po' }, upgradePurchaseOrder);

/** What `projection` reads of the POs of these ids (`po`, mapped by `read`), in this order; one batch read per hundred. */
export async function batchRead<T extends { id: string }>(
  db: DynamoDBDocumentClient,
  table: string,
  ids: string[],
  projection: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> },
  read: (po: never) => T,
): Promise<T[]> {
  const found = new Map<string, T>();
  for (let from = 0; from < ids.length; from += 100) {
    let keys: Record<string, unknown>[] = ids.slice(from, from + 100).map(poKey);
    for (let attempt = 0; keys.length && attempt < 5; attempt += 1) {
      const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ...projection } } }));
      for (const item of Responses?.[table] ?? []) {
        const po = read(item.po as never);
        found.set(po.id, po);
      }
      keys = UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return ids.map((id) => found.get(id)).filter((po): po is T => po !== undefined);
}

/** What is owed on open invoices per due date and currency: one small item a day, whatever the number of invoices. */
export async function receivableDays(db: DynamoDBDocumentClient, table: string): Promise<ReceivableDay[]> {
  const days: ReceivableDay[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': RECEIVABLES }, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) {
      const [, due, currency] = String(item.sk).split('#');
      const count = Number(item.n ?? 0);
      if (count > 0) days.push({ due: due === 'none' ? null : due!, currency: currency!, owed: Number(item.owed ?? 0), count });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return days;
}

/** How many of the customer's POs are overdue, as kept. */
export async function overdueCount(db: DynamoDBDocumentClient, table: string, customerId: string): Promise<number> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: overdueKey(customerId), ConsistentRead: true }));
  return Number(Item?.n ?? 0);
}

/**
 * A paging token back into the index's start key: exactly the four string keys we handed out, of
 * this query (a token of another list would make DynamoDB refuse the query).
 */
export function startKeyOf(cursor: string, [partitionName, sortName]: [string, string], partition: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('nextToken is not valid');
  }
  const names = [partitionName, sortName, 'pk', 'sk'].sort();
  const valid =
    key !== null &&
    typeof key === 'object' &&
    !Array.isArray(key) &&
    Object.keys(key).sort().join() === names.join() &&
    Object.values(key).every((value) => typeof value === 'string' && value.length > 0 && value.length <= 300) &&
    (key as Record<string, string>)[partitionName] === partition &&
    /^PO#[A-Za-z0-9_-]{1,64}$/.test((key as Record<string, string>).pk ?? '');
  if (!valid) throw new InvalidCursorError('nextToken is not valid');
  return key as Record<string, string>;
}
