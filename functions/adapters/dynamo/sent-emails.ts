import { TableStore } from './table.js';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/** Marks that an email went out, so a retried task does not send it twice. */
export class DynamoSentEmails extends TableStore {
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
