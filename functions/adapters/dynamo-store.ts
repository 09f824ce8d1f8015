import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { OpenPurchaseOrder } from '../domain/credit.js';
import { defaultPolicy, policySchema, type Policy } from '../../contract/policy.js';
import { searchTextOf, terminalStatuses, type PurchaseOrder } from '../domain/purchase-order.js';
import { statuses, type Status } from '../../contract/purchase-order.js';
import { AlreadyExistsError, ConcurrentUpdateError, InvalidCursorError } from '../app/errors.js';
import {
  type DocumentStore,
  type IdempotencyRecord,
  type IdempotencyStore,
  type NumberSeries,
  type PolicyStore,
  type PurchaseOrderStore,
  type ReviewRecord,
  type ReviewStore,
  type StoredDocument,
  type StoredPurchaseOrder,
} from '../app/ports.js';

/**
 * The single table. Every item has `pk` and `sk`; POs also carry `gsi1pk`/`gsi1sk` (status, newest
 * first) for finance's queues, and while a signal to their workflow is owed, `owedKey`/`owedSince`
 * (the sparse index `signalsOwed`, read by the reconciler), and while their workflow waits for
 * finance after a failed step, `attentionKey`/`attentionSince` (the sparse index `needsAttention`), and
 * while they are open (not rejected, completed or cancelled), `customerKey`/`customerSince` (the
 * sparse index `openByCustomer`: a customer's credit account). Every write that can race is a
 * single-item conditional write.
 *
 *   PO#<id>            PO                the purchase order (version, status, the parked task token, a signal owed)
 *   PO#<id>            DOC#<docId>       an issued document and its PDF
 *   PO#<id>            NUM#<series>      the number of a series this PO holds
 *   PO#<id>            EMAIL#<key>       an email that was sent (so a retry sends none)
 *   REVIEW#<reviewId>  REVIEW            a review link: nonce (not the secret), expiry, decided
 *   IDEM#<key>         IDEM              an Idempotency-Key of placement
 *   SERIES#<s>#<year>  SERIES            the last number of a gapless series and the PO that claimed it
 *   COUNTER#<s>#<year> COUNTER           the last number of a series that may have gaps (PO references)
 *   POLICY             POLICY            the seller's policy
 */

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

export const poKey = (id: string) => ({ pk: `PO#${id}`, sk: 'PO' });

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

export class DynamoPurchaseOrderStore implements PurchaseOrderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<StoredPurchaseOrder | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: poKey(id), ConsistentRead: true }));
    return Item ? toStored(Item) : null;
  }

  async create(po: PurchaseOrder): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...poKey(po.id), ...indexed(po), po },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new AlreadyExistsError(`purchase order ${po.id} exists`);
      throw error;
    }
  }

  async save(po: PurchaseOrder, expectedVersion: number, parkedToken: string | null): Promise<StoredPurchaseOrder> {
    const index = indexed(po);
    // With a workflow parked on the PO, the write turns its token into a signal owed, in the same
    // write: a crash before the signal leaves it on record for the reconciler, never lost.
    const owe = parkedToken !== null;
    const open = index.customerKey !== undefined;
    const removed = [...(owe ? ['waitToken'] : []), ...(po.attention ? [] : ['attentionKey', 'attentionSince']), ...(open ? [] : ['customerKey', 'customerSince'])];
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: poKey(po.id),
          UpdateExpression: [
            `SET po = :po, version = :version, #status = :status, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, searchText = :searchText`,
            owe ? ', owedToken = :token, owedKey = :owedKey, owedSince = :at' : '',
            po.attention ? ', attentionKey = :attentionKey, attentionSince = :attentionSince' : '',
            open ? ', customerKey = :customerKey, customerSince = :customerSince' : '',
            removed.length ? ` REMOVE ${removed.join(', ')}` : '',
          ].join(''),
          ConditionExpression: `version = :expected AND ${owe ? 'waitToken = :token' : 'attribute_not_exists(waitToken)'}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':po': po,
            ':version': po.version,
            ':status': po.status,
            ':gsi1pk': index.gsi1pk,
            ':gsi1sk': index.gsi1sk,
            ':searchText': index.searchText,
            ':expected': expectedVersion,
            ...(owe ? { ':token': parkedToken, ':owedKey': OWED, ':at': po.updatedAt } : {}),
            ...(po.attention ? { ':attentionKey': ATTENTION, ':attentionSince': `${po.attention.since}#${po.id}` } : {}),
            ...(open ? { ':customerKey': index.customerKey, ':customerSince': index.customerSince } : {}),
          },
        }),
      );
      return { po, waitToken: parkedToken, owedToken: parkedToken };
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentUpdateError(`purchase order ${po.id} changed concurrently`);
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
    return (Items ?? []).map((item) => item.po as PurchaseOrder);
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
        ...(cursor ? { ExclusiveStartKey: startKeyOf(cursor) } : {}),
      }),
    );
    return {
      items: (Items ?? []).map((item) => item.po as PurchaseOrder),
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
      found.push(...(result.Items ?? []).map((item) => item.po as PurchaseOrder));
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
   * read; a change writes the keys itself). Once a run finds none left, a marker item says so and
   * later runs cost one read.
   */
  async indexOpenByCustomer(limit: number): Promise<number> {
    const marker = { pk: 'MIGRATION', sk: 'openByCustomer' };
    if ((await this.db.send(new GetCommand({ TableName: this.table, Key: marker }))).Item) return 0;
    let added = 0;
    for (const status of statuses.filter((s) => !terminalStatuses.has(s))) {
      for await (const page of this.pages({
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :status',
        FilterExpression: 'attribute_not_exists(customerKey)',
        ExpressionAttributeValues: { ':status': `STATUS#${status}` },
      })) {
        for (const item of page.Items ?? []) {
          if (added >= limit) return added;
          const po = item.po as PurchaseOrder;
          const keys = indexed(po);
          try {
            await this.db.send(
              new UpdateCommand({
                TableName: this.table,
                Key: poKey(po.id),
                UpdateExpression: 'SET customerKey = :customerKey, customerSince = :customerSince',
                ConditionExpression: 'version = :version AND attribute_not_exists(customerKey)',
                ExpressionAttributeValues: { ':customerKey': keys.customerKey, ':customerSince': keys.customerSince, ':version': po.version },
              }),
            );
            added += 1;
          } catch (error) {
            if (!isConditionFailure(error)) throw error;
          }
        }
      }
    }
    await this.db.send(new UpdateCommand({ TableName: this.table, Key: marker, UpdateExpression: 'SET doneAt = :at', ExpressionAttributeValues: { ':at': new Date().toISOString() } }));
    return added;
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

/** A paging token back into the index's start key: exactly the four string keys we handed out. */
function startKeyOf(cursor: string): Record<string, string> {
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
    Object.values(key).every((value) => typeof value === 'string' && value.length > 0 && value.length <= 300);
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
  return { po: item.po as PurchaseOrder, waitToken: (item.waitToken as string | undefined) ?? null, owedToken: (item.owedToken as string | undefined) ?? null };
}

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(key: string) {
    return { pk: `IDEM#${key}`, sk: 'IDEM' };
  }

  async claim(record: IdempotencyRecord): Promise<IdempotencyRecord | null> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...this.key(record.key), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return null;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: this.key(record.key), ConsistentRead: true }));
      return Item as IdempotencyRecord;
    }
  }

  async takeOver(record: IdempotencyRecord, previousStartedAt: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(record.key),
          UpdateExpression: 'SET startedAt = :now',
          ConditionExpression: '#state = :inFlight AND startedAt = :previous',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':now': record.startedAt, ':inFlight': 'in_flight', ':previous': previousStartedAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(key: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: this.key(key),
        ConditionExpression: '#state = :inFlight',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':inFlight': 'in_flight' },
      }),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  async complete(key: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(key),
        UpdateExpression: 'SET #state = :done',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );
  }
}

export class DynamoReviewStore implements ReviewStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(id: string) {
    return { pk: `REVIEW#${id}`, sk: 'REVIEW' };
  }

  async get(id: string): Promise<ReviewRecord | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: this.key(id), ConsistentRead: true }));
    if (!Item) return null;
    const { pk: _pk, sk: _sk, ...record } = Item;
    return record as ReviewRecord;
  }

  async create(record: ReviewRecord): Promise<ReviewRecord> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.table, Item: { ...this.key(record.id), ...record }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return record;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(record.id))!;
    }
  }

  async recordFailure(id: string): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(id),
        UpdateExpression: 'ADD failures :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.failures ?? 0);
  }

  async lockUntil(id: string, until: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({ TableName: this.table, Key: this.key(id), UpdateExpression: 'SET lockedUntil = :until', ExpressionAttributeValues: { ':until': until } }),
    );
  }

  async markDecided(id: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(id),
        UpdateExpression: 'SET decidedAt = if_not_exists(decidedAt, :at)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }
}

/**
 * Gapless numbering without transactions. The series item holds the last number and the PO that
 * claimed it. Before claiming the next number, a caller makes sure the previous claimer's number is
 * recorded on that PO (helping it if it crashed), so every number ends up with exactly one PO and a
 * retry by the same PO finds its number instead of taking another.
 */
export class DynamoNumberSeries implements NumberSeries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Fault injection for tests: runs right after a number is taken, before it is recorded on the PO. */
    private readonly afterTaking: (number: number) => void = () => {},
    /** How a claim waits before trying again after losing a number to another PO. */
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** The claim of this instance in progress per series and year; the next one waits its turn. */
  private readonly turns = new Map<string, Promise<void>>();
  /** The last number this instance took and recorded, per series and year. */
  private readonly recorded = new Map<string, { poId: string; number: number }>();

  /**
   * Takes the next number of a gapless series for a PO, or the one it already holds. Claims from
   * one instance (one container) take turns: racing each other they would only fail each other's
   * conditional writes. Claims from other containers race, and the conditional write settles it.
   */
  async claim(series: string, year: number, poId: string): Promise<number> {
    const key = `${series}#${year}`;
    const previous = this.turns.get(key) ?? Promise.resolve();
    let done!: () => void;
    const gate = new Promise<void>((resolve) => (done = resolve));
    const mine = previous.then(() => gate);
    this.turns.set(key, mine);
    await previous;
    try {
      return await this.claimRacing(series, year, poId, key);
    } finally {
      done();
      if (this.turns.get(key) === mine) this.turns.delete(key);
    }
  }

  private async claimRacing(series: string, year: number, poId: string, key: string): Promise<number> {
    const seriesKey = { pk: `SERIES#${series}#${year}`, sk: 'SERIES' };
    for (let attempt = 0; attempt < 100; attempt += 1) {
      // The series first, then the PO's own claim, in this order: if this PO took a number before
      // the series read (another run of its task, still going), then either it is still the last
      // (lastPo says so) or whoever took the next one recorded it first, and the second read sees it.
      // Read the other way round, or at once, a duplicate run could miss both and take a second number.
      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: seriesKey, ConsistentRead: true }));
      const held = await this.held(poId, series, year);
      if (held !== null) return held;
      const last = (Item?.last as number | undefined) ?? 0;
      const lastPo = Item?.lastPo as string | undefined;
      if (lastPo !== undefined) {
        // The PO that took the last number has normally recorded it already: this instance knows
        // when that PO was its own, a read says so otherwise, and only a PO that crashed in between
        // gets its number recorded by us (a write).
        const ownLast = this.recorded.get(key);
        const knownRecorded = ownLast?.poId === lastPo && ownLast.number === last;
        if (lastPo === poId || (!knownRecorded && (await this.held(lastPo, series, year)) === null)) await this.record(lastPo, series, year, last);
        if (lastPo === poId) return last;
      }
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: seriesKey,
            UpdateExpression: 'SET #last = :next, lastPo = :po',
            ConditionExpression: last === 0 ? 'attribute_not_exists(#last)' : '#last = :last',
            ExpressionAttributeNames: { '#last': 'last' },
            ExpressionAttributeValues: { ':next': last + 1, ':po': poId, ...(last === 0 ? {} : { ':last': last }) },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Another PO took this number: back off (full jitter) so that contenders spread out
        // instead of all re-reading and failing again.
        await this.pause(Math.random() * Math.min(200, 10 * 2 ** Math.min(attempt, 5)));
        continue;
      }
      this.afterTaking(last + 1);
      await this.record(poId, series, year, last + 1);
      this.recorded.set(key, { poId, number: last + 1 });
      return last + 1;
    }
    throw new Error(`could not claim a ${series} number after 100 attempts`);
  }

  async next(series: string, year: number): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `COUNTER#${series}#${year}`, sk: 'COUNTER' },
        UpdateExpression: 'ADD #last :one',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.last);
  }

  private async held(poId: string, series: string, year: number): Promise<number | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `PO#${poId}`, sk: `NUM#${series}#${year}` }, ConsistentRead: true }),
    );
    return (Item?.number as number | undefined) ?? null;
  }

  /** Records the number a PO took; recording it twice is fine, a different number is a broken series. */
  private async record(poId: string, series: string, year: number, number: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `PO#${poId}`, sk: `NUM#${series}#${year}`, number },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const held = await this.held(poId, series, year);
      if (held !== number) throw new Error(`${series} ${year}: purchase order ${poId} holds number ${held}, not ${number}`);
    }
  }
}

export class DynamoDocumentStore implements DocumentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(doc: StoredDocument): Promise<StoredDocument> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `PO#${doc.poId}`, sk: `DOC#${doc.id}`, ...doc },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return doc;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const kept = await this.get(doc.poId, doc.id);
      if (!kept) throw error;
      return kept;
    }
  }

  async get(poId: string, id: string): Promise<StoredDocument | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `PO#${poId}`, sk: `DOC#${id}` } }));
    if (!Item) return null;
    return { poId, id, type: Item.type, number: Item.number, pdf: Item.pdf as Uint8Array };
  }
}

const policyKey = { pk: 'POLICY', sk: 'POLICY' };

export class DynamoPolicyStore implements PolicyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(): Promise<Policy> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: policyKey, ConsistentRead: true }));
    return Item ? policySchema.parse(Item.policy) : defaultPolicy;
  }

  async put(policy: Policy): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...policyKey, policy } }));
  }
}

/** Marks that an email went out, so a retried task does not send it twice. */
export class DynamoSentEmails {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** What became of the email: null if it was never sent, else sent or refused (with SES's reason). */
  async outcome(poId: string, key: string): Promise<{ refused: string | null } | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `PO#${poId}`, sk: `EMAIL#${key}` }, ConsistentRead: true }),
    );
    return Item ? { refused: (Item.refused as string | undefined) ?? null } : null;
  }

  async markRefused(poId: string, key: string, reason: string, at: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: `PO#${poId}`, sk: `EMAIL#${key}`, refused: reason, at } }));
  }

  async markSent(poId: string, key: string, messageId: string, at: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: `PO#${poId}`, sk: `EMAIL#${key}`, messageId, at } }));
  }
}
