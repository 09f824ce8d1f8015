import { TableStore } from './table.js';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, InvalidCursorError } from '../../app/errors.js';
import type { Delivery, EventStore, WebhookEndpoint, WebhookStore } from '../../app/ports.js';
import type { PoEvent } from '../../domain/events.js';

/**
 * Events and webhooks in the single table (see table.ts):
 *
 *   PO#<id>              EVENT#<sequence>                 a published event (the sparse index `eventFeed`: feedKey/feedAt)
 *   WEBHOOKS             ENDPOINT#<id>                    a webhook endpoint, its secrets and whether it is failing
 *   WEBHOOK#<endpointId> DELIVERY#<startedAt>#<delivery>  a delivery of an event to the endpoint, as its last attempt left it
 *
 * The feed is one partition of the index, in the order events were published: a seller's events
 * number thousands a day, far below what one partition takes.
 */

const FEED = 'EVENTS';
const ENDPOINTS = 'WEBHOOKS';
const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;
const eventKey = (poId: string, sequence: number) => ({ pk: `PO#${poId}`, sk: `EVENT#${String(sequence).padStart(6, '0')}` });
const endpointKey = (id: string) => ({ pk: ENDPOINTS, sk: `ENDPOINT#${id}` });
const deliveryKey = (delivery: Pick<Delivery, 'endpointId' | 'createdAt' | 'id'>) => ({ pk: `WEBHOOK#${delivery.endpointId}`, sk: `DELIVERY#${delivery.createdAt}#${delivery.id}` });

export class DynamoEventStore extends TableStore implements EventStore {
  async put(event: PoEvent, publishedAt: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...eventKey(event.poId, event.sequence), feedKey: FEED, feedAt: feedPosition(publishedAt, event), event },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // published before: its place in the feed stays
    }
  }

  async get(poId: string, sequence: number): Promise<PoEvent | null> {
    // Consistent: a delivery starts right after the event is kept, and must find it.
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: eventKey(poId, sequence), ConsistentRead: true }));
    return Item ? (Item.event as PoEvent) : null;
  }

  async feed(cursor: string | null, limit: number, settledBefore: string): Promise<{ items: PoEvent[]; cursor: string | null }> {
    const page = await this.feedFrom('>', cursor === null ? null : feedPositionOf(cursor), limit);
    // The index is eventually consistent and publishers overlap: an event published a moment ago may
    // still land before one already seen. Only settled events are served, so a cursor never passes one.
    const unsettled = page.findIndex((item) => String(item.feedAt) >= settledBefore);
    const items = unsettled < 0 ? page : page.slice(0, unsettled);
    // The cursor is where this page ended: the next page starts after it, and a page that came back
    // empty hands back the cursor it was given, to be asked again later.
    const last = items.at(-1);
    return { items: items.map((item) => item.event as PoEvent), cursor: last ? Buffer.from(String(last.feedAt)).toString('base64url') : cursor };
  }

  cursorAt(time: string): string {
    // Just before every position of that time: no PO id sorts before '0', no sequence is 0.
    return Buffer.from(`${new Date(time).toISOString()}#0#000000`).toString('base64url');
  }

  /** One page of the feed from a position (after it, or from it on), or from its start. */
  private async feedFrom(comparison: '>', position: string | null, limit: number): Promise<Record<string, unknown>[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'eventFeed',
        // DynamoDB takes no empty string for a key: the first page has no bound at all.
        KeyConditionExpression: position === null ? 'feedKey = :feed' : `feedKey = :feed AND feedAt ${comparison} :position`,
        ExpressionAttributeValues: { ':feed': FEED, ...(position === null ? {} : { ':position': position }) },
        Limit: limit,
      }),
    );
    return Items ?? [];
  }
}

/** Where an event stands in the feed: when it was published, then by PO and sequence (events published together keep their order). */
const feedPosition = (publishedAt: string, event: PoEvent) => `${publishedAt}#${event.poId}#${String(event.sequence).padStart(6, '0')}`;

/** A feed cursor: the base64url of the last position a page returned (`<publishedAt>#<poId>#<sequence>`). */
function feedPositionOf(cursor: string): string {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z#[A-Za-z0-9]+#\d{6}$/.test(position)) throw new InvalidCursorError('after is not a cursor this feed handed out');
  return position;
}

export class DynamoWebhookStore extends TableStore implements WebhookStore {
  async create(endpoint: WebhookEndpoint): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...endpointKey(endpoint.id), version: endpoint.version, endpoint }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(id: string): Promise<WebhookEndpoint | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: endpointKey(id), ConsistentRead: true }));
    return Item ? (Item.endpoint as WebhookEndpoint) : null;
  }

  async list(): Promise<WebhookEndpoint[]> {
    const endpoints: WebhookEndpoint[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': ENDPOINTS, ':prefix': 'ENDPOINT#' },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      endpoints.push(...(page.Items ?? []).map((item) => item.endpoint as WebhookEndpoint));
      start = page.LastEvaluatedKey;
    } while (start);
    return endpoints.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async save(endpoint: WebhookEndpoint, expectedVersion: number): Promise<WebhookEndpoint> {
    const saved = { ...endpoint, version: expectedVersion + 1 };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...endpointKey(endpoint.id), version: saved.version, endpoint: saved },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return saved;
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentUpdateError(`webhook endpoint ${endpoint.id} changed concurrently or was deleted`);
      throw error;
    }
  }

  async remove(id: string): Promise<boolean> {
    try {
      await this.db.send(new DeleteCommand({ TableName: this.table, Key: endpointKey(id), ConditionExpression: 'attribute_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordDelivery(delivery: Delivery): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...deliveryKey(delivery), attempts: delivery.attempts, delivery },
          // A retried task writes the same attempt again; an older attempt never overwrites a newer one.
          ConditionExpression: 'attribute_not_exists(pk) OR attempts <= :attempts',
          ExpressionAttributeValues: { ':attempts': delivery.attempts },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async deliveries(endpointId: string, limit: number, cursor?: string): Promise<{ items: Delivery[]; cursor: string | null }> {
    let start: Record<string, unknown> | undefined;
    if (cursor) {
      const sk = Buffer.from(cursor, 'base64url').toString('utf8');
      // A key DynamoDB takes: ours, and within its limits (a sort key holds at most 1 KB).
      if (!/^DELIVERY#[^#]{1,40}#[A-Za-z0-9_-]{1,200}$/.test(sk)) throw new InvalidCursorError('cursor is not one this list handed out');
      start = { pk: `WEBHOOK#${endpointId}`, sk };
    }
    const { Items, LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `WEBHOOK#${endpointId}`, ':prefix': 'DELIVERY#' },
        ScanIndexForward: false,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      items: (Items ?? []).map((item) => item.delivery as Delivery),
      cursor: LastEvaluatedKey ? Buffer.from(String(LastEvaluatedKey.sk)).toString('base64url') : null,
    };
  }
}
