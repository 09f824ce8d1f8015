import type * as z from 'zod';
import { lazyHandler } from '../http/lazy-handler.js';
import { log } from '../http/log.js';

export { notifyInput, stepInput, waitInput } from '../../workflows/contract.js';

/** One task: its input is validated (a bad input fails the task with a named error), then it runs. */
export const task =
  <S extends z.ZodType, R>(name: string, schema: S, run: (input: z.infer<S>) => Promise<R>) =>
  async (event: unknown): Promise<R> => {
    const input = schema.parse(event);
    log.info('task', { task: name, poId: (input as { poId: string }).poId });
    return run(input);
  };

/**
 * The exported handlers of one bundle: its tasks are built on the first invocation, with the
 * dependencies built once per container.
 */
export function exportTasks<T extends Record<string, (event: unknown) => Promise<unknown>>>(build: () => T) {
  let built: T | undefined;
  return (name: keyof T) => lazyHandler((): ((event: unknown) => Promise<unknown>) => (built ??= build())[name]!);
}
