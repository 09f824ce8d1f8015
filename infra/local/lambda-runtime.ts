import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { LocalFunction } from './assembly.js';

export interface InvokeError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export class LambdaInvokeError extends Error {
  constructor(readonly detail: InvokeError) {
    super(detail.errorMessage);
    this.name = detail.errorType;
  }
}

/** Lambda's limit on a synchronous invocation's payload (6 MB). */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Invocations of one function running in its worker at once; more wait in its queue. */
const MAX_IN_FLIGHT = 16;

interface Sandbox {
  worker: Worker;
  fn: LocalFunction;
  pending: Map<number, Pending>;
  /** Invocations waiting for a place in the worker. */
  queue: (() => void)[];
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The local Lambda service: each function runs in its own worker thread with its own environment
 * (the template's variables plus the local endpoints), loaded from its bundle under cdk.out.
 */
export class LocalLambdaRuntime {
  private readonly workers = new Map<string, Sandbox>();
  private nextId = 1;
  private stopping = false;
  /** Invocations per function since start (for `GET /_local/stats`). */
  readonly invocations = new Map<string, number>();

  constructor(
    functions: LocalFunction[],
    private readonly localEnv: Record<string, string>,
    private readonly clock: SharedArrayBuffer,
    /** What one function's sandbox gets on top of the shared local environment (its own credentials). */
    private readonly envOf: (fn: LocalFunction) => Record<string, string> = () => ({}),
    /** Where each line a function writes goes (CloudWatch Logs on AWS); the terminal if not given. */
    private readonly logLine: (fn: LocalFunction, line: string) => void = (_fn, line) => console.log(line),
  ) {
    for (const fn of functions) this.spawn(fn);
  }

  private spawn(fn: LocalFunction): void {
    const worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
      workerData: { file: fn.file, exportName: fn.exportName, functionName: fn.name, timeoutSeconds: fn.timeoutSeconds, clock: this.clock },
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'UTC',
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        ...fn.environment,
        ...this.localEnv,
        ...this.envOf(fn),
      },
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    for (const stream of [worker.stdout, worker.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line) this.logLine(fn, line);
      });
    }
    const entry: Sandbox = { worker, fn, pending: new Map<number, Pending>(), queue: [] };
    worker.on('message', (message: { id: number; ok: boolean; result?: unknown; error?: InvokeError }) => {
      const pending = entry.pending.get(message.id);
      if (!pending) return;
      entry.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new LambdaInvokeError(message.error!));
    });
    let crash = 'the sandbox exited';
    worker.on('error', (error) => {
      crash = error.message;
      this.logLine(fn, JSON.stringify({ level: 'error', message: 'sandbox crashed', error: error.message }));
    });
    // A sandbox that dies (an uncaught error in the function's code) fails what ran in it, and the
    // next invocations get a fresh one, as on Lambda; those waiting their turn move over.
    worker.on('exit', () => {
      for (const pending of [...entry.pending.values()]) {
        clearTimeout(pending.timer);
        pending.reject(new LambdaInvokeError({ errorType: 'Runtime.ExitError', errorMessage: crash }));
      }
      entry.pending.clear();
      if (this.stopping || this.workers.get(fn.name) !== entry) return;
      this.spawn(fn);
      const fresh = this.workers.get(fn.name)!;
      fresh.queue.push(...entry.queue);
      this.drain(fresh);
    });
    worker.unref();
    this.workers.set(fn.name, entry);
  }

  /** Milliseconds each function's sandbox has been busy since start (its event loop's active time). */
  busyMs(): Record<string, number> {
    return Object.fromEntries([...this.workers].map(([name, { worker }]) => [name, Math.round(worker.performance.eventLoopUtilization().active)]));
  }

  has(name: string): boolean {
    return this.workers.has(name);
  }

  /** Invokes by name or ARN; rejects with LambdaInvokeError named after the handler's error type. */
  invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    const name = nameOrArn.includes(':function:') ? nameOrArn.split(':function:')[1]!.split(':')[0]! : nameOrArn;
    const entry = this.workers.get(name);
    if (!entry) return Promise.reject(new LambdaInvokeError({ errorType: 'Lambda.ResourceNotFoundException', errorMessage: `no function ${name}` }));
    const text = JSON.stringify(event ?? null);
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      return Promise.reject(new LambdaInvokeError({ errorType: 'RequestEntityTooLargeException', errorMessage: `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation` }));
    }
    this.invocations.set(name, (this.invocations.get(name) ?? 0) + 1);
    const payload = JSON.parse(text) as unknown;
    return new Promise((resolve, reject) => {
      entry.queue.push(() => this.dispatch(entry, payload, resolve, reject));
      this.drain(entry);
    });
  }

  /**
   * On AWS each invocation gets a sandbox of its own; here a function's invocations share its worker.
   * At most `MAX_IN_FLIGHT` run in it at once and the rest wait their turn, so that a burst (thousands
   * of timers due at once) slows a function down instead of timing its invocations out: an
   * invocation's timeout starts when it starts running, as on AWS.
   */
  private drain(entry: Sandbox): void {
    while (entry.pending.size < MAX_IN_FLIGHT && entry.queue.length) entry.queue.shift()!();
  }

  private dispatch(entry: Sandbox, event: unknown, resolve: (value: unknown) => void, reject: (error: Error) => void): void {
    const id = this.nextId++;
    const settle = (done: () => void) => {
      entry.pending.delete(id);
      done();
      this.drain(entry);
    };
    const timer = setTimeout(() => {
      settle(() => reject(new LambdaInvokeError({ errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${entry.fn.timeoutSeconds} seconds` })));
    }, entry.fn.timeoutSeconds * 1000);
    entry.pending.set(id, {
      resolve: (value) => settle(() => resolve(value)),
      reject: (error) => settle(() => reject(error)),
      timer,
    });
    entry.worker.postMessage({ id, event, requestId: randomUUID() });
  }

  /** Lets invocations in flight finish (up to `graceMs`), then stops every sandbox. */
  async stop(graceMs = 10_000): Promise<void> {
    const until = Date.now() + graceMs;
    while ([...this.workers.values()].some((w) => w.pending.size > 0) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.stopping = true;
    await Promise.all([...this.workers.values()].map(({ worker }) => worker.terminate()));
    this.workers.clear();
  }
}
