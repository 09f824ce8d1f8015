import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { readAssembly } from '../../infra/local/assembly.js';

/**
 * Amazon's DynamoDB Local (one in-memory instance for the whole run, started by the global set-up)
 * with a fresh copy of the stack's table, exactly as the template declares it: for adapter tests.
 */
export async function startDynamoDb() {
  const endpoint = inject('dynamoEndpoint');
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const [definition] = readAssembly(path.resolve(import.meta.dirname, '../../cdk.out'), 'PurchaseOrders').tables;
  if (!definition) throw new Error('the template declares no table');
  const table = `Table-${randomUUID()}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: definition.keySchema as never,
      AttributeDefinitions: definition.attributeDefinitions as never,
      ...(definition.globalSecondaryIndexes.length ? { GlobalSecondaryIndexes: definition.globalSecondaryIndexes as never } : {}),
    }),
  );
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    table,
    db,
    stop: async () => {
      await client.send(new DeleteTableCommand({ TableName: table }));
      client.destroy();
    },
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
