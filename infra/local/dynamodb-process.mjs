// @ts-check
/**
 * dynalite in a process of its own, so the embedded DynamoDB works on one core while the API, the
 * Step Functions service and the functions work on the other. It stops when the stack that started
 * it goes away, however that happens (the IPC channel closes even on SIGKILL).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite');
const [port, dataPath] = process.argv.slice(2);
const calls = new Map();
const server = dynalite({ path: dataPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.prependListener('request', (/** @type {{ headers: Record<string, unknown> }} */ req) => {
  const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
  calls.set(operation, (calls.get(operation) ?? 0) + 1);
});
server.listen(Number(port), '127.0.0.1', () => process.send?.({ ready: true }));
process.on('message', (/** @type {{ stats?: boolean, stop?: boolean }} */ message) => {
  if (message.stats) process.send?.({ stats: Object.fromEntries(calls) });
  if (message.stop) server.close(() => process.exit(0));
});
process.on('disconnect', () => server.close(() => process.exit(0)));
