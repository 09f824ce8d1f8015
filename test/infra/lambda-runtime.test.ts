import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalClock } from '../../infra/local/clock.js';
import { LocalLambdaRuntime } from '../../infra/local/lambda-runtime.js';

/** The local Lambda service with a function of our own: one that can kill its sandbox, and one that is slow. */
const dir = mkdtempSync(path.join(tmpdir(), 'po-lambda-'));
writeFileSync(
  path.join(dir, 'index.js'),
  `exports.handler = async (event) => {
    if (event.crash) setTimeout(() => { throw new Error('boom outside the handler'); }, 0);
    if (event.waitMs) await new Promise((resolve) => setTimeout(resolve, event.waitMs));
    return { ok: true, pid: process.pid, thread: require('node:worker_threads').threadId };
  };`,
);
const fn = (name: string, timeoutSeconds: number) => ({ logicalId: name, name, arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`, file: path.join(dir, 'index.js'), exportName: 'handler', environment: {}, timeoutSeconds, role: null });
const lines: string[] = [];
const runtime = new LocalLambdaRuntime([fn('Crashy', 5), fn('Slow', 1)], {}, new LocalClock().buffer, () => ({}), (_fn, line) => lines.push(line));
afterAll(() => runtime.stop(0));

describe('the local Lambda service', () => {
  it('replaces a sandbox that dies: what ran in it fails, the next invocation gets a fresh one', async () => {
    const first = (await runtime.invoke('Crashy', {})) as { thread: number };
    const crashed = runtime.invoke('Crashy', { crash: true, waitMs: 200 });
    await expect(crashed).rejects.toMatchObject({ name: 'Runtime.ExitError', message: expect.stringContaining('boom outside the handler') });
    const after = (await runtime.invoke('Crashy', {})) as { ok: boolean; thread: number };
    expect(after.ok).toBe(true);
    expect(after.thread).not.toBe(first.thread);
    expect(lines.some((line) => line.includes('sandbox crashed'))).toBe(true);
  });

  it('runs at most 16 invocations of a function at once; a queued one times out only after it started', async () => {
    // 40 invocations of 600 ms with a timeout of 1 s run in three rounds of 16; the last round waits 1.2 s
    // in the queue, longer than the timeout, and still succeeds: the timeout counts from the start.
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => runtime.invoke('Slow', { waitMs: 600 })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 600 - 50); // three rounds of 16
  });
});
