import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { localSecretValues } from '../../functions/runtime/env.js';
import { startApiGateway } from './api-gateway.js';
import { controlRoutes } from './control-routes.js';
import { startLocalDynamo } from './dynamodb.js';
import { dieWithParent, rerunOnLambdaNode } from './node-runtime.js';
import { IndexLag } from './dynamodb-lag.js';
import { LocalSesIdentities } from './ses-identities.js';
import { synthesizeIfChanged } from './synth.js';
import { readAssembly, LOCAL_REGION, type LocalAssembly } from './assembly.js';
import { LocalFaults, startAwsServices, type LocalSecretValue } from './aws-services.js';
import { accessKeyFor, LocalIam } from './iam.js';
import { LocalCognitoSessions } from './cognito-sessions.js';
import { LocalKms } from './kms.js';
import { seededStaff, startLocalCognito } from './cognito.js';
import { LocalClock } from './clock.js';
import { LocalLambdaRuntime } from './lambda-runtime.js';
import { freePort, portIsFree } from './ports.js';
import { LocalScheduler } from './scheduler.js';
import { LocalStepFunctions } from './stepfunctions/service.js';

/**
 * `npm start`: the whole product on one machine. It synthesizes the CDK app, then runs exactly
 * that: DynamoDB (Amazon's DynamoDB Local), SES (aws-ses-v2-local), Step Functions and Secrets Manager (ours), the
 * functions (worker threads, from their bundles) and API Gateway (the template's routes).
 */
const projectRoot = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
// The local stack runs on the machine's Node; Lambda runs the template's runtime.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface LocalStackOptions {
  port: number;
  sesPort: number;
  /** A negative port is a default derived from SES_PORT: used if free, else another free port is. */
  dynamoPort: number;
  awsPort: number;
  cognitoPort: number;
  s3Port: number;
  /** The password of the seeded staff (PO_STAFF_PASSWORD). */
  staffPassword: string;
  dataDir: string;
  cdkOut: string;
  stackName: string;
  /** 'auto': synthesize when the app's sources changed since the last synthesis; 'always'; 'never' (reuse cdk.out). */
  synth: 'auto' | 'always' | 'never';
  quiet?: boolean;
}

export function optionsFromEnv(env = process.env): LocalStackOptions {
  const int = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${name} must be a port number, not ${value}`);
    return parsed;
  };
  // The other services' ports follow SES_PORT (8006-8009 by default) unless set; one that is taken
  // (by a second stack, say) is swapped for a free one at start-up.
  const sesPort = int('SES_PORT', 8005);
  const derived = (name: string, offset: number) => (env[name] ? int(name, 0) : -(sesPort + offset));
  return {
    port: int('PORT', 3000),
    sesPort,
    dynamoPort: derived('DYNAMODB_PORT', 1),
    awsPort: derived('AWS_SERVICES_PORT', 2),
    cognitoPort: derived('COGNITO_PORT', 3),
    s3Port: derived('S3_PORT', 4),
    staffPassword: env.PO_STAFF_PASSWORD || 'dev-staff-password',
    dataDir: path.resolve(env.PO_DATA_DIR ?? '.data'),
    cdkOut: path.resolve(env.CDK_OUT ?? path.join(projectRoot, 'cdk.out')),
    stackName: env.STACK_NAME ?? 'PurchaseOrders',
    synth: env.PO_SYNTH === '0' ? 'never' : env.PO_SYNTH === '1' ? 'always' : 'auto',
  };
}

/** Stops accepting connections, lets requests in flight finish (a few seconds at most). */
function close(server: Server | undefined, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (!server) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Local values of the template's secrets: the developer's environment, dev defaults, or a key kept in the data dir. */
function secretValues(assembly: LocalAssembly, dataDir: string): LocalSecretValue[] {
  const keyFile = path.join(dataDir, 'local-secrets.json');
  const kept = existsSync(keyFile) ? (JSON.parse(readFileSync(keyFile, 'utf8')) as Record<string, string>) : {};
  const values: LocalSecretValue[] = [];
  for (const secret of assembly.secrets) {
    // Which variable carries this secret's ARN tells what the secret is for.
    const envName = assembly.functions.flatMap((fn) => Object.entries(fn.environment)).find(([, value]) => value === secret.arn)?.[0];
    const local = envName ? localSecretValues[envName] : undefined;
    const value = (local && process.env[local.env]) || local?.devDefault || (kept[secret.logicalId] ??= randomBytes(32).toString('base64url'));
    values.push({ arn: secret.arn, name: secret.name, value });
  }
  writeFileSync(keyFile, JSON.stringify(kept, null, 2), { mode: 0o600 });
  return values;
}

export interface RunningStack {
  apiUrl: string;
  sesUrl: string;
  keys: { checkout: string; finance: string };
  stop: () => Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<RunningStack> {
  const say = (line: string) => {
    if (!options.quiet) console.log(line);
  };
  const started = Date.now();
  options = { ...options };
  for (const key of ['dynamoPort', 'awsPort', 'cognitoPort', 's3Port'] as const) {
    if (options[key] < 0) options[key] = (await portIsFree(-options[key])) ? -options[key] : await freePort();
  }
  // DynamoDB Local takes a few seconds on Java: it starts while the app is synthesized.
  const dynamoStarting = startLocalDynamo({ port: options.dynamoPort, dataDir: options.dataDir });
  dynamoStarting.catch(() => undefined);
  synthesizeIfChanged(options, say);
  // On Lambda the bundle's folder has no package.json, so Node reads it as CommonJS; say so here.
  writeFileSync(path.join(options.cdkOut, 'package.json'), '{"type":"commonjs"}\n');
  mkdirSync(options.dataDir, { recursive: true });
  const clockFile = path.join(options.dataDir, 'clock.json');
  const clock = new LocalClock(existsSync(clockFile) ? (JSON.parse(readFileSync(clockFile, 'utf8')) as { offsetMs: number }).offsetMs : 0);

  // Cognito first: the template's Refs to its user pool and client resolve to the ids it keeps.
  const cognito = await startLocalCognito({
    port: options.cognitoPort,
    dataDir: options.dataDir,
    pools: readAssembly(options.cdkOut, options.stackName).userPools,
    staffPassword: options.staffPassword,
    offsetMs: clock.offsetMs,
    issuerDomain: `http://127.0.0.1:${options.awsPort}`,
  });
  const assembly = readAssembly(options.cdkOut, options.stackName, cognito.refs);
  const saveClock = () => {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(clockFile, JSON.stringify({ offsetMs: clock.offsetMs }));
  };


  // S3: s3rver with the template's buckets, their objects in the data dir.
  const s3 = fork(path.join(import.meta.dirname, 's3-process.mjs'), [String(options.s3Port), path.join(options.dataDir, 's3'), assembly.buckets.join(','), assembly.functions.map(accessKeyFor).join(',')], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [],
  });
  await new Promise<void>((resolve, reject) => {
    s3.once('message', () => resolve());
    s3.once('exit', (code) => reject(new Error(`the embedded S3 exited (${code}); is port ${options.s3Port} free?`)));
  });
  const s3Url = `http://127.0.0.1:${options.s3Port}`;

  const sesServer = (require('aws-ses-v2-local') as { default: (config: { host: string; port: number }) => Promise<Server> }).default;
  const ses = await sesServer({ host: '127.0.0.1', port: options.sesPort });
  const sesUrl = `http://127.0.0.1:${options.sesPort}`;
  const awsUrl = `http://127.0.0.1:${options.awsPort}`;
  const apiUrl = `http://127.0.0.1:${options.port}`;

  // The functions' logs (CloudWatch Logs on AWS) go to $PO_DATA_DIR/logs/functions.jsonl; the
  // terminal shows their warnings and errors in a line each, or everything with LOG_LEVEL=info.
  mkdirSync(path.join(options.dataDir, 'logs'), { recursive: true });
  const logFile = createWriteStream(path.join(options.dataDir, 'logs', 'functions.jsonl'), { flags: 'a' });
  const verbose = ['info', 'debug'].includes((process.env.LOG_LEVEL ?? '').toLowerCase());
  const functionLog = (fn: { name: string }, line: string) => {
    logFile.write(`${line}\n`);
    if (verbose || options.quiet) {
      if (verbose) console.log(line);
      return;
    }
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return void console.log(`${fn.name}: ${line}`);
    }
    const level = String(record.level ?? '').toLowerCase();
    if (level !== 'warn' && level !== 'error') return;
    const time = String(record.timestamp ?? record.time ?? new Date().toISOString()).slice(11, 19);
    const about = ['poId', 'task', 'route', 'error', 'reason'].flatMap((key) => (record[key] ? [`${key}=${String(typeof record[key] === 'object' ? JSON.stringify(record[key]) : record[key])}`] : []));
    console.log(`${time} ${level.toUpperCase()} ${fn.name.replace(/[A-F0-9]{8}$/, '')}: ${String(record.message)} ${about.join(' ')}`.trimEnd());
  };

  const lambda = new LocalLambdaRuntime(
    assembly.functions,
    {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // Every AWS call of the functions goes through the stack's one endpoint, which checks it
      // against the function's role in the template (aws-services.ts).
      AWS_ENDPOINT_URL_DYNAMODB: awsUrl,
      AWS_ENDPOINT_URL_SFN: awsUrl,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: awsUrl,
      AWS_ENDPOINT_URL_SESV2: awsUrl,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: awsUrl,
      AWS_ENDPOINT_URL_S3: awsUrl,
      AWS_ENDPOINT_URL_EVENTBRIDGE: awsUrl,
      AWS_ENDPOINT_URL_KMS: awsUrl,
      // The local stack runs on the machine's Node; Lambda runs the template's runtime.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // As on Lambda: a sandbox's first invocation is a cold start (Powertools reads it).
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      // Links in emails point at this API, whatever the template says for AWS.
      PUBLIC_BASE_URL: `${apiUrl}/`,
      // Webhooks may go to receivers on this machine over plain http (never on AWS).
      PO_LOCAL_LOOPBACK_WEBHOOKS: '1',
    },
    clock.buffer,
    (fn) => ({ AWS_ACCESS_KEY_ID: accessKeyFor(fn) }),
    functionLog,
  );

  // DynamoDB: in its own process, with the template's tables (dynamodb.ts); started first, awaited last.
  const dynamo = await dynamoStarting;
  await dynamo.ensureTables(assembly.tables, say);
  const dynamoUrl = dynamo.url;

  const stepFunctions = new LocalStepFunctions(assembly.stateMachines, lambda, clock, options.dataDir);
  const faults = new LocalFaults();
  const dynamoCalls = new Map<string, number>();
  const indexLag = new IndexLag(assembly.tables, Number(process.env.PO_INDEX_LAG_MS ?? 0));
  const sesIdentities = new LocalSesIdentities(assembly.sesIdentities, process.env.PO_SES_SANDBOX === '1');
  const aws = await startAwsServices({
    dynamoCalls,
    indexLag,
    sesIdentities,
    cognitoSessions: new LocalCognitoSessions(options.dataDir, () => clock.now().getTime()),
    kms: new LocalKms(options.dataDir, assembly.kmsKeys),
    now: () => clock.now().getTime(),
    port: options.awsPort,
    stepFunctions,
    secrets: secretValues(assembly, options.dataDir),
    iam: new LocalIam(assembly.functions, assembly.roles),
    tables: assembly.tables,
    upstream: { dynamodb: dynamoUrl, ses: sesUrl, cognito: cognito.url, s3: s3Url },
    buckets: assembly.buckets,
    eventBuses: assembly.eventBuses,
    dataDir: options.dataDir,
    faults,
  });
  stepFunctions.start();
  const scheduler = new LocalScheduler(assembly.schedules, lambda, clock, options.dataDir);
  scheduler.start();

  const keys = {
    checkout: process.env.PO_CHECKOUT_KEY || localSecretValues.CHECKOUT_KEY_SECRET_ARN!.devDefault!,
    finance: process.env.PO_FINANCE_KEY || localSecretValues.FINANCE_KEY_SECRET_ARN!.devDefault!,
  };
  // A new control token at each start (or the one given), kept where this machine's tools read it.
  const controlToken = process.env.PO_LOCAL_CONTROL_TOKEN || randomBytes(18).toString('base64url');
  writeFileSync(path.join(options.dataDir, 'control-token'), controlToken, { mode: 0o600 });

  const api = await startApiGateway({
    port: options.port,
    routes: assembly.routes,
    binaryMediaTypes: assembly.binaryMediaTypes,
    gatewayResponses: assembly.gatewayResponses,
    lambda,
    stage: 'v1',
    now: () => clock.now().getTime(),
    local: controlRoutes({ dynamoCalls, indexLag, sesIdentities, lambda, stepFunctions, faults, clock, scheduler, cognito, saveClock, token: controlToken }),
  });

  say('');
  say(`Purchase-order workflow is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  say(`  API            ${apiUrl}          (GET /health)`);
  say(`  Emails (SES)   ${sesUrl}          (web UI; GET /store lists them as JSON)`);
  say(`  DynamoDB       ${dynamoUrl}`);
  say(`  Step Functions ${awsUrl}`);
  say(`  Cognito        ${cognito.url}`);
  say(`  S3             ${s3Url}`);
  say(`  Functions      Node ${process.versions.node}`);
  say(`  Data           ${options.dataDir}`);
  say(`  Logs           ${path.join(options.dataDir, 'logs', 'functions.jsonl')} (warnings and errors shown here; LOG_LEVEL=info for all)`);
  say(`  Control token  ${controlToken}  (POST /_local/*: Authorization: Bearer <token>)`);
  say(`  Checkout key   ${keys.checkout}`);
  say(`  Finance key    ${keys.finance}`);
  say(`  Console        ${apiUrl}/console`);
  for (const staff of seededStaff) say(`  Staff          ${staff.email} (${staff.group}), password ${options.staffPassword}`);
  say('Press Ctrl-C to stop.');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await close(api);
      await scheduler.stop();
      await stepFunctions.stop();
      await lambda.stop();
      await new Promise((resolve) => logFile.end(resolve));
      await close(aws);
      await close(ses);
      await cognito.stop();
      await new Promise<void>((resolve) => {
        if (s3.exitCode !== null) return resolve();
        s3.once('exit', () => resolve());
        s3.send({ stop: true });
      });
      await dynamo.stop();
      saveClock();
    })());
  return { apiUrl, sesUrl, keys, stop };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain && !rerunOnLambdaNode()) {
  dieWithParent();
  const stack = await startLocalStack(optionsFromEnv()).catch((error: unknown) => {
    console.error(`The local stack could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  const shutdown = (signal: string) => {
    console.log(`\n${signal}: stopping...`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('unhandledRejection', (reason) => {
    console.error(JSON.stringify({ level: 'error', message: 'unhandled rejection', reason: String(reason) }));
  });
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
