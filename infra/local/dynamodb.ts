import { fork } from 'node:child_process';
import * as path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION, type LocalTable } from './assembly.js';

/**
 * DynamoDB for the local stack: Amazon's DynamoDB Local on Java, its data in one SQLite file under
 * the data dir, in a process of its own (a core of its own) that ends with the stack, with the
 * tables the template declares. What the functions ask of it is counted at the stack's AWS front
 * door (aws-services.ts), for `GET /_local/stats`.
 */
export async function startLocalDynamo(options: { port: number; dataDir: string | ':memory:' }) {
  const started = Date.now();
  const dynamo = fork(path.join(import.meta.dirname, 'dynamodb-local.mjs'), [String(options.port), options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, 'dynamodb')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const port = await new Promise<number>((resolve, reject) => {
    dynamo.once('message', (message: { port: number }) => resolve(message.port));
    dynamo.once('exit', (code) => reject(new Error(`the local DynamoDB exited (${code}); is Java 17+ installed and port ${options.port} free?`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    startedInMs: Date.now() - started,
    /** Creates the template's tables, or the indexes the template added since the data was written. */
    ensureTables: (tables: LocalTable[], say: (line: string) => void) => ensureTables(url, tables, say),
    stop: () =>
      new Promise<void>((resolve) => {
        if (dynamo.exitCode !== null) return resolve();
        dynamo.once('exit', () => resolve());
        dynamo.send({ stop: true });
      }),
  };
}

async function ensureTables(url: string, tables: LocalTable[], say: (line: string) => void): Promise<void> {
  const ddb = new DynamoDBClient({ endpoint: url, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const existing = new Set((await ddb.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const table of tables) {
    if (!existing.has(table.name)) {
      await ddb.send(
        new CreateTableCommand({
          TableName: table.name,
          KeySchema: table.keySchema as never,
          AttributeDefinitions: table.attributeDefinitions as never,
          BillingMode: 'PAY_PER_REQUEST',
          ...(table.globalSecondaryIndexes.length ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes as never } : {}),
        }),
      );
      continue;
    }
    // An index the template added since this data was written: built online, as DynamoDB does.
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: table.name }));
    const have = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of table.globalSecondaryIndexes.filter((index) => !have.has(index.IndexName))) {
      await ddb.send(
        new UpdateTableCommand({
          TableName: table.name,
          AttributeDefinitions: table.attributeDefinitions as never,
          GlobalSecondaryIndexUpdates: [{ Create: index as never }],
        }),
      );
      say(`Added the index ${index.IndexName} to table ${table.name}.`);
    }
  }
  ddb.destroy();
}
