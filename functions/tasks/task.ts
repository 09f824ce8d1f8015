import type * as z from 'zod';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { log } from '../runtime/log.js';

export { attentionInput, handOverInput, notifyInput, stepInput, waitInput } from '../../contract/execution.js';

/**
 * One task: its input is validated (a bad input fails the task with a named error), then it runs.
 * A fault that passes (throttling, a service error, a dropped connection, a lost race) fails the
 * task as `Transient`, which the state machine retries with backoff; any other error keeps its
 * name, and once the few retries of an unknown error are spent the PO is flagged for attention.
 */
export const task =
  <S extends z.ZodType, R>(name: string, schema: S, run: (input: z.infer<S>) => Promise<R>) =>
  async (event: unknown): Promise<R> => {
    const input = schema.parse(event);
    log.info('task', { task: name, poId: (input as { poId: string }).poId });
    try {
      return await run(input);
    } catch (error) {
      const fault = error instanceof Error ? error : new Error(String(error));
      log.warn('task failed', { task: name, poId: (input as { poId: string }).poId, error: fault.name, reason: fault.message });
      if (!isTransient(fault)) throw fault;
      throw Object.assign(new Error(`${fault.name}: ${fault.message}`), { name: 'Transient' });
    }
  };

/** The error names of the AWS SDK (and Node) that say "try again later". */
const transientNames = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottledException',
  'TransactionConflictException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ConcurrentUpdateError',
]);

/** The SDK marks what it considers retryable ($retryable) and server-side faults ($fault); the rest by name. */
export function isTransient(error: Error): boolean {
  const marked = error as Error & { $retryable?: unknown; $fault?: string; code?: string };
  return Boolean(marked.$retryable) || marked.$fault === 'server' || transientNames.has(error.name) || (marked.code !== undefined && transientNames.has(marked.code));
}

/**
 * The exported handlers of one bundle: its tasks are built on the first invocation, with the
 * dependencies built once per container.
 */
export function exportTasks<T extends Record<string, (event: unknown) => Promise<unknown>>>(build: () => T) {
  let built: T | undefined;
  return (name: keyof T) => lazyHandler((): ((event: unknown) => Promise<unknown>) => (built ??= build())[name]!);
}
