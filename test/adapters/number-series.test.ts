import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoNumberSeries } from '../../functions/adapters/dynamo/numbers.js';
import { startDynamoDb } from '../support/dynamodb.js';

/** Gapless, unique invoice numbers on the real embedded DynamoDB, without transactions. */
let dynamo: Awaited<ReturnType<typeof startDynamoDb>>;
beforeAll(async () => {
  dynamo = await startDynamoDb();
});
afterAll(() => dynamo.stop());

const root = path.resolve(import.meta.dirname, '..', '..');

describe('number series', () => {
  it('gives 30 POs claiming at once (each twice, as retries would) the numbers 1 to 30, one each', async () => {
    // Six containers: claims within one take turns, claims across them race; a retry lands elsewhere.
    const containers = Array.from({ length: 6 }, () => new DynamoNumberSeries(dynamo.db, dynamo.table));
    const series = containers[0]!;
    const pos = Array.from({ length: 30 }, (_, i) => `PO-A${i}`);
    const claims = await Promise.all(
      [...pos, ...pos].map((po, i) => containers[(i + Math.floor(i / pos.length)) % containers.length]!.claim('invoice', 2026, po).then((n) => [po, n] as const)),
    );
    const byPo = new Map<string, Set<number>>();
    for (const [po, n] of claims) byPo.set(po, (byPo.get(po) ?? new Set()).add(n));
    expect([...byPo.values()].every((numbers) => numbers.size === 1)).toBe(true);
    const numbers = [...byPo.values()].map((set) => [...set][0]!).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Series are per type and per year.
    expect(await series.claim('credit_note', 2026, 'PO-A0')).toBe(1);
    expect(await series.claim('invoice', 2027, 'PO-A0')).toBe(1);
  });

  it.each(['after-taking', 'after-claim'])('leaves no gap when the process is killed %s and the task is retried', async (point) => {
    const series = new DynamoNumberSeries(dynamo.db, dynamo.table);
    const before = await series.claim('invoice', 2030, `PO-before-${point}`);
    // The child talks to this process's DynamoDB, so it must not block this event loop (no spawnSync).
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/claim-and-crash.ts', dynamo.endpoint, dynamo.table, `PO-crash-${point}`, point, '2030'], {
      cwd: root,
      stdio: 'ignore',
    });
    const signal = await new Promise((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    // Another PO claims while the crashed one is down, then the crashed task is retried.
    const other = await series.claim('invoice', 2030, `PO-other-${point}`);
    const retried = await series.claim('invoice', 2030, `PO-crash-${point}`);
    expect([before, retried, other]).toEqual([before, before + 1, before + 2]);
    expect(await series.claim('invoice', 2030, `PO-crash-${point}`)).toBe(before + 1);
  });
});
