import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { components } from '../client/schema.js';
import { LocalStack, keys } from '../test/support/local-stack.js';
import { buyer, licence, order as orderBody } from '../test/support/orders.js';
import { postSlowly, stats, treeRss } from './measure.js';

/**
 * `npm run bench -- --open N`: the embedded default with N POs open on net terms, as a small seller
 * runs it for months. Places N POs of a trusted customer (each is invoiced at once and waits for its
 * payment), restarts `npm start` on the same data, and measures: restart to healthy, memory per
 * waiting PO (the whole process tree after the restart, against an empty stack's), and a clock
 * advance that makes every PO's reminder due at once, answered only when all N reminders are sent.
 */
export async function openPos(n: number) {
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
  const status = await postSlowly(`${stack.api}/_local/clock`, { advanceSeconds: 24 * 86_400 }, stack.controlToken());
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
