import * as os from 'node:os';
import * as path from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';

import { performance } from 'node:perf_hooks';
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import type { components } from '../client/schema.js';
import { writesAndReads } from '../functions/runtime/usage.js';

import { LocalStack, keys } from '../test/support/local-stack.js';
import { buyer, licence, order as orderBody } from '../test/support/orders.js';
import { LAMBDA_MEMORY_GB, PRICES, ms, percentile, requestsInLogs, stats } from './measure.js';
import { coldStarts } from './cold-starts.js';
import { openPos } from './open-pos.js';

/**
 * `npm run bench`: how fast and how cheap a PO is, measured in one run on the local stack.
 * Prints a table per measurement and, last, one stable line for tracking.
 */
const root = path.resolve(import.meta.dirname, '..');

const order = orderBody({ customer: buyer('bench', 'Bench Ltd', 'ap@bench.example'), lines: [licence(50000, 1, 'LIC')] }) as components['schemas']['PlacePurchaseOrderRequest'];

/**
 * One complete flow: place -> approve -> invoice issued -> paid -> completed. Returns each step's ms.
 * The invoice step is timed from the approval's answer to the moment the PO's history records the
 * invoice (the stack's clock, which is this machine's), so the client can check for it with
 * growing pauses (25 ms, doubling up to 250 ms): polling every 100 ms loaded the stack with the
 * harness's own reads (about a dozen per flow at concurrency 16) and slowed down what it measures.
 */
async function flow(stack: LocalStack, id: string): Promise<Record<string, number>> {
  const checkout = stack.client(keys.checkout, { check: false });
  const finance = stack.client(keys.finance, { check: false });
  const t0 = performance.now();
  const placed = await checkout.POST('/purchase-orders', { body: order, params: { header: { 'Idempotency-Key': id } } });
  if (placed.response.status !== 201) throw new Error(`place: ${placed.response.status} ${JSON.stringify(placed.error)}`);
  const po = placed.data!;
  const t1 = performance.now();
  const approved = await finance.POST('/purchase-orders/{id}/review', { params: { path: { id: po.id } }, body: { decision: 'approve' } });
  if (approved.response.status !== 200) throw new Error(`approve: ${approved.response.status}`);
  const t2 = performance.now();
  const approvedAt = Date.now();
  const invoiced = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1, 60_000, (attempt) => Math.min(250, 25 * 2 ** attempt));
  const issuedAt = Date.parse(invoiced.history.find((h: { type: string }) => h.type === 'issue_document').at);
  const invoice = Math.max(0, issuedAt - approvedAt);
  const t3 = performance.now();
  const paid = await finance.POST('/purchase-orders/{id}/payments', { params: { path: { id: po.id } }, body: { amount: 50000, reference: `W-${id}` } });
  if (paid.data?.status !== 'completed') throw new Error(`pay: ${paid.response.status}`);
  const t4 = performance.now();
  return { place: t1 - t0, approve: t2 - t1, invoice, pay: t4 - t3, total: t1 - t0 + (t2 - t1) + invoice + (t4 - t3) };
}

/** Waits until every execution has finished or is parked on a task token (nothing left to run). */
async function settle(stack: LocalStack) {
  for (let i = 0; i < 200; i += 1) {
    const { running, waiting } = (await stats(stack)).stepFunctions;
    if (running === waiting) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function throughput(stack: LocalStack, concurrency: number, total: number) {
  let next = 0;
  const results: Record<string, number>[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        results.push(await flow(stack, `bench-c${concurrency}-${i}-${Date.now()}`));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { concurrency, flows: total, flowsPerSecond: total / seconds, results };
}

/**
 * The storage ceiling: conditional writes of 1.5 KB items (between a PO and its small marks) to
 * the stack's own DynamoDB (the process the product writes to), from this process, at the given
 * concurrency, while the stack is otherwise idle. The best of three rounds, so a noisy neighbour lowers it less.
 */
async function rawWriteRate(endpoint: string, concurrency: number, seconds: number): Promise<number> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const table = `raw-${Date.now()}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: table });
  const rates: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    let writes = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        for (let i = 0; performance.now() < until; i += 1) {
          await client.send(
            new PutItemCommand({
              TableName: table,
              Item: { pk: { S: `RAW#${round}#${worker}#${i}` }, sk: { S: 'X' }, version: { N: '1' }, body: { S: 'x'.repeat(1500) } },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          writes += 1;
        }
      }),
    );
    rates.push(writes / seconds);
  }
  client.destroy();
  return Math.max(...rates);
}

async function placementLatency(stack: LocalStack, connections: number, duration: number) {
  let n = 0;
  const result: { latency: { p50: number; p99: number }; requests: { average: number }; non2xx: number; errors: number } = await autocannon({
    url: `${stack.api}/purchase-orders`,
    connections,
    duration,
    method: 'POST',
    headers: { Authorization: `Bearer ${keys.checkout}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(order),
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, headers: { ...(req.headers as object), 'Idempotency-Key': `ac-${Date.now()}-${n++}` } }) }],
  });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, non2xx: result.non2xx, errors: result.errors };
}

async function main() {
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  const stack = new LocalStack();
  const startup = await stack.start();
  console.log(`local stack healthy in ${startup} ms`);

  // 1. End-to-end throughput.
  await flow(stack, `warmup-${Date.now()}`);
  await settle(stack);
  const before = await stats(stack);
  const logFrom = stack.output.length;
  const levels = [];
  for (const [concurrency, total] of [
    [1, 10],
    [4, 24],
    [16, 48],
  ] as const) {
    levels.push(await throughput(stack, concurrency, total));
  }
  await settle(stack);
  const after = await stats(stack);
  await new Promise((r) => setTimeout(r, 300)); // the functions' last log lines
  const sdkCounted = requestsInLogs(stack.output.slice(logFrom));
  const flowsRun = levels.reduce((n, l) => n + l.flows, 0);
  console.log('\nflows (cart PO with review -> approve -> invoice -> payment -> completed)');
  console.log('concurrency  flows/s  place p50/p99  approve p50/p99  invoice p50/p99  pay p50/p99  total p50/p99 (ms)');
  for (const l of levels) {
    const col = (k: string) => `${ms(percentile(l.results.map((r) => r[k]!), 50))}/${ms(percentile(l.results.map((r) => r[k]!), 99))}`;
    console.log(`${String(l.concurrency).padStart(11)}  ${l.flowsPerSecond.toFixed(2).padStart(7)}  ${col('place').padStart(13)}  ${col('approve').padStart(15)}  ${col('invoice').padStart(15)}  ${col('pay').padStart(11)}  ${col('total').padStart(13)}`);
  }
  const best = Math.max(...levels.map((l) => l.flowsPerSecond));
  const bestLevel = levels.find((l) => l.flowsPerSecond === best)!;

  // Per flow, from the stack's counters.
  const delta = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(b).map((k) => [k, (b[k] ?? 0) - (a[k] ?? 0)]));
  // DynamoDB requests as the functions' SDK middleware counted them (their metrics log lines), and
  // as the local DynamoDB received them: the two must agree.
  const received = delta(before.dynamodb, after.dynamodb);
  const writesOf = (requests: Record<string, number>) => writesAndReads(requests).writes;
  const readsOf = (requests: Record<string, number>) => writesAndReads(requests).reads;
  const writesPerFlow = writesOf(sdkCounted) / flowsRun;
  const invoked = delta(before.lambda, after.lambda);
  const poReads = Object.entries(invoked).reduce((n, [name, count]) => n + (name.startsWith('Reads') ? count : 0), 0);
  // Each of the harness's reads of the PO is one GetItem; a buyer's one read is counted.
  const readsPerFlow = (readsOf(sdkCounted) - poReads) / flowsRun + 1;
  // The harness reads the PO while it waits for the invoice; a buyer reads it once. So reads of the
  // PO count as one per flow, every other invocation as it happened.
  const invocations =
    Object.entries(invoked)
      .filter(([name]) => !name.startsWith('Reads'))
      .reduce((n, [, count]) => n + count, 0) / flowsRun + 1;
  const transitions = (after.stepFunctions.transitions - before.stepFunctions.transitions) / flowsRun;
  const busy = delta(before.lambdaBusyMs, after.lambdaBusyMs);
  const busiest = Object.entries(busy)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, msTotal]) => `${name.replace(/[0-9A-F]{8}$/, '')} ${(msTotal / flowsRun).toFixed(1)}`);
  const emails = (await stack.emails()).filter((e) => e.subject.startsWith('PO-')).length / (flowsRun + 1);
  const apiRequestsPerFlow = 4; // place, approve, pay, and one read of the PO

  console.log(`busiest functions, ms of their sandbox's event loop per flow: ${busiest.join(', ')}`);

  // 2. The storage ceiling at the same concurrency.
  const raw = await rawWriteRate(stack.dynamodb, bestLevel.concurrency, 3);
  const storageRatio = (best * writesPerFlow) / raw;
  console.log(
    `\nDynamoDB requests of ${flowsRun} flows: ${writesOf(sdkCounted)} writes and ${readsOf(sdkCounted)} reads counted by the functions' SDK middleware; ${writesOf(received)} and ${readsOf(received)} received by the local DynamoDB`,
  );
  console.log(`storage: ${ms(writesPerFlow)} DynamoDB writes and ${ms(readsPerFlow)} reads per flow; raw conditional writes ${raw.toFixed(0)}/s at concurrency ${bestLevel.concurrency} (the stack's DynamoDB process, idle)`);
  console.log(`storage_ratio = (${best.toFixed(2)} flows/s x ${ms(writesPerFlow)} writes) / ${raw.toFixed(0)} writes/s = ${storageRatio.toFixed(2)}`);

  // 3. Placement latency under 32 connections.
  // One connection first: a placement's own latency, with nothing queued in front of it.
  const alone = await placementLatency(stack, 1, 4);
  console.log(`\nplacement at 1 connection: p50 ${alone.p50} ms, p99 ${alone.p99} ms, ${alone.rps.toFixed(0)} req/s`);
  await settle(stack);
  const placement = await placementLatency(stack, 32, 8);
  console.log(`placement at 32 connections: p50 ${placement.p50} ms, p99 ${placement.p99} ms, ${placement.rps.toFixed(0)} req/s, non-2xx ${placement.non2xx}, errors ${placement.errors}`);
  await stack.stop();

  // 4. Bundles and cold starts.
  const { maxBundle, maxInit } = await coldStarts(root);

  // 5. On AWS, per PO, at list prices.
  const lambdaSeconds = 0.15; // a conservative average duration per invocation
  const perPo =
    transitions * PRICES.stateTransition +
    invocations * (PRICES.lambdaRequest + lambdaSeconds * LAMBDA_MEMORY_GB * PRICES.lambdaGbSecondArm) +
    writesPerFlow * 4 * PRICES.dynamoWriteUnit + // a PO item is 2-4 KB: up to 4 write units
    readsPerFlow * 1 * PRICES.dynamoReadUnit +
    emails * PRICES.sesEmail +
    apiRequestsPerFlow * PRICES.apiRequest;
  console.log(`\nper PO on AWS: ${ms(transitions)} state transitions, ${ms(invocations)} Lambda invocations, ${ms(writesPerFlow)} DynamoDB writes, ${ms(emails)} emails`);
  console.log(`US$ per 1,000 POs at list prices: ${(perPo * 1000).toFixed(3)}`);

  console.log(
    `bench: flows/s=${best.toFixed(2)} writes/flow=${writesPerFlow.toFixed(1)} storage_ratio=${storageRatio.toFixed(2)} place_p99_ms=${placement.p99} max_bundle_kb=${maxBundle.toFixed(0)} max_init_ms=${maxInit.toFixed(0)} transitions/po=${transitions.toFixed(1)} usd_per_1000_po=${(perPo * 1000).toFixed(3)}`,
  );
}

const open = process.argv.indexOf('--open');
const cold = process.argv.includes('--cold');
const documents = process.argv.indexOf('--documents');
const credit = process.argv.indexOf('--credit');
const growth = process.argv.indexOf('--growth');
if (growth >= 0) {
  const { growthBench } = await import('./growth.js');
  const requests = Number(process.argv[growth + 1] ?? 200);
  // A smaller pair of sizes (e.g. `--growth 20 400,2000`) tries the bench out in a minute.
  const sizes = process.argv[growth + 2]?.split(',').map(Number);
  await growthBench(Number.isInteger(requests) && requests > 0 ? requests : 200, sizes?.length === 2 && sizes.every((n) => n >= 400) ? (sizes as [number, number]) : undefined);
} else if (documents >= 0) {
  const { documentsBench } = await import('./documents.js');
  const other = process.argv[documents + 1];
  await documentsBench(other && !other.startsWith('--') ? path.resolve(other) : root);
} else if (credit >= 0) {
  const { creditBench } = await import('./credit.js');
  await creditBench(Number(process.argv[credit + 1] ?? 300));
} else if (cold) {
  await coldStarts(root);
} else if (open >= 0) {
  const n = Number(process.argv[open + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--open takes a number of POs, e.g. --open 10000');
  await openPos(n);
} else {
  await main();
}
