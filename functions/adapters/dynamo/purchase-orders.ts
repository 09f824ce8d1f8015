import { type Status, statuses } from '../../../contract/purchase-order.js';
import { GetCommand, QueryCommand, type QueryCommandInput, type QueryCommandOutput, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { exposureBefore, exposureKey, exposureMarker, failedOnCondition, moveExposure, writeWithExposure } from './exposure.js';
import { isConditionFailure, poKey, TableStore } from './table.js';
import { upgradePurchaseOrder } from './upgrade.js';
import { AlreadyExistsError, ConcurrentUpdateError, InvalidCursorError } from '../../app/errors.js';
import type { PurchaseOrderStore, StoredPurchaseOrder } from '../../app/ports.js';
import { exposureOf, type OpenPurchaseOrder } from '../../domain/credit.js';
import { needsFinanceSince, type PurchaseOrder, searchTextOf, terminalStatuses } from '../../domain/purchase-order/index.js';

/** The one key of the sparse index of POs that are owed a signal (few at any time, seconds each). */
const OWED = 'OWED';
/** The one key of the sparse index of POs whose workflow waits for finance (few, until resumed). */
const ATTENTION = 'ATTENTION';

/** The fields of an open PO that credit control reads, as a projection (every name a placeholder: some are reserved words). */
const openPoProjection = (() => {
  const paths = ['id', 'reference', 'status', 'currency', 'total', 'createdAt', 'payment.amountDue', 'payment.amountPaid', 'payment.dueDate', 'customer.company'].map((path) => `po.${path}`.split('.'));
  const names = [...new Set(paths.flat())];
  const placeholder = (name: string) => `#p${names.indexOf(name)}`;
  return {
    ProjectionExpression: paths.map((path) => path.map(placeholder).join('.')).join(', '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name) => [placeholder(name), name])),
  };
})();

export class DynamoPurchaseOrderStore extends TableStore implements PurchaseOrderStore {
  async get(id: string): Promise<StoredPurchaseOrder | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: poKey(id), ConsistentRead: true }));
    return Item ? toStored(Item) : null;
  }

  async create(po: PurchaseOrder): Promise<void> {
    const exposure = exposureOf(po);
    try {
      await writeWithExposure(this.db, this.table, po, exposure, {
        Put: { TableName: this.table, Item: { ...poKey(po.id), ...indexed(po), exposure, po }, ConditionExpression: 'attribute_not_exists(pk)' },
      });
    } catch (error) {
      if (isConditionFailure(error) || failedOnCondition(error)) throw new AlreadyExistsError(`purchase order ${po.id} exists`);
      throw error;
    }
  }

  async save(po: PurchaseOrder, expectedVersion: number, parkedToken: string | null): Promise<StoredPurchaseOrder> {
    const index = indexed(po);
    // With a workflow parked on the PO, the write turns its token into a signal owed, in the same
    // write: a crash before the signal leaves it on record for the reconciler, never lost.
    const owe = parkedToken !== null;
    const open = index.customerKey !== undefined;
    const attention = needsFinanceSince(po);
    const removed = [...(owe ? ['waitToken'] : []), ...(attention ? [] : ['attentionKey', 'attentionSince']), ...(open ? [] : ['customerKey', 'customerSince'])];
    // What the PO adds to its customer's exposure moves with it, in the same transaction.
    const before = await exposureBefore(this.db, this.table, poKey(po.id));
    if (!before || before.version !== expectedVersion) throw new ConcurrentUpdateError(`purchase order ${po.id} changed concurrently`);
    const exposure = exposureOf(po);
    const delta = exposure - (before.exposure ?? 0);
    try {
      await writeWithExposure(this.db, this.table, po, delta, {
        Update: {
          TableName: this.table,
          Key: poKey(po.id),
          UpdateExpression: [
            `SET po = :po, version = :version, #status = :status, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, searchText = :searchText, exposure = :exposure`,
            owe ? ', owedToken = :token, owedKey = :owedKey, owedSince = :at' : '',
            attention ? ', attentionKey = :attentionKey, attentionSince = :attentionSince' : '',
            open ? ', customerKey = :customerKey, customerSince = :customerSince' : '',
            removed.length ? ` REMOVE ${removed.join(', ')}` : '',
          ].join(''),
          ConditionExpression: `version = :expected AND ${owe ? 'waitToken = :token' : 'attribute_not_exists(waitToken)'}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':po': po,
            ':exposure': exposure,
            ':version': po.version,
            ':status': po.status,
            ':gsi1pk': index.gsi1pk,
            ':gsi1sk': index.gsi1sk,
            ':searchText': index.searchText,
            ':expected': expectedVersion,
            ...(owe ? { ':token': parkedToken, ':owedKey': OWED, ':at': po.updatedAt } : {}),
            ...(attention ? { ':attentionKey': ATTENTION, ':attentionSince': `${attention}#${po.id}` } : {}),
            ...(open ? { ':customerKey': index.customerKey, ':customerSince': index.customerSince } : {}),
          },
        },
      });
      return { po, waitToken: parkedToken, owedToken: parkedToken };
    } catch (error) {
      if (isConditionFailure(error) || failedOnCondition(error)) throw new ConcurrentUpdateError(`purchase order ${po.id} changed concurrently`);
      throw error;
    }
  }

  async settleSignal(id: string, token: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: poKey(id),
          UpdateExpression: 'REMOVE owedToken, owedKey, owedSince',
          ConditionExpression: 'owedToken = :token',
          ExpressionAttributeValues: { ':token': token },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // a newer signal is owed, or this one was settled
    }
  }

  async needingAttention(limit: number): Promise<PurchaseOrder[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'needsAttention',
        KeyConditionExpression: 'attentionKey = :attention',
        ExpressionAttributeValues: { ':attention': ATTENTION },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => upgradePurchaseOrder(item.po));
  }

  async owedSignals(before: string, limit: number): Promise<string[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'signalsOwed',
        KeyConditionExpression: 'owedKey = :owed AND owedSince < :before',
        ExpressionAttributeValues: { ':owed': OWED, ':before': before },
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => String(item.pk).slice('PO#'.length));
  }

  async listByStatus(status: Status, limit: number, cursor?: string): Promise<{ items: PurchaseOrder[]; cursor: string | null }> {
    const { Items, LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :status',
        ExpressionAttributeValues: { ':status': `STATUS#${status}` },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: startKeyOf(cursor, `STATUS#${status}`) } : {}),
      }),
    );
    return {
      items: (Items ?? []).map((item) => upgradePurchaseOrder(item.po)),
      cursor: LastEvaluatedKey ? Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') : null,
    };
  }

  /** Every page of a query, one after the other, until the caller stops asking. */
  private async *pages(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<QueryCommandOutput> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.table, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      yield page;
      start = page.LastEvaluatedKey;
    } while (start);
  }

  async countByStatus(status: Status): Promise<number> {
    let count = 0;
    for await (const page of this.pages({
      IndexName: 'byStatus',
      KeyConditionExpression: 'gsi1pk = :status',
      ExpressionAttributeValues: { ':status': `STATUS#${status}` },
      Select: 'COUNT',
    })) {
      count += page.Count ?? 0;
    }
    return count;
  }

  /**
   * POs whose reference, buyer's PO number, company, customer id or email contains `text` (any case),
   * newest first. A filtered scan of the PO items, read a bounded number of pages: a back office's
   * search over thousands of POs, not an index for millions.
   */
  async search(text: string, limit: number): Promise<PurchaseOrder[]> {
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

  /**
   * An execution is never older than its PO, so the candidates are the open POs created before
   * `before` (the status index, no index of its own); of those, the ones whose waiting execution
   * started before it. Run every few minutes by the reconciler: a handful of queries that find
   * nothing on most days.
   */
  async longWaits(before: string, limit: number): Promise<{ id: string; token: string }[]> {
    const found: { id: string; token: string }[] = [];
    for (const status of statuses.filter((s) => !terminalStatuses.has(s))) {
      for await (const page of this.pages({
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :status AND gsi1sk < :before',
        FilterExpression: 'workflowSince < :before AND attribute_exists(waitToken)',
        ExpressionAttributeValues: { ':status': `STATUS#${status}`, ':before': before },
      })) {
        for (const item of page.Items ?? []) found.push({ id: String(item.pk).slice('PO#'.length), token: String(item.waitToken) });
        if (found.length >= limit) return found.slice(0, limit);
      }
    }
    return found;
  }

  async openForCustomer(customerId: string): Promise<OpenPurchaseOrder[]> {
    return this.openPos({ IndexName: 'openByCustomer', KeyConditionExpression: 'customerKey = :customer', ExpressionAttributeValues: { ':customer': `CUSTOMER#${customerId}` } });
  }

  async overdueForCustomer(customerId: string): Promise<OpenPurchaseOrder[]> {
    return this.openPos({
      IndexName: 'byStatus',
      KeyConditionExpression: 'gsi1pk = :status',
      FilterExpression: 'po.customer.id = :customer',
      ExpressionAttributeValues: { ':status': 'STATUS#overdue', ':customer': customerId },
    });
  }

  /** Every page of a query of POs, with only what credit control reads: a PO's history and lines stay in the table, not on the wire. */
  private async openPos(query: Pick<QueryCommandInput, 'IndexName' | 'KeyConditionExpression' | 'FilterExpression' | 'ExpressionAttributeValues'>): Promise<OpenPurchaseOrder[]> {
    const found: OpenPurchaseOrder[] = [];
    for await (const page of this.pages({ ...query, ...openPoProjection })) found.push(...(page.Items ?? []).map((item) => item.po as OpenPurchaseOrder));
    return found;
  }

  /**
   * Open POs written before the `openByCustomer` index existed lack its keys, so credit control
   * would not see them: gives them their keys, at most `limit` a run (each only if unchanged since
   * read; a change writes the keys itself).
   */
  indexOpenByCustomer(limit: number): Promise<number> {
    return this.sweepOpen('openByCustomer', 'customerKey', limit, async (po) => {
      const keys = indexed(po);
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: poKey(po.id),
          UpdateExpression: 'SET customerKey = :customerKey, customerSince = :customerSince',
          ConditionExpression: 'version = :version AND attribute_not_exists(customerKey)',
          ExpressionAttributeValues: { ':customerKey': keys.customerKey, ':customerSince': keys.customerSince, ':version': po.version },
        }),
      );
    });
  }

  /** Once every PO is counted in (the marker is there), it stays so: each container reads the marker once. */
  private exposureComplete = false;

  async exposure(customerId: string, currency: string): Promise<number | null> {
    if (!this.exposureComplete) {
      this.exposureComplete = Boolean((await this.db.send(new GetCommand({ TableName: this.table, Key: exposureMarker }))).Item);
      if (!this.exposureComplete) return null;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: exposureKey(customerId, currency), ConsistentRead: true }));
    return Number(Item?.owed ?? 0);
  }

  /**
   * Open POs stored before the exposure was kept: counts each in (its `exposure` set and the sum
   * moved in one transaction, only if unchanged since read), at most `limit` a run.
   */
  countExposure(limit: number): Promise<number> {
    return this.sweepOpen(exposureMarker.sk, 'exposure', limit, async (po) => {
      const exposure = exposureOf(po);
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: poKey(po.id),
                UpdateExpression: 'SET exposure = :exposure',
                ConditionExpression: 'version = :version AND attribute_not_exists(exposure)',
                ExpressionAttributeValues: { ':exposure': exposure, ':version': po.version },
              },
            },
            moveExposure(this.table, po, exposure),
          ],
        }),
      );
    });
  }

  /**
   * A sweep over the open POs that lack an attribute older versions did not write: `give` writes it
   * to each (conditionally: a PO changed since read is skipped, its change wrote it), at most `limit`
   * a run. Once a run finds none left, the marker `MIGRATION/<name>` says so and later runs cost one read.
   */
  private async sweepOpen(name: string, attribute: string, limit: number, give: (po: PurchaseOrder) => Promise<void>): Promise<number> {
    const marker = { pk: 'MIGRATION', sk: name };
    if ((await this.db.send(new GetCommand({ TableName: this.table, Key: marker }))).Item) return 0;
    let given = 0;
    for (const status of statuses.filter((s) => !terminalStatuses.has(s))) {
      for await (const page of this.pages({
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :status',
        FilterExpression: 'attribute_not_exists(#attribute)',
        ExpressionAttributeNames: { '#attribute': attribute },
        ExpressionAttributeValues: { ':status': `STATUS#${status}` },
      })) {
        for (const item of page.Items ?? []) {
          if (given >= limit) return given;
          try {
            await give(upgradePurchaseOrder(item.po));
            given += 1;
          } catch (error) {
            if (!isConditionFailure(error) && !failedOnCondition(error)) throw error;
          }
        }
      }
    }
    await this.db.send(new UpdateCommand({ TableName: this.table, Key: marker, UpdateExpression: 'SET doneAt = :at', ExpressionAttributeValues: { ':at': new Date().toISOString() } }));
    return given;
  }

  async registerWait(id: string, token: string, atVersion: number, since?: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: poKey(id),
          UpdateExpression: since ? 'SET waitToken = :token, workflowSince = :since' : 'SET waitToken = :token',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':token': token, ':version': atVersion, ...(since ? { ':since': since } : {}) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/**
 * A paging token back into the index's start key: exactly the four string keys we handed out, of
 * this query (a token of another status's list would make DynamoDB refuse the query).
 */
function startKeyOf(cursor: string, partition: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('nextToken is not valid');
  }
  const names = ['gsi1pk', 'gsi1sk', 'pk', 'sk'];
  const valid =
    key !== null &&
    typeof key === 'object' &&
    !Array.isArray(key) &&
    Object.keys(key).sort().join() === names.join() &&
    Object.values(key).every((value) => typeof value === 'string' && value.length > 0 && value.length <= 300) &&
    (key as Record<string, string>).gsi1pk === partition &&
    /^PO#[A-Za-z0-9_-]{1,64}$/.test((key as Record<string, string>).pk ?? '');
  if (!valid) throw new InvalidCursorError('nextToken is not valid');
  return key as Record<string, string>;
}

function indexed(po: PurchaseOrder) {
  const open = !terminalStatuses.has(po.status);
  return {
    version: po.version,
    status: po.status,
    gsi1pk: `STATUS#${po.status}`,
    gsi1sk: `${po.createdAt}#${po.id}`,
    searchText: searchTextOf(po),
    ...(open ? { customerKey: `CUSTOMER#${po.customer.id}`, customerSince: `${po.createdAt}#${po.id}` } : {}),
  };
}

function toStored(item: Record<string, unknown>): StoredPurchaseOrder {
  return { po: upgradePurchaseOrder(item.po), waitToken: (item.waitToken as string | undefined) ?? null, owedToken: (item.owedToken as string | undefined) ?? null };
}
