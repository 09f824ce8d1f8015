// @ts-check
/**
 * One Lambda function's sandbox: a worker thread with the function's own environment, its bundle
 * loaded once, invocations served as messages. Plain JavaScript because worker threads do not
 * inherit the TypeScript loader; the bundles it loads are plain JavaScript too.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ file: string, exportName: string, functionName: string, timeoutSeconds: number, clock: SharedArrayBuffer }} */
const data = workerData;

// The local workflow clock: real time plus an offset the stack moves (see clock.ts).
const offset = new BigInt64Array(data.clock);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const now = () => realNow() + Number(Atomics.load(offset, 0));
class ShiftedDate extends RealDate {
  /** @param {any[]} args */
  constructor(...args) {
    if (args.length === 0) super(now());
    // @ts-ignore: the Date constructor's overloads
    else super(...args);
  }
  static now() {
    return now();
  }
}
globalThis.Date = /** @type {DateConstructor} */ (/** @type {unknown} */ (ShiftedDate));

const loaded = createRequire(import.meta.url)(data.file);
const handler = loaded[data.exportName];
if (typeof handler !== 'function') throw new Error(`${data.file} does not export ${data.exportName}`);

parentPort?.on('message', async (/** @type {{ id: number, event: unknown, requestId: string }} */ message) => {
  const deadline = Date.now() + data.timeoutSeconds * 1000;
  const context = {
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${data.functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${data.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(message.event, context);
    parentPort?.postMessage({ id: message.id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    parentPort?.postMessage({
      id: message.id,
      ok: false,
      error: { errorType: err.name || 'Error', errorMessage: err.message, trace: (err.stack ?? '').split('\n') },
    });
  }
});
