import { TableStore } from './table.js';
import { type Policy, defaultPolicy, policySchema } from '../../../contract/policy.js';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PolicyStore } from '../../app/ports.js';

const policyKey = { pk: 'POLICY', sk: 'POLICY' };

export class DynamoPolicyStore extends TableStore implements PolicyStore {
  async get(): Promise<Policy> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: policyKey, ConsistentRead: true }));
    return Item ? policySchema.parse(Item.policy) : defaultPolicy;
  }

  async put(policy: Policy): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...policyKey, policy } }));
  }
}
