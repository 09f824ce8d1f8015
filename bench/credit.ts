import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { components } from '../client/schema.js';
import { LocalStack, keys } from '../test/support/local-stack.js';
import { buyer, licence, order as orderBody } from '../test/support/orders.js';
import { percentile } from './measure.js';

/**
 * `npm run bench -- --credit N`: a placement for a customer with a credit limit and N open POs.
 * Credit control needs what the customer owes on open POs. Measured twice on the same data: while
 * older POs are still being counted into the customer's exposure (placement reads every open PO, as
 * before the exposure was kept), and once the reconciler's sweep is done (placement reads the one
 * exposure item). Per placement: DynamoDB requests of the placing function (from its EMF lines) and
 * the latency, over 50 placements each.
 */
export async function creditBench(n: number) {
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  const stack = new LocalStack(undefined, { LOG_LEVEL: 'info' });
  await stack.start();
  const customer = 'bench-credit';
  // Reviewed by default, so the POs stay open (awaiting review) and nothing else runs meanwhile.
  await stack.updatePolicy({ reviewByDefault: true, customers: { [customer]: { creditLimit: { amount: 1_000_000_000_00, currency: 'USD' } } } });
  const body = orderBody({ customer: buyer(customer, 'Credit Ltd', 'ap@credit.example'), lines: [licence(50000, 1, 'LIC')] }) as components['schemas']['PlacePurchaseOrderRequest'];
  const checkout = stack.client(keys.checkout, { check: false });
  let next = 0;
  const place = async () => {
    const id = `credit-${++next}`;
    const started = performance.now();
    const placed = await checkout.POST('/purchase-orders', { body, params: { header: { 'Idempotency-Key': id } } });
    if (placed.response.status !== 201) throw new Error(`place: ${placed.response.status} ${JSON.stringify(placed.error)}`);
    return performance.now() - started;
  };
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < n) await place();
  }));

  const measure = async (label: string) => {
    const from = stack.output.length;
    const latencies: number[] = [];
    for (let i = 0; i < 50; i += 1) latencies.push(await place());
    const lines = stack.output.slice(from).split('\n').filter((line) => line.includes('"DynamoDBReads"') && line.includes('PlacePurchaseOrder'));
    const ops: Record<string, number> = {};
    for (const line of lines) for (const [op, count] of Object.entries((JSON.parse(line) as { dynamodb: Record<string, number> }).dynamodb)) ops[op] = (ops[op] ?? 0) + count;
    const perPlacement = Object.entries(ops)
      .map(([op, count]) => `${op} ${(count / lines.length).toFixed(1)}`)
      .join(', ');
    const sorted = latencies.sort((a, b) => a - b);
    console.log(`${label}: ${perPlacement} per placement; p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms`);
    return { p50: percentile(sorted, 50), queryItems: ops.Query ?? 0 };
  };
  const before = await measure(`with ${n} open POs, exposure still being counted (every open PO read)`);
  // The reconciler runs every five minutes of the stack's clock: it counts the older POs in.
  await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 301 } });
  const after = await measure(`with ${n + 50} open POs, exposure kept (one item read)`);
  console.log(`credit: open=${n} place_p50_ms_before=${before.p50.toFixed(0)} place_p50_ms_after=${after.p50.toFixed(0)}`);
  await stack.stop();
}
