import type { LocalTable } from './assembly.js';

type Item = Record<string, Record<string, unknown>>;

/**
 * Eventual consistency on demand: DynamoDB Local, like dynalite before it, answers every read with
 * the latest write, which DynamoDB does only for strongly consistent reads of the base table. With a
 * lag set (`POST /_local/dynamodb {"indexLagMs": 300}` or `PO_INDEX_LAG_MS`), the front door hides
 * an item written less than that long ago from what DynamoDB may serve stale: every index query,
 * and base-table reads (GetItem, Query) without `ConsistentRead`. A hidden item reads as not there
 * yet; DynamoDB could also serve its previous version, which this does not keep.
 */
export class IndexLag {
  private lagMs: number;
  private readonly written = new Map<string, number>();

  constructor(
    private readonly tables: LocalTable[],
    lagMs = 0,
  ) {
    this.lagMs = lagMs;
  }

  get ms(): number {
    return this.lagMs;
  }

  set(ms: number): void {
    this.lagMs = ms;
    this.written.clear();
  }

  /** Notes the items a write touches (before it is passed on). */
  noteWrite(operation: string, body: Record<string, unknown>): void {
    if (!this.lagMs) return;
    const now = Date.now();
    const note = (table: unknown, item: unknown) => {
      const key = this.keyOf(String(table ?? ''), item as Item | undefined);
      if (key) this.written.set(key, now);
    };
    if (operation === 'PutItem') note(body.TableName, body.Item);
    else if (operation === 'UpdateItem' || operation === 'DeleteItem') note(body.TableName, body.Key);
    else if (operation === 'BatchWriteItem') {
      for (const [table, requests] of Object.entries((body.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>)) {
        for (const request of requests) note(table, request.PutRequest?.Item ?? request.DeleteRequest?.Key);
      }
    } else if (operation === 'TransactWriteItems') {
      for (const entry of (body.TransactItems ?? []) as Record<string, { TableName?: string; Item?: Item; Key?: Item }>[]) {
        for (const [kind, op] of Object.entries(entry)) if (kind !== 'ConditionCheck') note(op.TableName, op.Item ?? op.Key);
      }
    }
    if (this.written.size > 50_000) for (const [key, at] of this.written) if (now - at > this.lagMs) this.written.delete(key);
  }

  /** Whether this read may be served stale: its answer then goes through `hide`. */
  mayLag(operation: string, body: Record<string, unknown>): boolean {
    if (!this.lagMs) return false;
    if (operation === 'Query') return Boolean(body.IndexName) || body.ConsistentRead !== true;
    return operation === 'GetItem' && body.ConsistentRead !== true;
  }

  /** The read's answer without the items written within the lag. */
  hide(operation: string, body: Record<string, unknown>, answer: Record<string, unknown>): Record<string, unknown> {
    const now = Date.now();
    const table = String(body.TableName ?? '');
    const fresh = (item: Item | undefined) => {
      const key = this.keyOf(table, item);
      const at = key ? this.written.get(key) : undefined;
      return at !== undefined && now - at < this.lagMs;
    };
    if (operation === 'GetItem') return fresh(answer.Item as Item | undefined) ? {} : answer;
    const items = ((answer.Items ?? []) as Item[]).filter((item) => !fresh(item));
    return { ...answer, Items: items, Count: items.length };
  }

  /** The base table's key of an item (an index's items carry it too), as one string. */
  private keyOf(tableName: string, item: Item | undefined): string | undefined {
    const table = this.tables.find((t) => t.name === tableName);
    if (!table || !item) return undefined;
    return `${tableName}\n${table.keySchema.map((k) => JSON.stringify(item[k.AttributeName] ?? null)).join('\n')}`;
  }
}
