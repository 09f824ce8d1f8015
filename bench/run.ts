import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import { writesAndReads } from '../functions/adapters/usage.js';
import { readAssembly } from '../infra/local/assembly.js';
import { keys, LocalStack } from '../test/support/local-stack.js';
import { buyer, licence, order as orderBody } from '../test/support/orders.js';
import type { components } from '../client/schema.js';

/**
 * `npm run bench`: how fast and how cheap a PO is, measured in one run on the local stack.
 * Prints a table per measurement and, last, one stable line for tracking.
 */
const root = path.resolve(import.meta.dirname, '..');

// Published list prices (us-east-1), as constants with their sources.
const PRICES = {
  // https://aws.amazon.com/step-functions/pricing/ : Standard workflows, per state transition
  stateTransition: 0.000025,
  // https://aws.amazon.com/lambda/pricing/ : per request, and per GB-second on Arm
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecondArm: 0.0000133334,
  // https://aws.amazon.com/dynamodb/pricing/on-demand/ : per write / read request unit
  dynamoWriteUnit: 0.625 / 1_000_000,
  dynamoReadUnit: 0.125 / 1_000_000,
  // https://aws.amazon.com/ses/pricing/ : per email
  sesEmail: 0.1 / 1000,
  // https://aws.amazon.com/api-gateway/pricing/ : REST API, per request (first 333 million)
  apiRequest: 3.5 / 1_000_000,
};
const LAMBDA_MEMORY_GB = 0.5;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const ms = (n: number) => n.toFixed(1);

const order = orderBody({ customer: buyer('bench', 'Bench Ltd', 'ap@bench.example'), lines: [licence(50000, 1, 'LIC')] }) as components['schemas']['PlacePurchaseOrderRequest'];

type Stats = {
  dynamodb: Record<string, number>;
  lambda: Record<string, number>;
  lambdaBusyMs: Record<string, number>;
  stepFunctions: { executions: number; transitions: number; running: number; waiting: number };
};

/** Sums the DynamoDB requests of the functions' metrics log lines (see functions/adapters/usage.ts). */
function requestsInLogs(output: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const line of output.split('\n')) {
    if (!line.includes('"DynamoDBWrites"')) continue;
    try {
      for (const [op, n] of Object.entries((JSON.parse(line) as { dynamodb: Record<string, number> }).dynamodb)) sums[op] = (sums[op] ?? 0) + n;
    } catch {
      // the slice's first line may start mid-line
    }
  }
  return sums;
}

async function stats(stack: LocalStack): Promise<Stats> {
  return (await stack.request('GET', '/_local/stats')).body as Stats;
}

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

/** A fresh process loads a function's bundle and serves a first call (no network on that path). */
async function coldStart(file: string, exportName: string, event: unknown): Promise<number> {
  const script = `
    const t0 = process.hrtime.bigint();
    const m = require(${JSON.stringify(file)});
    Promise.resolve().then(() => m[${JSON.stringify(exportName)}](${JSON.stringify(event)}, {})).catch(() => {}).then(() => {
      console.log(Number(process.hrtime.bigint() - t0) / 1e6);
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      cwd: path.dirname(file),
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', TABLE_NAME: 'T', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', () => (out.trim() ? resolve(Number(out.trim().split('\n').pop())) : reject(new Error(`no result from ${file}`))));
  });
}

/** Resident memory of a process and all its descendants (the stack and its emulators), in bytes, from /proc. */
function treeRss(root: number): { main: number; tree: number } {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const rss = (pid: number) => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  let tree = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    tree += rss(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return { main: rss(root), tree };
}

/** A POST that may take minutes to answer (the clock advance over thousands of timers): no client timeout. */
function postSlowly(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * `npm run bench -- --open N`: the embedded default with N POs open on net terms, as a small seller
 * runs it for months. Places N POs of a trusted customer (each is invoiced at once and waits for its
 * payment), restarts `npm start` on the same data, and measures: restart to healthy, memory per
 * waiting PO (the whole process tree after the restart, against an empty stack's), and a clock
 * advance that makes every PO's reminder due at once, answered only when all N reminders are sent.
 */
async function openPos(n: number) {
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  const quiet = { LOG_LEVEL: 'warn' };
  const measureIdle = async (stack: LocalStack) => {
    await new Promise((r) => setTimeout(r, 5000)); // start-up garbage collected, timers armed
    return treeRss(stack.pid!);
  };

  // An empty stack, restarted the same way: the baseline.
  const empty = new LocalStack(undefined, quiet);
  await empty.start();
  await empty.stop();
  const emptyRestart = await empty.start();
  const baseline = await measureIdle(empty);
  await empty.stop();

  const stack = new LocalStack(undefined, quiet);
  await stack.start();
  await stack.updatePolicy({ trustedCustomers: ['bench-open'], reviewByDefault: true });
  const body = orderBody({ customer: buyer('bench-open', 'Open Terms Ltd', 'ap@open.example'), lines: [licence(50000, 1, 'LIC')] }) as components['schemas']['PlacePurchaseOrderRequest'];
  const checkout = stack.client(keys.checkout, { check: false });
  const placingStarted = performance.now();
  let next = 0;
  // Places as fast as the workflows keep up (at most 200 executions between placement and their wait),
  // as a busy shop would over a day, not faster than the machine can invoice.
  let backlog = 0;
  let placing = true;
  const watch = (async () => {
    while (placing) {
      const { running, waiting } = (await stats(stack)).stepFunctions;
      backlog = running - waiting;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) {
        while (backlog > 200) await new Promise((r) => setTimeout(r, 100));
        if (next >= n) break;
        const i = next++;
        const placed = await checkout.POST('/purchase-orders', { body, params: { header: { 'Idempotency-Key': `open-${i}` } } });
        if (placed.response.status !== 201) throw new Error(`place: ${placed.response.status} ${JSON.stringify(placed.error)}`);
      }
    }),
  );
  placing = false;
  await watch;
  // Every PO invoiced and parked on its payment.
  for (;;) {
    const { waiting, running, executions } = (await stats(stack)).stepFunctions;
    if (waiting >= n) break;
    if (executions - running > 0) throw new Error(`${executions - running} executions ended instead of waiting for payment`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const placingSeconds = (performance.now() - placingStarted) / 1000;
  console.log(`${n} POs placed, invoiced and waiting for payment in ${placingSeconds.toFixed(0)} s (${(n / placingSeconds).toFixed(1)} POs/s)`);
  const beforeRestart = treeRss(stack.pid!);

  await stack.stop();
  const restartMs = await stack.start();
  const after = await measureIdle(stack);
  const waiting = (await stats(stack)).stepFunctions.waiting;
  const perPo = (bytes: number) => bytes / n / 1024;
  console.log(`restart to healthy with ${waiting} waiting executions: ${restartMs} ms (empty stack: ${emptyRestart} ms)`);
  console.log(
    `memory after the restart: main process ${(after.main / 2 ** 20).toFixed(0)} MiB, with the emulators ${(after.tree / 2 ** 20).toFixed(0)} MiB; empty stack ${(baseline.main / 2 ** 20).toFixed(0)} / ${(baseline.tree / 2 ** 20).toFixed(0)} MiB; before the restart ${(beforeRestart.tree / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(`memory per waiting PO: ${perPo(after.main - baseline.main).toFixed(1)} KB (main process), ${perPo(after.tree - baseline.tree).toFixed(1)} KB (with the emulators)`);

  // Net terms of 30 days, a reminder 7 days before the due date: 24 days on makes every reminder due.
  const advanceStarted = performance.now();
  const status = await postSlowly(`${stack.api}/_local/clock`, { advanceSeconds: 24 * 86_400 });
  const advanceSeconds = (performance.now() - advanceStarted) / 1000;
  const reminders = (await stack.emails()).filter((e) => e.subject.includes(': payment due on ')).length;
  const settled = await stats(stack);
  console.log(
    `clock advance over ${n} due reminders: answered ${status} after ${advanceSeconds.toFixed(1)} s, with ${reminders} reminder emails sent and ${settled.stepFunctions.running - settled.stepFunctions.waiting} executions still running`,
  );
  const rssAfterAdvance = treeRss(stack.pid!);
  await stack.stop();
  console.log(
    `open: pos=${n} restart_ms=${restartMs} kb_per_waiting_po=${perPo(after.tree - baseline.tree).toFixed(1)} kb_per_waiting_po_main=${perPo(after.main - baseline.main).toFixed(1)} advance_s=${advanceSeconds.toFixed(1)} reminders=${reminders} unsettled=${settled.stepFunctions.running - settled.stepFunctions.waiting} rss_after_advance_mib=${(rssAfterAdvance.tree / 2 ** 20).toFixed(0)}`,
  );
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
  const assembly = readAssembly(path.join(root, 'cdk.out'), 'PurchaseOrders');
  const bundles = new Map<string, { size: number; fn: (typeof assembly.functions)[number] }>();
  for (const fn of assembly.functions) bundles.set(`${fn.file}#${fn.exportName}`, { size: statSync(fn.file).size, fn });
  console.log('\nfunction                          bundle KB   cold start ms');
  let maxBundle = 0;
  let maxInit = 0;
  const seen = new Set<string>();
  for (const { size, fn } of bundles.values()) {
    if (seen.has(fn.file)) continue; // one bundle serves several task functions
    seen.add(fn.file);
    // The median of three fresh processes: one is at the mercy of whatever else the machine does.
    const starts: number[] = [];
    for (let i = 0; i < 3; i += 1) starts.push(await coldStart(fn.file, fn.exportName, { headers: {}, pathParameters: null, body: null }));
    const init = percentile(starts, 50);
    maxBundle = Math.max(maxBundle, size / 1024);
    maxInit = Math.max(maxInit, init);
    console.log(`${fn.logicalId.slice(0, 32).padEnd(32)}  ${(size / 1024).toFixed(0).padStart(9)}   ${init.toFixed(0).padStart(13)}`);
  }

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
const documents = process.argv.indexOf('--documents');
if (documents >= 0) {
  const { documentsBench } = await import('./documents.js');
  const other = process.argv[documents + 1];
  await documentsBench(other && !other.startsWith('--') ? path.resolve(other) : root);
} else if (open >= 0) {
  const n = Number(process.argv[open + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--open takes a number of POs, e.g. --open 10000');
  await openPos(n);
} else {
  await main();
}
