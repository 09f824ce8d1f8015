import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { components } from '../client/schema.js';
import type { Status } from '../contract/purchase-order.js';
import { DynamoPurchaseOrderStore } from '../functions/adapters/dynamo/purchase-orders.js';
import type { PurchaseOrder } from '../functions/domain/purchase-order/index.js';
import { LocalStack, keys } from '../test/support/local-stack.js';
import { addresses, buyer, goods, licence, order as orderBody } from '../test/support/orders.js';
import { percentile } from './measure.js';

/**
 * `npm run bench -- --growth [requests]`: what a person or a placement costs as POs pile up.
 *
 * One stack; two real POs placed through the API (one invoiced and shipping, one awaiting review)
 * are the templates. The table is then seeded straight through the product's own store
 * (`DynamoPurchaseOrderStore.create`, so every index, counter and search entry a placement writes is
 * written), first to 1,000 POs and then to 50,000: copies of the templates with their own ids,
 * references, numbers and dates, spread over every status and 500 customers, one of them
 * (`bench-credit`) with a credit limit and 300 open POs. At each size, `requests` (200) requests of
 * each path, one after the other: latency at the client (p50, p95) and, from each function's EMF
 * lines, the DynamoDB requests and read capacity units of the function that served it.
 */
const CUSTOMERS = 500;
const words = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Soylent', 'Vandelay', 'Massive', 'Dunder', 'Oscorp', 'Gringotts', 'Nakatomi', 'Pied', 'Bluth', 'Sterling'];
const company = (c: number) => `${words[c % words.length]} ${['Industries', 'Trading', 'GmbH', 'Logistics', 'Labs'][Math.floor(c / words.length) % 5]} ${c}`;
/** Every status, weighted as a seller's table looks after a year: mostly closed, a working set open. */
const mix: [Status, number][] = [
  ['completed', 40], ['cancelled', 5], ['rejected', 3], ['ordered', 14], ['deferred', 3], ['overdue', 8], ['awaiting_review', 6],
  ['awaiting_payment', 8], ['payment_submitted', 4], ['payment_rejected', 2], ['disputed', 2],
];
const weighted = mix.flatMap(([status, weight]) => Array.from({ length: weight }, () => status));

interface Path {
  name: string;
  run: (i: number) => Promise<Response>;
  /** The function that serves it, as its EMF lines name it. */
  fn: RegExp;
}

export async function growthBench(requests: number, sizes: [number, number] = [1_000, 50_000]) {
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const stack = new LocalStack(undefined, { LOG_LEVEL: 'info' });
  await stack.start();
  const credit = 'bench-credit';
  await stack.updatePolicy({ trustedCustomers: ['bench-templates'], customers: { [credit]: { creditLimit: { amount: 1_000_000_000_00, currency: 'USD' } } } });
  const checkout = stack.client(keys.checkout, { check: false });
  const place = async (customer: string, key: string, body = orderBody({ customer: buyer(customer, company(0), `ap@${customer}.example`), lines: [licence(50000, 1, 'LIC'), goods(12000, 2, 'BOX', 'Boxed manual')], shippingAddress: addresses.US })) => {
    const placed = await checkout.POST('/purchase-orders', { body: body as components['schemas']['PlacePurchaseOrderRequest'], params: { header: { 'Idempotency-Key': key } } });
    if (placed.response.status !== 201) throw new Error(`place: ${placed.response.status} ${JSON.stringify(placed.error)}`);
    return placed.data!;
  };
  const shipped = await place('bench-templates', 'template-1');
  const reviewed = await place('bench-review', 'template-2');
  const invoiced = await stack.waitForPo(shipped.id, keys.finance, (p) => p.documents.length >= 1 && p.status === 'ordered', 60_000);
  await stack.waitForPo(reviewed.id, keys.finance, (p) => p.status === 'awaiting_review', 60_000);

  const client = new DynamoDBClient({ endpoint: stack.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  const [table] = (await client.send(new ListTablesCommand({}))).TableNames!;
  const store = new DynamoPurchaseOrderStore(db, table!);
  const templates = { shipped: (await store.get(invoiced.id))!.po, reviewed: (await store.get(reviewed.id))!.po };

  let seeded = 0;
  const now = Date.now();
  /** The i-th seeded PO: a template's copy with its own identity, dates and status. */
  const copy = (i: number): PurchaseOrder => {
    const creditOne = i % 100 === 0 && i / 100 < 300; // bench-credit's 300 open POs
    const status: Status = creditOne ? 'ordered' : weighted[(i * 7919) % weighted.length]!;
    const c = creditOne ? -1 : (i * 31) % CUSTOMERS;
    const template = status === 'awaiting_review' ? templates.reviewed : templates.shipped;
    const created = new Date(now - ((i * 104_729) % (400 * 86_400)) * 1000 - 86_400_000);
    const due = new Date(created.getTime() + (status === 'overdue' ? 10 : 45) * 86_400_000).toISOString().slice(0, 10);
    const id = `seed${String(i).padStart(7, '0')}`;
    const invoiceNumber = `INV-SEED-${i}`;
    const delivered = status !== 'ordered' || i % 2 === 0;
    const paid = status === 'completed' ? template.total : 0;
    return {
      ...template,
      id,
      reference: `PO-S${String(i).padStart(7, '0')}`,
      poNumber: `BUY-${i}`,
      status,
      createdAt: created.toISOString(),
      updatedAt: created.toISOString(),
      customer: creditOne
        ? { ...template.customer, id: credit, company: 'Credit Holding Ltd', email: 'ap@credit.example' }
        : { ...template.customer, id: `cust-${c}`, company: company(c), email: `ap@cust-${c}.example` },
      documents: status === 'awaiting_review' ? [] : template.documents.map((doc) => ({ ...doc, id: `${doc.id}-${i}`, number: invoiceNumber })),
      shippingOrders: template.shippingOrders.map((order) => ({ ...order, status: delivered ? 'delivered' : order.status })),
      payment: { ...template.payment, dueDate: status === 'awaiting_review' ? null : due, amountPaid: paid },
      attention: null,
    } as PurchaseOrder;
  };
  const seed = async (upTo: number) => {
    const started = performance.now();
    const from = seeded;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (seeded < upTo) await store.create(copy(seeded++));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`seeded ${upTo - from} POs (to ${upTo}) through DynamoPurchaseOrderStore.create in ${seconds.toFixed(0)} s (${((upTo - from) / seconds).toFixed(0)} a second, 8 at once)`);
  };

  // A staff session lasts an hour (the ID token's life): signed in again when it ends, as a person would.
  let cookie = '';
  const signIn = async () => {
    const { IdToken, AccessToken } = await stack.signInWithTokens('finance@seller.example');
    cookie = `po_session=${IdToken}; po_access=${AccessToken}`;
  };
  await signIn();
  const page = async (path: string): Promise<Response> => {
    const answer = await fetch(`${stack.api}/console${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
    if (answer.status !== 401) return answer;
    await signIn();
    return fetch(`${stack.api}/console${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  };
  const api = (path: string) => fetch(`${stack.api}${path}`, { headers: { Authorization: `Bearer ${keys.finance}` } });
  const creditOrder = orderBody({ customer: buyer(credit, 'Credit Holding Ltd', 'ap@credit.example'), lines: [licence(50000, 1, 'LIC')] });
  let placements = 0;
  const paths: Path[] = [
    { name: 'console_home', run: () => page('/queues/to-review'), fn: /Console/i },
    { name: 'queue_to_ship', run: () => page('/queues/to-ship'), fn: /Console/i },
    { name: 'po_page', run: (i) => page(`/po/seed${String((i * 37) % 1000).padStart(7, '0')}`), fn: /Console/i },
    { name: 'search_reference', run: (i) => page(`/search?q=PO-S${String((i * 37) % 1000).padStart(7, '0')}`), fn: /Console/i },
    { name: 'search_company', run: (i) => page(`/search?q=${encodeURIComponent(words[i % words.length]!.toLowerCase())}`), fn: /Console/i },
    { name: 'search_email', run: (i) => page(`/search?q=ap@cust-${(i * 7) % CUSTOMERS}.example`), fn: /Console/i },
    { name: 'place_credit', run: () => fetch(`${stack.api}/purchase-orders`, { method: 'POST', headers: { Authorization: `Bearer ${keys.checkout}`, 'Content-Type': 'application/json', 'Idempotency-Key': `growth-${++placements}` }, body: JSON.stringify(creditOrder) }), fn: /Place/i },
    { name: 'list_status', run: () => api('/purchase-orders?status=overdue&limit=50'), fn: /Reads|List/i },
    { name: 'receivables', run: () => page('/receivables'), fn: /Console/i },
    { name: 'events_feed', run: () => api('/events?limit=50'), fn: /Events|Reads/i },
  ];

  const measure = async (size: number) => {
    const results: Record<string, { p50: number; p95: number; reads: number; rcu: number }> = {};
    for (const path of paths) {
      for (let i = 0; i < 3; i += 1) await (await path.run(i)).arrayBuffer(); // warm
      const from = stack.output.length;
      const latencies: number[] = [];
      const failed: number[] = [];
      for (let i = 0; i < requests; i += 1) {
        const started = performance.now();
        const answer = await path.run(i);
        await answer.arrayBuffer();
        latencies.push(performance.now() - started);
        // Counted, not fatal: a page that outgrew API Gateway's 29 s answers 504, and that is a result.
        if (answer.status >= 400) failed.push(answer.status);
      }
      await new Promise((r) => setTimeout(r, 200)); // the last EMF lines
      const usage = emfUsage(stack.output.slice(from), path.fn);
      const sorted = latencies.sort((a, b) => a - b);
      results[path.name] = { p50: percentile(sorted, 50), p95: percentile(sorted, 95), reads: usage.reads / requests, rcu: usage.rcu / requests };
      console.log(
        `${String(size).padStart(6)} POs  ${path.name.padEnd(17)} p50 ${percentile(sorted, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(sorted, 95).toFixed(0).padStart(5)} ms  ` +
          `${(usage.reads / requests).toFixed(1)} reads, ${(usage.rcu / requests).toFixed(1)} RCU a request (${usage.functions.join(', ') || 'no EMF'})` +
          (failed.length ? `; ${failed.length} failed: ${[...new Set(failed)].join(', ')}` : ''),
      );
    }
    return results;
  };

  await seed(sizes[0]);
  // The reconciler's first run (every five minutes of the stack's clock) finds no PO stored without
  // its sums and marks the table done; until then the console reads as it did before they were kept.
  await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 301 } });
  const small = await measure(sizes[0]);
  await seed(sizes[1]);
  const large = await measure(sizes[1]);
  const ratios = paths.map((path) => `${path.name}=${(large[path.name]!.p95 / small[path.name]!.p95).toFixed(2)}`);
  const rcu = paths.map((path) => `${path.name}=${small[path.name]!.rcu.toFixed(1)}/${large[path.name]!.rcu.toFixed(1)}`);
  console.log(`rcu (1k/50k): ${rcu.join(' ')}`);
  console.log(`growth: ${ratios.join(' ')} max_p95_ms=${Math.max(...paths.map((path) => large[path.name]!.p95)).toFixed(0)}`);
  console.log(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  client.destroy();
  // No e-invoice check on stop: the seeded copies have no stored documents of their own.
  await stack.stop('SIGKILL');
}

/** DynamoDB requests and read capacity of one function's invocations, from their EMF lines. */
function emfUsage(output: string, fn: RegExp): { reads: number; rcu: number; functions: string[] } {
  let reads = 0;
  let rcu = 0;
  const functions = new Set<string>();
  for (const line of output.split('\n')) {
    const start = line.indexOf('{');
    if (start < 0 || !line.includes('"DynamoDBReads"')) continue;
    let record: { function?: string; DynamoDBReads?: number; DynamoDBReadUnits?: number };
    try {
      record = JSON.parse(line.slice(start));
    } catch {
      continue;
    }
    if (!record.function || !fn.test(record.function)) continue;
    functions.add(record.function.replace(/^.*?-/, '').slice(0, 40));
    reads += record.DynamoDBReads ?? 0;
    rcu += record.DynamoDBReadUnits ?? 0;
  }
  return { reads, rcu, functions: [...functions] };
}
