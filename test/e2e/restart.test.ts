import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, keys, LocalStack, reviewLinkIn } from '../support/local-stack.js';
import { addresses, buyer, licence, order as orderBody } from '../support/orders.js';

/** A PO waiting for its review, and then for its payment, survives a restart of `npm start`. */
const order = orderBody({
  customer: buyer('cust-7', 'Springfield University', 'ap@springfield.example', 'education'),
  currency: 'JPY',
  lines: [licence(250000, 1, 'LIC-EDU', 'Campus licence')],
  billingAddress: addresses.JP,
});

const stack = new LocalStack();
afterAll(() => stack.stop());

/** Sets the policy's cart minimums so that the order above is accepted. */
async function allowTheOrder() {
  await stack.updatePolicy({ cartMinimum: { USD: 15000, JPY: 20000 } });
}

describe('restarting the local stack', () => {
  it('keeps waiting executions: the old review link works after a restart, and so does the payment', { timeout: 150_000 }, async () => {
    await stack.start();
    await allowTheOrder();
    const placed = await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: order, headers: { 'Idempotency-Key': 'restart-1' } });
    expect(placed.status).toBe(201);
    const po = placed.body;
    const link = reviewLinkIn(await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`)));

    await stack.stop('SIGTERM');
    const restartMs = await stack.start();
    console.log(`restart to healthy: ${restartMs} ms`);

    // The same placement request, retried after the restart, still returns the same PO.
    const replay = await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: order, headers: { 'Idempotency-Key': 'restart-1' } });
    expect(replay.body.id).toBe(po.id);

    const decided = await stack.request('POST', link.pathname, {
      body: new URLSearchParams({ token: link.searchParams.get('token')!, decision: 'approve' }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(decided.status).toBe(200);
    const released = await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: your order is released`));
    expect(released.body.text).toContain('¥250,000');
    const ordered = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1);
    // The reviewer was emailed before the restart (the emulator's store starts empty again);
    // resuming the wait sent nothing again, and the old link still worked.
    expect((await stack.emails()).filter((e) => e.subject.includes('purchase order to review'))).toEqual([]);

    await stack.stop('SIGTERM');
    await stack.start();
    const paid = await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: keys.finance, body: { amount: 250000, reference: 'JP-WIRE-1' } });
    expect(paid.body.status).toBe('completed');
    await stack.waitForEmail((e) => e.subject === `${po.reference}: payment received, thank you`);
    expect(ordered.payment.dueDate).toBeTruthy();
  });

  it('resumes an execution whose journal a crash cut mid-line: the last whole line counts', { timeout: 90_000 }, async () => {
    await stack.stop('SIGTERM'); // running still, if the test above ran
    await stack.start();
    await allowTheOrder();
    const placed = await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: order, headers: { 'Idempotency-Key': 'restart-torn' } });
    expect(placed.status).toBe(201);
    const po = placed.body;
    await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`));

    await stack.stop('SIGKILL');
    const journal = path.join(stack.dataDir, 'stepfunctions', `${po.id}.jsonl`);
    expect(existsSync(journal)).toBe(true);
    const whole = readFileSync(journal, 'utf8').trim().split('\n').length;
    const fragment = `{"executionArn":"arn:aws:states:us-east-1:000000000000:execution:x:${po.id}","status":"RUNN`;
    appendFileSync(journal, fragment);
    await stack.start();

    const approved = await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'approve' } });
    expect(approved.status).toBe(200);
    const ordered = await stack.waitForPo(po.id, keys.finance, (p) => p.documents.length === 1);
    expect(ordered.status).toBe('ordered');
    // The execution went on from its last whole line, and every line written after the torn one is whole.
    const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(whole + 1);
    const torn = lines.filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    expect(torn).toEqual([fragment]);
  });
});

describe('two stacks side by side', () => {
  it('given only another PORT, SES_PORT and PO_DATA_DIR, a second stack finds ports of its own and keeps its own POs', { timeout: 90_000 }, async () => {
    if (!stack.running) await stack.start();
    // SES_PORT one below the first stack's API port: the ports derived from it are the first stack's.
    const api = new URL(stack.api);
    const second = new LocalStack(undefined, { PORT: String(await freePort()), SES_PORT: String(Number(api.port) - 1) });
    try {
      await second.start();
      const taken = [stack.api, stack.ses, stack.cognito, stack.dynamodb, stack.aws].map((url) => new URL(url).port);
      for (const url of [second.dynamodb, second.aws, second.cognito]) expect(taken).not.toContain(new URL(url).port);
      await second.updatePolicy({ cartMinimum: { USD: 15000, JPY: 20000 } });
      const placed = await second.request('POST', '/purchase-orders', { key: keys.checkout, body: order, headers: { 'Idempotency-Key': 'side-by-side-1' } });
      expect(placed.status).toBe(201);
      await second.waitForEmail((e) => e.subject.startsWith(`${placed.body.reference}: purchase order to review`));
      expect((await stack.request('GET', `/purchase-orders/${placed.body.id}`, { key: keys.finance })).status).toBe(404);
    } finally {
      await second.stop();
    }
  });
});
