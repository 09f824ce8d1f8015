import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, TableStore } from './table.js';
import type { IdempotencyRecord, IdempotencyStore } from '../../app/ports.js';

export class DynamoIdempotencyStore extends TableStore implements IdempotencyStore {
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
