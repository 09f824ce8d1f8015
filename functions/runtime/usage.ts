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
