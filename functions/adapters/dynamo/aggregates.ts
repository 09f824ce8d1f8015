import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type PutCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Status } from '../../../contract/purchase-order.js';
import { hasSomethingToShip, needsFinanceSince, searchTermsOf, terminalStatuses, type PurchaseOrder } from '../../domain/purchase-order/index.js';
import { owedOnInvoice } from '../../domain/receivables.js';
import { poKey } from './table.js';

/**
 * What the back office counts and lists at any size, kept with each write of a PO (see table.ts):
 *
 *   COUNTS        SHARD#<0-7>          per open status, `to_ship` and `attention`: how many POs (a PO counts in its id's shard)
 *   CUSTOMER#<id> OVERDUE              n: how many of the customer's POs are overdue (the overdue hold)
 *   RECEIVABLES   DUE#<date>#<ccy>     owed, n: open invoices due that day (`DUE#none#<ccy>`: no due date yet)
 *   PO#<id>       RECEIVABLE           the PO's invoice is owed on (list RECEIVABLE, by due date)
 *   PO#<id>       TERM#<term>          a search term of the PO (list TERM#<its first two characters>, by term)
 *
 * and the PO item itself is in the list SHIP while it has something to ship. The lists are one
 * sparse index, `lists` (`listKey`, `listSort`): an item is in at most one list, so the receivable
 * and the terms are items of their own (and CloudFormation adds one index per table update).
 *
 * Each PO item holds what it adds (`kept`), so a write moves each sum by the difference and puts or
 * deletes only the terms that changed, in one transaction with the PO's own conditional write: the
 * sums never miss a change nor count one twice. Eight shards keep concurrent writes from conflicting
 * on one counter item; a conflict that happens anyway is retried (DynamoDB cancels the later transaction).
 */
export interface Kept {
  /** The open status it counts in; null once closed. */
  status: Status | null;
  toShip: boolean;
  attention: boolean;
  customer: string;
  overdue: boolean;
  receivable: { currency: string; due: string; owed: number } | null;
  terms: string[];
}

export const COUNT_SHARDS = 8;
export const countsKey = (shard: number) => ({ pk: 'COUNTS', sk: `SHARD#${shard}` });
export const RECEIVABLES = 'RECEIVABLES';
export const overdueKey = (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'OVERDUE' });
/** The one key of the sparse index of POs with something left to ship, and of open invoices. */
export const SHIP = 'SHIP';
export const RECEIVABLE = 'RECEIVABLE';

const shardOf = (id: string) => [...id].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 1_000_003, 7) % COUNT_SHARDS;

export function keptOf(po: PurchaseOrder): Kept {
  const open = !terminalStatuses.has(po.status);
  return {
    status: open ? po.status : null,
    toShip: hasSomethingToShip(po),
    attention: needsFinanceSince(po) !== null,
    customer: po.customer.id,
    overdue: po.status === 'overdue',
    receivable: ((owed) => (owed ? { currency: po.currency, due: po.payment.dueDate ?? 'none', owed } : null))(owedOnInvoice(po)),
    terms: searchTermsOf(po),
  };
}

/** The attributes of the PO item that put it in the list of work to ship (and the names to remove when it leaves it). */
export function listedKeys(po: PurchaseOrder, kept: Kept): { set: Record<string, string>; remove: string[] } {
  return kept.toShip ? { set: { listKey: SHIP, listSort: `${po.createdAt}#${po.id}` }, remove: [] } : { set: {}, remove: ['listKey', 'listSort'] };
}

type TransactItem = Record<string, unknown>;

/** The transaction items that move every kept sum and term from `before` (null: the PO was never counted) to `after`. */
export function moves(table: string, po: Pick<PurchaseOrder, 'id' | 'createdAt'>, before: Kept | null, after: Kept): TransactItem[] {
  const items: TransactItem[] = [];
  const add = (key: Record<string, string>, deltas: Map<string, number>) => {
    const changed = [...deltas].filter(([, delta]) => delta !== 0);
    if (!changed.length) return;
    items.push({
      Update: {
        TableName: table,
        Key: key,
        UpdateExpression: `ADD ${changed.map((_, i) => `#n${i} :d${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(changed.map(([name], i) => [`#n${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(changed.map(([, delta], i) => [`:d${i}`, delta])),
      },
    });
  };
  const bump = (map: Map<string, number>, name: string, delta: number) => map.set(name, (map.get(name) ?? 0) + delta);

  const counts = new Map<string, number>();
  for (const [kept, sign] of [[before, -1], [after, 1]] as const) {
    if (!kept) continue;
    if (kept.status) bump(counts, kept.status, sign);
    if (kept.toShip) bump(counts, 'to_ship', sign);
    if (kept.attention) bump(counts, 'attention', sign);
  }
  add(countsKey(shardOf(po.id)), counts);

  const overdue = new Map<string, Map<string, number>>();
  for (const [kept, sign] of [[before, -1], [after, 1]] as const) if (kept?.overdue) bump((overdue.get(kept.customer) ?? overdue.set(kept.customer, new Map()).get(kept.customer)!), 'n', sign);
  for (const [customer, deltas] of overdue) add(overdueKey(customer), deltas);

  const days = new Map<string, Map<string, number>>();
  for (const [kept, sign] of [[before, -1], [after, 1]] as const) {
    if (!kept?.receivable) continue;
    const sk = `DUE#${kept.receivable.due}#${kept.receivable.currency}`;
    const deltas = days.get(sk) ?? days.set(sk, new Map()).get(sk)!;
    bump(deltas, 'owed', sign * kept.receivable.owed);
    bump(deltas, 'n', sign);
  }
  for (const [sk, deltas] of days) add({ pk: RECEIVABLES, sk }, deltas);

  // Most overdue first: the earliest due date leads; an invoice without one yet comes last.
  const receivableKey = { pk: poKey(po.id).pk, sk: 'RECEIVABLE' };
  if (after.receivable && after.receivable.due !== before?.receivable?.due) {
    items.push({ Put: { TableName: table, Item: { ...receivableKey, listKey: RECEIVABLE, listSort: `${after.receivable.due === 'none' ? '9999-12-31' : after.receivable.due}#${po.id}` } } });
  }
  if (before?.receivable && !after.receivable) items.push({ Delete: { TableName: table, Key: receivableKey } });

  const had = new Set(before?.terms ?? []);
  const has = new Set(after.terms);
  for (const term of had) if (!has.has(term)) items.push({ Delete: { TableName: table, Key: { pk: poKey(po.id).pk, sk: `TERM#${term}` } } });
  for (const term of has) if (!had.has(term)) items.push({ Put: { TableName: table, Item: termItem(po, term) } });
  return items;
}

/** A search term's item: its `listSort` orders the POs of a term newest first. */
export function termItem(po: Pick<PurchaseOrder, 'id' | 'createdAt'>, term: string) {
  const newestFirst = String(9_999_999_999_999 - Date.parse(po.createdAt)).padStart(13, '0');
  return { pk: poKey(po.id).pk, sk: `TERM#${term}`, listKey: `TERM#${term.slice(0, 2)}`, listSort: `${term}#${newestFirst}#${po.id}` };
}

/** Whether a write failed on its condition (alone or in a transaction). */
export const failedOnCondition = (error: unknown) =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');

const conflicted = (error: unknown) =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');

/**
 * A write of a PO with the items that move what it adds, in one transaction (alone when nothing
 * moves). A transaction cancelled by another one on the same counter is tried again, a few times,
 * after a short random pause; a failed condition is the caller's.
 */
export async function writeWithMoves(db: DynamoDBDocumentClient, write: { Put: PutCommandInput } | { Update: UpdateCommandInput }, items: TransactItem[]): Promise<void> {
  if (!items.length) {
    if ('Put' in write) await db.send(new PutCommand(write.Put));
    else await db.send(new UpdateCommand(write.Update));
    return;
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: [write as never, ...(items as never[])] }));
      return;
    } catch (error) {
      if (!conflicted(error) || failedOnCondition(error) || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20 * 2 ** Math.min(attempt, 4)));
    }
  }
}

/** The counts of every shard, summed: POs per open status, `to_ship` and `attention`. */
export async function readCounts(db: DynamoDBDocumentClient, table: string): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  let keys: Record<string, unknown>[] = Array.from({ length: COUNT_SHARDS }, (_, shard) => countsKey(shard));
  for (let attempt = 0; keys.length && attempt < 5; attempt += 1) {
    const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    for (const item of Responses?.[table] ?? []) {
      for (const [name, value] of Object.entries(item)) if (typeof value === 'number') sums[name] = (sums[name] ?? 0) + value;
    }
    keys = UnprocessedKeys?.[table]?.Keys ?? [];
  }
  return sums;
}

/** The marker of the sweep that counts POs stored before the sums were kept (see countKept). */
export const keptMarker = { pk: 'MIGRATION', sk: 'kept' };
const keptComplete = new Set<string>();

/** Whether every PO of the table is counted into the kept sums and search (once so, it stays so: each container reads the marker until then). */
export async function keptReady(db: DynamoDBDocumentClient, table: string): Promise<boolean> {
  if (keptComplete.has(table)) return true;
  if (!(await db.send(new GetCommand({ TableName: table, Key: keptMarker }))).Item) return false;
  keptComplete.add(table);
  return true;
}
