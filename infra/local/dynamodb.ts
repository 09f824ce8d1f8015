import { fork } from 'node:child_process';
import * as path from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
  type AttributeValue,
  type BatchWriteItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION, type LocalTable } from './assembly.js';

/**
 * DynamoDB for the local stack: dynalite on LevelDB in the data dir, in its own process (a core of
 * its own), with the tables the template declares. It counts what the functions ask of it, for
 * `GET /_local/stats`.
 */
export async function startLocalDynamo(options: { port: number; dataDir: string; tables: LocalTable[]; say: (line: string) => void }) {
  const dynamo = fork(path.join(import.meta.dirname, 'dynamodb-process.mjs'), [String(options.port), path.join(options.dataDir, 'dynamodb')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('message', () => resolve());
    dynamo.once('exit', (code) => reject(new Error(`the embedded DynamoDB exited (${code}); is port ${options.port} free?`)));
  });
  const dynamoCalls = () =>
    new Promise<Record<string, number>>((resolve) => {
      const onMessage = (message: { stats?: Record<string, number> }) => {
        if (!message.stats) return;
        dynamo.off('message', onMessage);
        resolve(message.stats);
      };
      dynamo.on('message', onMessage);
      dynamo.send({ stats: true });
    });
  const url = `http://127.0.0.1:${options.port}`;
  const ddb = new DynamoDBClient({ endpoint: url, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const existing = new Set((await ddb.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const table of options.tables) {
    const create = () =>
      ddb.send(
        new CreateTableCommand({
          TableName: table.name,
          KeySchema: table.keySchema as never,
          AttributeDefinitions: table.attributeDefinitions as never,
          BillingMode: 'PAY_PER_REQUEST',
          ...(table.globalSecondaryIndexes.length ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes as never } : {}),
        }),
      );
    if (!existing.has(table.name)) {
      await create();
      continue;
    }
    // An index the template added since this data was written: DynamoDB builds it online; dynalite
    // cannot, so the table is rebuilt with its items.
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: table.name }));
    const have = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    const missing = table.globalSecondaryIndexes.filter((index) => !have.has(index.IndexName));
    if (!missing.length) continue;
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName: table.name, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    await ddb.send(new DeleteTableCommand({ TableName: table.name }));
    await create();
    for (let i = 0; i < items.length; i += 25) {
      let batch: BatchWriteItemCommandInput['RequestItems'] = { [table.name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (batch && Object.keys(batch).length) batch = (await ddb.send(new BatchWriteItemCommand({ RequestItems: batch }))).UnprocessedItems;
    }
    options.say(`Added the index ${missing.map((index) => index.IndexName).join(', ')} to table ${table.name} (${items.length} items kept).`);
  }
  ddb.destroy();

  return {
    url,
    calls: dynamoCalls,
    stop: () =>
      new Promise<void>((resolve) => {
        if (dynamo.exitCode !== null) return resolve();
        dynamo.once('exit', () => resolve());
        dynamo.send({ stop: true });
      }),
  };
}
