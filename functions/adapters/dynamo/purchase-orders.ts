import { type Status, statuses } from '../../../contract/purchase-order.js';
import { GetCommand, QueryCommand, type QueryCommandInput, type QueryCommandOutput, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { failedOnCondition, keptMarker, keptOf, keptReady, listedKeys, moves, readCounts, writeWithMoves } from './aggregates.js';
import { exposureKey, exposureMarker, keptBefore, moveExposure, openPoProjection } from './exposure.js';
import { isConditionFailure, poKey, TableStore } from './table.js';
import { upgradePurchaseOrder } from './upgrade.js';
import { overdueCount, pageOf, receivableDays, receivablesPage, toShipPage } from './work-lists.js';
import { AlreadyExistsError, ConcurrentUpdateError } from '../../app/errors.js';
import type { Page, PurchaseOrderStore, ReceivableDay, StoredPurchaseOrder } from '../../app/ports.js';
import { exposureOf, type OpenPurchaseOrder } from '../../domain/credit.js';
import { hasSomethingToShip, needsFinanceSince, type PurchaseOrder, searchTextOf, terminalStatuses } from '../../domain/purchase-order/index.js';

/** The one key of the sparse index of POs that are owed a signal (few at any time, seconds each). */
const OWED = 'OWED';
/** The one key of the sparse index of POs whose workflow waits for finance (few, until resumed). */
const ATTENTION = 'ATTENTION';

export class DynamoPurchaseOrderStore extends TableStore implements PurchaseOrderStore {
  async get(id: string): Promise<StoredPurchaseOrder | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: poKey(id), ConsistentRead: true }));
    return Item ? toStored(Item) : null;
  }

  async create(po: PurchaseOrder): Promise<void> {
    const exposure = exposureOf(po);
    const kept = keptOf(po);
    try {
      await writeWithMoves(this.db, { Put: { TableName: this.table, Item: { ...poKey(po.id), ...indexed(po), ...listedKeys(po, kept).set, exposure, kept, po }, ConditionExpression: 'attribute_not_exists(pk)' } }, [
        ...(exposure ? [moveExposure(this.table, po, exposure)] : []),
        ...moves(this.table, po, null, kept),
      ]);
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
    const kept = keptOf(po);
    const listed = listedKeys(po, kept);
    const removed = [...(owe ? ['waitToken'] : []), ...(attention ? [] : ['attentionKey', 'attentionSince']), ...(open ? [] : ['customerKey', 'customerSince']), ...listed.remove];
    // What the PO adds to its customer's exposure, the counts, receivables and search move with it,
    // in the same transaction, by the difference from what its stored version added.
    const before = await keptBefore(this.db, this.table, poKey(po.id));
    if (!before || before.version !== expectedVersion) throw new ConcurrentUpdateError(`purchase order ${po.id} changed concurrently`);
    const exposure = exposureOf(po);
    const delta = exposure - (before.exposure ?? 0);
    const listedNames = Object.keys(listed.set);
    try {
      await writeWithMoves(
        this.db,
        {
          Update: {
            TableName: this.table,
            Key: poKey(po.id),
            UpdateExpression: [
              `SET po = :po, version = :version, #status = :status, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, searchText = :searchText, exposure = :exposure, kept = :kept`,
              ...listedNames.map((name) => `, ${name} = :${name}`),
              owe ? ', owedToken = :token, owedKey = :owedKey, owedSince = :at' : '',
              attention ? ', attentionKey = :attentionKey, attentionSince = :attentionSince' : '',
              open ? ', customerKey = :customerKey, customerSince = :customerSince' : '',
              removed.length ? ` REMOVE ${removed.join(', ')}` : '',
            ].join(''),
            // A PO read uncounted must still be so: a sweep counts it in without changing its version.
            ConditionExpression: `version = :expected AND ${owe ? 'waitToken = :token' : 'attribute_not_exists(waitToken)'}${before.exposure === null ? ' AND attribute_not_exists(exposure)' : ''}${before.kept === null ? ' AND attribute_not_exists(kept)' : ''}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':po': po,
              ':exposure': exposure,
              ':kept': kept,
              ':version': po.version,
              ':status': po.status,
              ':gsi1pk': index.gsi1pk,
              ':gsi1sk': index.gsi1sk,
              ':searchText': index.searchText,
              ':expected': expectedVersion,
              ...Object.fromEntries(listedNames.map((name) => [`:${name}`, listed.set[name]])),
              ...(owe ? { ':token': parkedToken, ':owedKey': OWED, ':at': po.updatedAt } : {}),
              ...(attention ? { ':attentionKey': ATTENTION, ':attentionSince': `${attention}#${po.id}` } : {}),
              ...(open ? { ':customerKey': index.customerKey, ':customerSince': index.customerSince } : {}),
            },
          },
        },
        [...(delta !== 0 ? [moveExposure(this.table, po, delta)] : []), ...moves(this.table, po, before.kept, kept)],
      );
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

  listByStatus(status: Status, limit: number, cursor?: string): Promise<Page<PurchaseOrder>> {
    const partition = `STATUS#${status}`;
    return pageOf(this.db, { TableName: this.table, IndexName: 'byStatus', KeyConditionExpression: 'gsi1pk = :status', ExpressionAttributeValues: { ':status': partition }, ScanIndexForward: false, Limit: limit }, ['gsi1pk', 'gsi1sk'], partition, cursor);
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

  async overdueCount(customerId: string): Promise<number> {
    if (await keptReady(this.db, this.table)) return overdueCount(this.db, this.table, customerId);
    // Until older POs are counted in: the customer's POs in the overdue queue.
    const overdue = await this.openPos({
      IndexName: 'byStatus',
      KeyConditionExpression: 'gsi1pk = :status',
      FilterExpression: 'po.customer.id = :customer',
      ExpressionAttributeValues: { ':status': 'STATUS#overdue', ':customer': customerId },
    });
    return overdue.length;
  }

  async queueCounts(): Promise<Record<string, number>> {
    if (await keptReady(this.db, this.table)) return readCounts(this.db, this.table);
    // Until older POs are counted in: each count read from its index, as before the counts were kept.
    const counts: Record<string, number> = {};
    for (const status of statuses.filter((s) => !terminalStatuses.has(s))) counts[status] = await this.countByStatus(status);
    let toShip = 0;
    for (const status of ['ordered', 'deferred', 'overdue'] as const) {
      for await (const page of this.pages({ IndexName: 'byStatus', KeyConditionExpression: 'gsi1pk = :status', ExpressionAttributeValues: { ':status': `STATUS#${status}` } })) {
        toShip += (page.Items ?? []).filter((item) => hasSomethingToShip(upgradePurchaseOrder(item.po))).length;
      }
    }
    return { ...counts, to_ship: toShip, attention: (await this.needingAttention(100)).length };
  }

  listToShip(limit: number, cursor?: string): Promise<Page<PurchaseOrder>> {
    return toShipPage(this.db, this.table, limit, cursor);
  }

  listReceivables(limit: number, cursor?: string): Promise<Page<PurchaseOrder>> {
    return receivablesPage(this.db, this.table, limit, cursor);
  }

  receivableDays(): Promise<ReceivableDay[]> {
    return receivableDays(this.db, this.table);
  }

  /**
   * POs stored before the counts, lists and search terms were kept: counts each in (its `kept` set,
   * its list keys and terms written and the sums moved, in one transaction, only if unchanged since
   * read), at most `limit` a run, closed POs too (search finds them).
   */
  countKept(limit: number): Promise<number> {
    return this.sweep(keptMarker.sk, 'kept', statuses, limit, async (po) => {
      const kept = keptOf(po);
      await this.countIn(po, 'kept', { kept, ...listedKeys(po, kept).set }, moves(this.table, po, null, kept));
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
      await this.countIn(po, 'exposure', { exposure }, [moveExposure(this.table, po, exposure)]);
    });
  }

  /** Sets `values` on a PO not yet counted (no `attribute`) and unchanged since read, and moves the sums with it, in one transaction. */
  private async countIn(po: PurchaseOrder, attribute: string, values: Record<string, unknown>, items: object[]): Promise<void> {
    const names = Object.keys(values);
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.table,
              Key: poKey(po.id),
              UpdateExpression: `SET ${names.map((name) => `${name} = :${name}`).join(', ')}`,
              ConditionExpression: `version = :version AND attribute_not_exists(${attribute})`,
              ExpressionAttributeValues: { ':version': po.version, ...Object.fromEntries(names.map((name) => [`:${name}`, values[name]])) },
            },
          },
          ...(items as never[]),
        ],
      }),
    );
  }

  /**
   * A sweep over the open POs that lack an attribute older versions did not write: `give` writes it
   * to each (conditionally: a PO changed since read is skipped, its change wrote it), at most `limit`
   * a run. Once a run finds none left, the marker `MIGRATION/<name>` says so and later runs cost one read.
   */
  private sweepOpen(name: string, attribute: string, limit: number, give: (po: PurchaseOrder) => Promise<void>): Promise<number> {
    return this.sweep(name, attribute, statuses.filter((s) => !terminalStatuses.has(s)), limit, give);
  }

  /** The same sweep over the POs in these statuses. */
  private async sweep(name: string, attribute: string, among: readonly Status[], limit: number, give: (po: PurchaseOrder) => Promise<void>): Promise<number> {
    const marker = { pk: 'MIGRATION', sk: name };
    if ((await this.db.send(new GetCommand({ TableName: this.table, Key: marker }))).Item) return 0;
    let given = 0;
    for (const status of among) {
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
