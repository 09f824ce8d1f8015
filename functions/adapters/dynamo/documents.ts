import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, TableStore } from './table.js';
import type { DocumentStore, StoredDocument } from '../../app/ports.js';
import type { EInvoiceFormat } from '../../../contract/einvoice.js';
import type { EInvoice } from '../../einvoice/model.js';

export class DynamoDocumentStore extends TableStore implements DocumentStore {
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
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `PO#${poId}`, sk: `DOC#${id}` }, ConsistentRead: true }));
    if (!Item) return null;
    return { poId, id, type: Item.type, number: Item.number, pdf: Item.pdf as Uint8Array, einvoice: (Item.einvoice as EInvoice | undefined) ?? null, einvoiceFormat: (Item.einvoiceFormat as EInvoiceFormat | undefined) ?? 'none' };
  }
}
