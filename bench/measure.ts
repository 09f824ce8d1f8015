import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { LocalStack } from '../test/support/local-stack.js';

/** What the benchmarks measure with: list prices, percentiles, the functions' request counts, cold starts, memory. */

// Published list prices (us-east-1), as constants with their sources.
export const PRICES = {
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
export const LAMBDA_MEMORY_GB = 0.5;

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
export const ms = (n: number) => n.toFixed(1);

/** Sums the DynamoDB requests of the functions' metrics log lines (see functions/runtime/observability.ts). */
export function requestsInLogs(output: string): Record<string, number> {
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

/** A fresh process loads a function's bundle and serves a first call (no network on that path). */
export async function coldStart(file: string, exportName: string, event: unknown): Promise<number> {
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
export function treeRss(root: number): { main: number; tree: number } {
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
export function postSlowly(url: string, body: unknown, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** What the local stack counts: DynamoDB requests, invocations and busy time per function, executions. */
export type Stats = {
  dynamodb: Record<string, number>;
  lambda: Record<string, number>;
  lambdaBusyMs: Record<string, number>;
  stepFunctions: { executions: number; transitions: number; running: number; waiting: number };
};

export async function stats(stack: LocalStack): Promise<Stats> {
  return (await stack.request('GET', '/_local/stats')).body as Stats;
}
