import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalDynamo } from '../infra/local/dynamodb.js';
import { freePort } from '../infra/local/ports.js';
import { compileRules } from './support/en16931.js';

/**
 * The local stacks of the end-to-end tests run what `cdk synth` produces: synthesize once per run.
 * The adapter tests share one in-memory DynamoDB Local, each with tables of its own. The official
 * e-invoice rules are made ready meanwhile (from their compiled copies, or compiled once per version).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamoStarting = startLocalDynamo({ port: await freePort(), dataDir: ':memory:' });
  const root = path.resolve(import.meta.dirname, '..');
  const started = Date.now();
  const rulesCompiled = compileRules();
  // CI's second run (the machine's Node, no stacks) reuses the assembly its first run synthesized from the same sources.
  if (process.env.PO_REUSE_SYNTH === '1' && existsSync(path.join(root, 'cdk.out', 'PurchaseOrders.template.json'))) {
    console.log('cdk synth: reused the assembly in cdk.out');
  } else {
    await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '-c', 'demo=true'], {
      cwd: root,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    writeFileSync(path.join(root, 'cdk.out', 'package.json'), '{"type":"commonjs"}\n');
    console.log(`cdk synth: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await rulesCompiled;
  console.log(`e-invoice rules compiled: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const dynamo = await dynamoStarting;
  project.provide('dynamoEndpoint', dynamo.url);
  return dynamo.stop;
}
