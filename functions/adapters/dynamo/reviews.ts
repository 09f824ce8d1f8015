import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, TableStore } from './table.js';
import type { ReviewRecord, ReviewStore } from '../../app/ports.js';

export class DynamoReviewStore extends TableStore implements ReviewStore {
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

  /** The first decision's time stays: a link is created with `decidedAt` null, which is set once. */
  async markDecided(id: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(id),
          UpdateExpression: 'SET decidedAt = :at',
          ConditionExpression: 'attribute_not_exists(decidedAt) OR decidedAt = :undecided',
          ExpressionAttributeValues: { ':at': at, ':undecided': null },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // decided already
    }
  }
}
