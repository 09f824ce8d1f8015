// @ts-check
/**
 * s3rver in a process of its own, keeping the buckets' objects in the data directory, with the
 * template's buckets. It stops when the stack that started it goes away, however that happens.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
// The stack's functions sign with access keys of their own (secret "local"), and the developer with
// local/local; s3rver knows only its own until told.
const [port, directory, buckets, accessKeys] = process.argv.slice(2);
const account = require('s3rver/lib/models/account').DUMMY_ACCOUNT;
for (const key of ['local', ...String(accessKeys ?? '').split(',').filter(Boolean)]) account.createKeyPair(key, 'local');
const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  directory: String(directory),
  silent: true,
  configureBuckets: String(buckets ?? '')
    .split(',')
    .filter(Boolean)
    .map((name) => ({ name })),
});
await server.run();
process.send?.({ ready: true });
const stop = () => server.close().then(() => process.exit(0));
process.on('disconnect', stop);
process.on('message', (/** @type {{ stop?: boolean }} */ message) => {
  if (message.stop) void stop();
});
