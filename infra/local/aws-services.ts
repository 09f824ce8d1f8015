import type { LocalCognitoSessions } from './cognito-sessions.js';
import { ServiceError } from './service-error.js';
import { kmsContextKeys, type LocalKms } from './kms.js';
import { getSecretValue, putSecretValue, type LocalSecretValue } from './secrets.js';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalTable } from './assembly.js';
import type { IndexLag } from './dynamodb-lag.js';
import type { LocalSesIdentities } from './ses-identities.js';
import { accessKeyOf, authorize, type AccessCheck, type LocalIam } from './iam.js';
import { SfnError, type LocalStepFunctions } from './stepfunctions/service.js';

/**
 * The one AWS endpoint the local stack's functions talk to (AWS_ENDPOINT_URL_DYNAMODB, _SFN,
 * _SECRETS_MANAGER, _SESV2, _COGNITO_IDENTITY_PROVIDER all point here). Each request is told apart by X-Amz-Target (the JSON
 * protocols) or its path (SES v2), then:
 *
 * 1. checked against the calling function's role in the template (iam.ts), as AWS would: a call the
 *    role does not grant gets AccessDeniedException, in the service's own error format;
 * 2. failed on purpose if a fault is set for it (`POST /_local/faults`: SES throttling, a paused
 *    sending account...), so the failure paths that only AWS shows can be run here;
 * 3. served: Step Functions (ours) and Secrets Manager here, DynamoDB, SES and Cognito by their emulators,
 *    to which the request is passed on as it came.
 */
export type { LocalSecretValue } from './secrets.js';


/** A failure the stack answers instead of a service, for as many calls as `count` (every call if absent). */
export interface Fault {
  service: 'dynamodb' | 'states' | 'secretsmanager' | 'ses';
  /** e.g. SendEmail, PutItem; every operation of the service if absent. */
  operation?: string;
  error: string;
  message: string;
  /** The HTTP status of the error (400 unless given). */
  status?: number;
  count?: number;
}

export class LocalFaults {
  private faults: Fault[] = [];
  set(fault: Fault): void {
    this.faults.push({ ...fault });
  }
  clear(): void {
    this.faults = [];
  }
  take(service: string, operation: string): Fault | null {
    const fault = this.faults.find((f) => f.service === service && (!f.operation || f.operation === operation));
    if (!fault) return null;
    if (fault.count !== undefined && --fault.count <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }
}

type Service = 'dynamodb' | 'states' | 'secretsmanager' | 'ses' | 'cognito-idp' | 'events' | 'kms';
/** Cognito's APIs that a user calls with their own tokens or password: IAM does not apply to them. */
const cognitoPublic = new Set([
  'InitiateAuth', 'RespondToAuthChallenge', 'ChangePassword', 'GetUser', 'GlobalSignOut', 'RevokeToken', 'SignUp', 'ConfirmSignUp',
  'ForgotPassword', 'ConfirmForgotPassword', 'AssociateSoftwareToken', 'VerifySoftwareToken', 'SetUserMFAPreference', 'GetTokensFromRefreshToken',
]);
const arn = (service: string, resource: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
const jsonType: Record<Service, string> = {
  dynamodb: 'application/x-amz-json-1.0',
  states: 'application/x-amz-json-1.0',
  secretsmanager: 'application/x-amz-json-1.1',
  ses: 'application/json',
  'cognito-idp': 'application/x-amz-json-1.1',
  events: 'application/x-amz-json-1.1',
  kms: 'application/x-amz-json-1.1',
};

export function startAwsServices(options: {
  port: number;
  stepFunctions: LocalStepFunctions;
  secrets: LocalSecretValue[];
  iam: LocalIam;
  tables: LocalTable[];
  upstream: { dynamodb: string; ses: string; cognito: string; s3: string };
  /** The template's buckets (S3 requests are path-style: /<bucket>/<key>). */
  buckets: string[];
  /** The template's event buses; what is put on them is appended to `<dataDir>/eventbridge/<bus>.jsonl`. */
  eventBuses: { name: string; arn: string }[];
  dataDir: string;
  faults: LocalFaults;
  /** DynamoDB operations asked for, by name (for `GET /_local/stats`). */
  dynamoCalls: Map<string, number>;
  /** Stale reads on demand (dynamodb-lag.ts). */
  indexLag: IndexLag;
  /** SES's verified identities and sandbox (ses-identities.ts). */
  sesIdentities: LocalSesIdentities;
  /** Who signed out everywhere (cognito-sessions.ts). */
  cognitoSessions: LocalCognitoSessions;
  /** The template's KMS keys (kms.ts). */
  kms: LocalKms;
  /** The stack's clock, in ms (when a secret's value was put). */
  now: () => number;
}): Promise<Server> {
  const { stepFunctions, iam, faults } = options;
  const secretFor = (id: string) => options.secrets.find((s) => s.arn === id || s.name === id);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const busFor = (nameOrArn: string) => options.eventBuses.find((bus) => bus.name === nameOrArn || bus.arn === nameOrArn);
  const busDir = path.join(options.dataDir, 'eventbridge');
  const served: Record<string, (body: Record<string, unknown>) => unknown> = {
    // EventBridge: the bus must exist (nothing routes it on locally; sellers' rules live on AWS).
    'events:PutEvents': (b) => {
      const entries = (b.Entries as Record<string, unknown>[] | undefined) ?? [];
      if (entries.length < 1 || entries.length > 10) throw new ServiceError('ValidationException', 'Entries must hold 1 to 10 events');
      // Every bus is checked before any event is kept, so a refused call keeps nothing.
      const buses = entries.map((entry) => {
        const bus = busFor(String(entry.EventBusName ?? 'default'));
        if (!bus) throw new ServiceError('ResourceNotFoundException', `Event bus ${String(entry.EventBusName ?? 'default')} does not exist.`);
        return bus;
      });
      mkdirSync(busDir, { recursive: true });
      return {
        FailedEntryCount: 0,
        Entries: entries.map((entry, i) => {
          const id = randomUUID();
          appendFileSync(path.join(busDir, `${buses[i]!.name}.jsonl`), `${JSON.stringify({ id, source: entry.Source, 'detail-type': entry.DetailType, time: entry.Time, detail: JSON.parse(String(entry.Detail ?? '{}')) })}\n`);
          return { EventId: id };
        }),
      };
    },
    'kms:Encrypt': (b) => options.kms.encrypt(b),
    'kms:Decrypt': (b) => options.kms.decrypt(b),
    'states:StartExecution': (b) => stepFunctions.startExecution(b as never),
    'states:DescribeExecution': (b) => stepFunctions.describeExecution(b as never),
    'states:SendTaskSuccess': (b) => stepFunctions.sendTaskSuccess(b as never),
    'states:SendTaskFailure': (b) => stepFunctions.sendTaskFailure(b as never),
    'states:SendTaskHeartbeat': (b) => stepFunctions.sendTaskHeartbeat(b as never),
    'secretsmanager:GetSecretValue': (b) => getSecretValue(secretFor(String(b.SecretId ?? '')), b),
    'secretsmanager:PutSecretValue': (b) => putSecretValue(secretFor(String(b.SecretId ?? '')), b, options.now()),
  };

  /** What the call asks of IAM: the action, the resource and the condition keys AWS would evaluate. */
  const checksFor = (service: Service, operation: string, body: Record<string, unknown>): AccessCheck[] => {
    const action = `${service}:${operation}`;
    if (service === 'dynamodb') return dynamoChecks(operation, body, options.tables);
    if (service === 'states') {
      if (operation === 'StartExecution') return [{ action, resources: [String(body.stateMachineArn ?? '')], context: {} }];
      if (operation === 'DescribeExecution') return [{ action, resources: [String(body.executionArn ?? '')], context: {} }];
      const machine = stepFunctions.stateMachineOfToken(body.taskToken as string | undefined);
      return [{ action, resources: machine ? [machine] : [], context: {} }];
    }
    if (service === 'cognito-idp') {
      return cognitoPublic.has(operation) ? [] : [{ action, resources: [arn('cognito-idp', `userpool/${String(body.UserPoolId ?? '')}`)], context: {} }];
    }
    if (service === 'secretsmanager') return [{ action, resources: [secretFor(String(body.SecretId ?? ''))?.arn ?? String(body.SecretId ?? '')], context: {} }];
    // KMS authorizes on the key (for Decrypt, the one the ciphertext names) and the encryption context.
    if (service === 'kms') return [{ action, resources: [operation === 'Decrypt' ? options.kms.keyOf(body.CiphertextBlob) : options.kms.keyArn(body.KeyId)], context: kmsContextKeys(body) }];
    if (service === 'events') {
      const buses = ((body.Entries as Record<string, unknown>[] | undefined) ?? []).map((entry) => String(entry.EventBusName ?? 'default'));
      return [...new Set(buses)].map((bus) => ({ action, resources: [busFor(bus)?.arn ?? arn('events', `event-bus/${bus}`)], context: {} }));
    }
    // SES authorizes a send by the identity of the From address: the address itself or its domain.
    const from = String(body.FromEmailAddress ?? '').replace(/^.*</, '').replace(/>.*$/, '').trim();
    return [{ action, resources: [arn('ses', `identity/${from}`), arn('ses', `identity/${from.split('@')[1] ?? ''}`)], context: {} }];
  };

  const server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const [service, operation] = ((): [Service, string] | [null, string] => {
      const [prefix, op = ''] = target.split('.');
      if (prefix === 'DynamoDB_20120810') return ['dynamodb', op];
      if (prefix === 'AWSStepFunctions') return ['states', op];
      if (prefix === 'secretsmanager') return ['secretsmanager', op];
      if (prefix === 'AWSCognitoIdentityProviderService') return ['cognito-idp', op];
      if (prefix === 'AWSEvents') return ['events', op];
      if (prefix === 'TrentService') return ['kms', op];
      if (path === '/v2/email/outbound-emails' && req.method === 'POST') return ['ses', 'SendEmail'];
      return [null, target || `${req.method} ${path}`];
    })();
    const fail = (status: number, type: string, message: string) => {
      if (res.headersSent) return void res.destroy();
      const kind = service ?? 'states';
      const headers: Record<string, string> = { 'Content-Type': jsonType[kind], 'x-amzn-RequestId': 'local' };
      if (kind === 'ses') headers['x-amzn-ErrorType'] = type;
      res.writeHead(status, headers);
      res.end(JSON.stringify(kind === 'ses' ? { message } : { __type: kind === 'dynamodb' ? `com.amazon.coral.service#${type}` : type, message }));
    };
    // S3, path-style: checked against the signer's role (the function that signed, or presigned, the
    // request), then passed on to s3rver with its Host, which its signature covers.
    const bucket = decodeURIComponent(path.split('/')[1] ?? '');
    if (options.buckets.includes(bucket)) return s3Request(req, res, bucket, path);
    // The user pool's public keys, where the tokens' issuer says they are (no signature: public).
    if (req.method === 'GET' && /^\/[\w-]+\/\.well-known\/(jwks\.json|openid-configuration)$/.test(path)) return forward(options.upstream.cognito, req, Buffer.alloc(0), res, agent);
    try {
      if (!service) throw new ServiceError('UnknownOperationException', `the local stack does not implement ${operation}`);
      if (service === 'dynamodb') options.dynamoCalls.set(operation, (options.dynamoCalls.get(operation) ?? 0) + 1);
      const raw = await readBody(req);
      const body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;

      const principal = iam.principal(accessKeyOf(req.headers.authorization));
      if (principal) {
        for (const check of checksFor(service, operation, body)) {
          const verdict = authorize(principal, check);
          if (!verdict.allowed) return fail(service === 'ses' ? 403 : 400, 'AccessDeniedException', verdict.message);
        }
      }
      const fault = faults.take(service, operation);
      if (fault) return fail(fault.status ?? 400, fault.error, fault.message);

      if (service === 'ses') {
        const refusal = options.sesIdentities.refusal(body);
        if (refusal) return fail(400, 'MessageRejected', refusal);
      }
      if (service === 'dynamodb') {
        options.indexLag.noteWrite(operation, body);
        if (options.indexLag.mayLag(operation, body)) return forward(options.upstream.dynamodb, req, raw, res, agent, false, (answer) => options.indexLag.hide(operation, body, answer));
      }
      if (service === 'cognito-idp') {
        if (operation === 'GlobalSignOut') {
          options.cognitoSessions.signOut(body.AccessToken);
          res.writeHead(200, { 'Content-Type': jsonType[service], 'x-amzn-RequestId': 'local' });
          return void res.end('{}');
        }
        const refusal = options.cognitoSessions.refusal(operation, body);
        if (refusal) return fail(400, refusal.type, refusal.message);
        if (operation === 'InitiateAuth' || operation === 'RespondToAuthChallenge') return forward(options.upstream.cognito, req, raw, res, agent, false, (answer) => options.cognitoSessions.issued(answer));
      }
      if (service === 'dynamodb' || service === 'ses' || service === 'cognito-idp') {
        return forward(service === 'dynamodb' ? options.upstream.dynamodb : service === 'ses' ? options.upstream.ses : options.upstream.cognito, req, raw, res, agent);
      }
      const serve = served[`${service}:${operation}`];
      if (!serve) throw new ServiceError('UnknownOperationException', `the local stack does not implement ${service}:${operation}`);
      const result = JSON.stringify(serve(body));
      res.writeHead(200, { 'Content-Type': jsonType[service], 'x-amzn-RequestId': 'local' });
      res.end(result);
    } catch (error) {
      if (error instanceof SfnError || error instanceof ServiceError) fail(400, error.type, error.message);
      else if (error instanceof SyntaxError) fail(400, 'SerializationException', 'the request body is not valid JSON');
      else fail(500, 'InternalFailure', error instanceof Error ? error.message : String(error));
    }
  });
  async function s3Request(req: IncomingMessage, res: ServerResponse, bucket: string, path: string): Promise<void> {
    const denied = (message: string) => {
      res.writeHead(403, { 'Content-Type': 'application/xml', 'x-amz-request-id': 'local' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${message.replace(/[<>&]/g, '')}</Message></Error>`);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const key = decodeURIComponent(path.split('/').slice(2).join('/'));
      const principal = iam.principal(accessKeyOf(req.headers.authorization, url.searchParams));
      // A browser's CORS preflight carries no signature; S3 answers it from the bucket's CORS rules.
      if (principal && req.method !== 'OPTIONS') {
        const method = req.method ?? 'GET';
        const action = !key
          ? method === 'GET' ? 's3:ListBucket' : `s3:${method}Bucket`
          : method === 'PUT' ? 's3:PutObject' : method === 'DELETE' ? 's3:DeleteObject' : 's3:GetObject';
        const verdict = authorize(principal, { action, resources: [key ? `arn:aws:s3:::${bucket}/${key}` : `arn:aws:s3:::${bucket}`], context: {} });
        if (!verdict.allowed) return denied(verdict.message);
        // A copy also reads its source.
        const source = req.headers['x-amz-copy-source'];
        if (typeof source === 'string') {
          const read = authorize(principal, { action: 's3:GetObject', resources: [`arn:aws:s3:::${decodeURIComponent(source.replace(/^\//, '').split('?')[0]!)}`], context: {} });
          if (!read.allowed) return denied(read.message);
        }
      }
      const body = await readBody(req);
      forward(options.upstream.s3, req, body, res, agent, true);
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'Content-Type': 'application/xml' });
      res.end(`<Error><Code>InternalError</Code><Message>${String(error).replace(/[<>&]/g, '')}</Message></Error>`);
    }
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}

/** DynamoDB's checks: per table (or index) and action, with the partition keys the call touches as dynamodb:LeadingKeys. */
function dynamoChecks(operation: string, body: Record<string, unknown>, tables: LocalTable[]): AccessCheck[] {
  const tableArn = (name: string) => arn('dynamodb', `table/${name}`);
  const hashKey = (name: string) => tables.find((t) => t.name === name)?.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const keyValue = (name: string, item: unknown) => {
    const attribute = hashKey(name);
    const value = attribute ? (item as Record<string, Record<string, unknown>> | undefined)?.[attribute] : undefined;
    return value ? [String(value.S ?? value.N ?? value.B ?? '')] : [];
  };
  const leading = (keys: string[]): Record<string, string[]> => (keys.length ? { 'dynamodb:LeadingKeys': keys } : {});
  const table = String(body.TableName ?? '');
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action: `dynamodb:${operation}`, resources: [tableArn(table)], context: leading(keyValue(table, body.Key)) }];
    case 'PutItem':
      return [{ action: 'dynamodb:PutItem', resources: [tableArn(table)], context: leading(keyValue(table, body.Item)) }];
    case 'Query': {
      const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
      const values = (body.ExpressionAttributeValues ?? {}) as Record<string, Record<string, unknown>>;
      const equal = /(#?[\w]+)\s*=\s*(:[\w]+)/.exec(String(body.KeyConditionExpression ?? ''));
      const attribute = equal ? (names[equal[1]!] ?? equal[1]!) : undefined;
      const keys = !body.IndexName && attribute === hashKey(table) && equal ? [String(values[equal[2]!]?.S ?? '')] : [];
      return [{ action: 'dynamodb:Query', resources: [body.IndexName ? `${tableArn(table)}/index/${String(body.IndexName)}` : tableArn(table)], context: leading(keys) }];
    }
    case 'Scan':
      return [{ action: 'dynamodb:Scan', resources: [body.IndexName ? `${tableArn(table)}/index/${String(body.IndexName)}` : tableArn(table)], context: {} }];
    case 'BatchWriteItem':
    case 'BatchGetItem': {
      const requests = (body.RequestItems ?? {}) as Record<string, unknown>;
      return Object.entries(requests).map(([name, entries]) => {
        const items =
          operation === 'BatchGetItem'
            ? (((entries as { Keys?: unknown[] }).Keys ?? []) as unknown[])
            : ((entries as { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]).map((entry) => entry.PutRequest?.Item ?? entry.DeleteRequest?.Key) as unknown[]);
        return { action: `dynamodb:${operation}`, resources: [tableArn(name)], context: leading(items.flatMap((item) => keyValue(name, item))) };
      });
    }
    case 'TransactWriteItems':
      return ((body.TransactItems ?? []) as Record<string, { TableName: string; Key?: unknown; Item?: unknown }>[]).flatMap((entry) =>
        Object.entries(entry).map(([kind, op]) => ({
          action: `dynamodb:${kind === 'Put' ? 'PutItem' : kind === 'Update' ? 'UpdateItem' : kind === 'Delete' ? 'DeleteItem' : 'ConditionCheckItem'}`,
          resources: [tableArn(op.TableName)],
          context: leading(keyValue(op.TableName, op.Key ?? op.Item)),
        })),
      );
    default:
      return [{ action: `dynamodb:${operation}`, resources: table ? [tableArn(table)] : ['*'], context: {} }];
  }
}

/**
 * Passes a request on to an emulator as it came (the emulators do not check signatures); with
 * `change`, a successful JSON answer is read whole and answered as `change` leaves it.
 */
function forward(upstream: string, req: IncomingMessage, body: Buffer, res: ServerResponse, agent: Agent, keepHost = false, change?: (answer: Record<string, unknown>) => Record<string, unknown>): void {
  const url = new URL(req.url ?? '/', upstream);
  const out = request(url, { method: req.method, headers: { ...req.headers, host: keepHost ? req.headers.host : url.host }, agent }, async (answer) => {
    if (!change || answer.statusCode !== 200) {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      return void answer.pipe(res);
    }
    const text = JSON.stringify(change(JSON.parse((await readBody(answer)).toString('utf8')) as Record<string, unknown>));
    // The checksum DynamoDB sends covers the body as it was; the SDK would refuse the changed one.
    const headers: Record<string, string | string[] | undefined> = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) };
    delete headers['x-amz-crc32'];
    res.writeHead(200, headers);
    res.end(text);
  });
  out.on('error', (error) => {
    if (res.headersSent) return res.destroy();
    res.writeHead(503, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ __type: 'ServiceUnavailable', message: `the local emulator did not answer: ${error.message}` }));
  });
  out.end(body);
}

async function readBody(req: IncomingMessage, limit = 40 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ServiceError('RequestEntityTooLarge', 'request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
