import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A real embedded DynamoDB (dynalite) with the product's table, for adapter tests. */
const require = createRequire(import.meta.url);

export async function startDynalite(path?: string) {
  const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;
  const server = dynalite({ createTableMs: 0, ...(path ? { path } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const table = 'Table';
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'customerKey', 'customerSince', 'owedKey', 'owedSince', 'attentionKey', 'attentionSince', 'feedKey', 'feedAt'].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
      // The indexes of the stack's table (infra/po-stack.ts).
      GlobalSecondaryIndexes: [
        { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        {
          IndexName: 'openByCustomer',
          KeySchema: [{ AttributeName: 'customerKey', KeyType: 'HASH' }, { AttributeName: 'customerSince', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['po'] },
        },
        { IndexName: 'signalsOwed', KeySchema: [{ AttributeName: 'owedKey', KeyType: 'HASH' }, { AttributeName: 'owedSince', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        { IndexName: 'needsAttention', KeySchema: [{ AttributeName: 'attentionKey', KeyType: 'HASH' }, { AttributeName: 'attentionSince', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'eventFeed', KeySchema: [{ AttributeName: 'feedKey', KeyType: 'HASH' }, { AttributeName: 'feedAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['event'] } },
      ],
    }),
  );
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { endpoint, table, db, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
