import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PoSearch } from '../../app/ports.js';
import { MIN_QUERY, normalizeSearch, type PoSummary, type PurchaseOrder } from '../../domain/purchase-order/index.js';
import { keptReady } from './aggregates.js';
import { upgradePurchaseOrder } from './upgrade.js';
import { poProjection } from './table.js';
import { batchRead, startKeyOf } from './work-lists.js';

const summaryProjection = poProjection(['id', 'reference', 'status', 'poNumber', 'currency', 'total', 'createdAt', 'customer.company']);

/**
 * Search from the lists index: each PO writes its search terms as items of its own (aggregates.ts),
 * listed under their first two characters and sorted by term, then newest first.
 * A query reads one page of the index and the POs it names: the same cost at any size. A seller
 * who needs more than prefixes (any word, typos, ranking) puts a search service behind this port
 * (see docs/design.md); nothing else changes.
 */
export class DynamoTermSearch implements PoSearch {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async search(query: string, limit: number, cursor?: string): Promise<Page<PoSummary>> {
    const wanted = normalizeSearch(query);
    if (wanted.length < MIN_QUERY) return { items: [], cursor: null };
    if (!(await keptReady(this.db, this.table))) return { items: await this.scan(query, limit), cursor: null };
    const partition = `TERM#${wanted.slice(0, 2)}`;
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined = cursor ? startKeyOf(cursor, ['listKey', 'listSort'], partition) : undefined;
    let last: Record<string, unknown> | undefined;
    let more = false;
    // A PO may match by more than one term: pages are read until `limit` POs, the end, or a few rounds.
    for (let round = 0; round < 4; round += 1) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'lists',
          // The range of sort keys that begin with the query: what begins_with means, as a range
          // DynamoDB Local reads from its index too (its begins_with reads the whole list).
          KeyConditionExpression: 'listKey = :key AND listSort BETWEEN :wanted AND :past',
          ExpressionAttributeValues: { ':key': partition, ':wanted': wanted, ':past': `${wanted}\u{10FFFF}` },
          Limit: limit + 1,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const id = String(item.pk).slice('PO#'.length);
        if (!ids.includes(id)) {
          if (ids.length === limit) {
            more = true;
            break;
          }
          ids.push(id);
        }
        last = { listKey: item.listKey, listSort: item.listSort, pk: item.pk, sk: item.sk };
      }
      if (more || !page.LastEvaluatedKey) break;
      start = page.LastEvaluatedKey;
      more = round === 3;
    }
    const next = more && last ? Buffer.from(JSON.stringify(last)).toString('base64url') : null;
    // What the result list shows of each PO: a projection, not the PO's lines and history.
    return { items: await batchRead(this.db, this.table, ids, summaryProjection, (po: PoSummary) => ({ ...po, poNumber: po.poNumber ?? null })), cursor: next };
  }

  /**
   * Until every older PO has its terms (the sweep's marker), a filtered scan of the PO items, of a
   * bounded number of pages, as search was before the index.
   */
  private async scan(text: string, limit: number): Promise<PurchaseOrder[]> {
    const found: PurchaseOrder[] = [];
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < 50; page += 1) {
      const result = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'sk = :po AND contains(searchText, :text)',
          ExpressionAttributeValues: { ':po': 'PO', ':text': text.toLowerCase() },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...(result.Items ?? []).map((item) => upgradePurchaseOrder(item.po)));
      start = result.LastEvaluatedKey;
      if (!start) break;
    }
    return found.sort((a, b) => (`${b.createdAt}#${b.id}` > `${a.createdAt}#${a.id}` ? 1 : -1)).slice(0, limit);
  }
}
