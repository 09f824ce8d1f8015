/**
 * DynamoDB requests this function instance has sent, by operation, counted by a middleware on its
 * client (every attempt, retries included, as DynamoDB bills them). After each invocation the
 * requests since the last report go out as metrics (observability.ts), so on AWS the writes and
 * reads of each function are metrics without an extra call, and a PO's requests can be summed from
 * the logs.
 */
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Writes and reads among requests counted by operation (every operation that is not a write reads). */
export function writesAndReads(requests: Record<string, number>): { writes: number; reads: number } {
  let writes = 0;
  let reads = 0;
  for (const [operation, n] of Object.entries(requests)) {
    if (WRITES.has(operation)) writes += n;
    else reads += n;
  }
  return { writes, reads };
}

const counted = new Map<string, number>();
let readUnits = 0;

/** Reads: they are asked for the capacity they consume (a few bytes more in each answer), so that it is counted. */
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/**
 * Middleware for a DynamoDB client's stack (initialize step: once per call, whatever its retries):
 * asks each read for its consumed capacity and adds it up, as DynamoDB bills it.
 */
export const countReadCapacity =
  <I extends { input?: unknown }, O extends { output?: unknown }>(next: (args: I) => Promise<O>, context: { commandName?: string }) =>
  async (args: I): Promise<O> => {
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    const input = args.input as { ReturnConsumedCapacity?: string } | undefined;
    if (!READS.has(operation) || !input) return next(args);
    input.ReturnConsumedCapacity ??= 'TOTAL';
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] } | undefined)?.ConsumedCapacity;
    for (const each of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) readUnits += each.CapacityUnits ?? 0;
    return result;
  };

/** The read capacity units consumed since the last call, and the sum reset. */
export function takeReadUnits(): number {
  const taken = readUnits;
  readUnits = 0;
  return taken;
}

/** Middleware for a DynamoDB client's stack: counts each attempt of each operation. */
export const countDynamoRequests =
  <I, O>(next: (args: I) => Promise<O>, context: { commandName?: string }) =>
  (args: I): Promise<O> => {
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    counted.set(operation, (counted.get(operation) ?? 0) + 1);
    return next(args);
  };

/** The requests counted since the last call, and the counter reset. */
export function takeDynamoRequests(): Record<string, number> {
  const taken = Object.fromEntries(counted);
  counted.clear();
  return taken;
}
