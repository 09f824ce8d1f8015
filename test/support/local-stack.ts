import { spawn, type ChildProcess } from 'node:child_process';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { generateSync } from 'otplib';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { freePort, portIsFree } from '../../infra/local/ports.js';
import { purchaseOrdersClient } from '../../client/index.js';
import { OpenApiCheck } from './openapi-check.js';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * Starts the local stack the way a developer does (`npm start`), as its own process, on free ports
 * and a data directory of its own; drives it over HTTP like checkout, finance and reviewers would.
 */
const projectRoot = path.resolve(import.meta.dirname, '..', '..');
export { freePort };

/**
 * Ports for one stack from a range of its test worker's own, never handed out twice in a run: two
 * stacks of parallel test files cannot pick the same free port between checking and binding it.
 */
let nextBlock = 0;
async function stackPorts(): Promise<{ api: number; ses: number; dynamo: number; aws: number; cognito: number; s3: number }> {
  const worker = Number(process.env.VITEST_POOL_ID ?? process.pid % 8);
  for (;;) {
    const base = 21000 + (worker % 16) * 2000 + (nextBlock++ % 300) * 6;
    const ports = [base, base + 1, base + 2, base + 3, base + 4, base + 5];
    if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return { api: ports[0]!, ses: ports[1]!, dynamo: ports[2]!, aws: ports[3]!, cognito: ports[4]!, s3: ports[5]! };
  }
}

export interface Email {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments?: { filename: string; content: string; contentType: string }[];
  at: number;
}

export class LocalStack {
  private child: ChildProcess | undefined;
  output = '';
  readonly dataDir: string;
  private ports!: { api: number; ses: number; dynamo: number; aws: number; cognito: number; s3: number };
  /** Every answer is checked against the OpenAPI document the stack serves (loaded once it is up). */
  private openApi: OpenApiCheck | undefined;
  /** The typed clients made so far, one per key (and check): `waitForPo` polls through them. */
  private readonly clients = new Map<string, ReturnType<typeof purchaseOrdersClient>>();

  constructor(
    dataDir?: string,
    /** More environment for the stack; tests read the functions' JSON logs in the output unless LOG_LEVEL is set here. */
    private readonly env: Record<string, string> = {},
  ) {
    this.dataDir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'po-e2e-'));
  }

  /** The process id of `npm start` (its emulators run as its child processes). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  get api(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  get ses(): string {
    return `http://127.0.0.1:${this.ports.ses}`;
  }

  /** The stack's Cognito (the staff user pool). */
  get cognito(): string {
    return `http://127.0.0.1:${this.ports.cognito}`;
  }

  /**
   * Signs a person in as the console would (USER_PASSWORD_AUTH against the stack's user pool, then
   * the code of their authenticator app) and returns their ID token, for `Authorization: Bearer
   * <token>`. A person without an authenticator gets one first (finance must have one): its secret
   * is kept here, and codes come from otplib, as from a phone.
   */
  async signIn(email: string, password = 'dev-staff-password'): Promise<string> {
    return (await this.signInWithTokens(email, password)).IdToken!;
  }

  /** As signIn, with every token (the access token is the session at the pool). */
  async signInWithTokens(email: string, password = 'dev-staff-password') {
    const { ClientId, cognito: client } = this.userPool();
    try {
      const started = await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId, AuthParameters: { USERNAME: email, PASSWORD: password } }));
      // The app belongs to the person (their username), whatever their email is now.
      const person = started.ChallengeParameters?.USER_ID_FOR_SRP;
      const tokens =
        started.ChallengeName === 'SOFTWARE_TOKEN_MFA'
          ? (
              await client.send(
                new RespondToAuthChallengeCommand({
                  ClientId,
                  ChallengeName: 'SOFTWARE_TOKEN_MFA',
                  Session: started.Session,
                  ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: this.codeFor(person && this.authenticators()[person] ? person : email) },
                }),
              )
            ).AuthenticationResult!
          : started.AuthenticationResult!;
      if (started.ChallengeName !== 'SOFTWARE_TOKEN_MFA') {
        const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }));
        await client.send(new VerifySoftwareTokenCommand({ AccessToken: tokens.AccessToken, UserCode: generateSync({ secret: SecretCode! }) }));
        await client.send(new SetUserMFAPreferenceCommand({ AccessToken: tokens.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
        const { username } = JSON.parse(Buffer.from(tokens.AccessToken!.split('.')[1]!, 'base64url').toString('utf8')) as { username: string };
        this.keepAuthenticator(email, SecretCode!);
        this.keepAuthenticator(username, SecretCode!);
      }
      return tokens;
    } finally {
      client.destroy();
    }
  }

  /** The token the stack's control routes require (a new one at each start). */
  controlToken(): string {
    return readFileSync(path.join(this.dataDir, 'control-token'), 'utf8');
  }

  /** The staff user pool's id on this stack, and a client of the stack's Cognito (admin calls, as the deployer makes them). */
  userPool(): { UserPoolId: string; ClientId: string; cognito: CognitoIdentityProviderClient } {
    const template = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.out', 'PurchaseOrders.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const idOf = (type: string) => Object.entries(template.Resources).find(([, r]) => r.Type === type)![0];
    const ids = JSON.parse(readFileSync(path.join(this.dataDir, 'cognito', 'ids.json'), 'utf8')) as Record<string, string>;
    const cognito = new CognitoIdentityProviderClient({ endpoint: this.cognito, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    return { UserPoolId: ids[idOf('AWS::Cognito::UserPool')]!, ClientId: ids[idOf('AWS::Cognito::UserPoolClient')]!, cognito };
  }

  /** A person in the pool with a password of their own, in a group, as finance's invitation leaves them once they have chosen it. */
  async addStaff(Username: string, GroupName: 'finance' | 'reviewer', Password: string): Promise<void> {
    const { UserPoolId, cognito } = this.userPool();
    try {
      await cognito.send(new AdminCreateUserCommand({ UserPoolId, Username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: Username }, { Name: 'email_verified', Value: 'true' }] }));
      await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password, Permanent: true }));
      await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName }));
    } finally {
      cognito.destroy();
    }
  }

  /** The code a person's authenticator app shows now (their secret as set up by signIn, or by a test in the browser), by email or username. */
  codeFor(person: string): string {
    const secret = this.authenticators()[person];
    if (!secret) throw new Error(`${person} has no authenticator app here`);
    return generateSync({ secret });
  }

  keepAuthenticator(person: string, secret: string): void {
    writeFileSync(path.join(this.dataDir, 'authenticators.json'), JSON.stringify({ ...this.authenticators(), [person]: secret }));
  }

  private authenticators(): Record<string, string> {
    const file = path.join(this.dataDir, 'authenticators.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  }

  /** The stack's AWS endpoint: what the functions call (IAM-checked), Step Functions, Secrets Manager. */
  get aws(): string {
    return `http://127.0.0.1:${this.ports.aws}`;
  }

  /** The stack's own DynamoDB endpoint (its process of its own). */
  get dynamodb(): string {
    return `http://127.0.0.1:${this.ports.dynamo}`;
  }

  /** Starts (or restarts) the stack on this data directory and waits for /health. Returns ms to healthy. */
  async start(): Promise<number> {
    // Given PORT and SES_PORT only, the stack derives (or finds) the rest, as a developer's second stack would.
    const own = this.env.PORT !== undefined && this.env.SES_PORT !== undefined;
    this.ports ??= own ? { api: Number(this.env.PORT), ses: Number(this.env.SES_PORT), dynamo: 0, aws: 0, cognito: 0, s3: 0 } : await stackPorts();
    const started = Date.now();
    this.output = '';
    this.child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: String(this.ports.api),
        SES_PORT: String(this.ports.ses),
        ...(own
          ? {}
          : {
              DYNAMODB_PORT: String(this.ports.dynamo),
              AWS_SERVICES_PORT: String(this.ports.aws),
              COGNITO_PORT: String(this.ports.cognito),
              S3_PORT: String(this.ports.s3),
            }),
        PO_DATA_DIR: this.dataDir,
        // The test run synthesizes once (global setup); every stack runs that assembly.
        PO_SYNTH: '0',
        LOG_LEVEL: 'info',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      this.child!.once('exit', (code) => reject(new Error(`local stack exited with ${code} before it was healthy:\n${this.output}`))),
    );
    const healthy = (async () => {
      for (;;) {
        try {
          const res = await fetch(`${this.api}/health`);
          if (res.ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await Promise.race([healthy, exited]);
    if (own) {
      // Where it put the other services, from its start-up summary.
      const at = (label: string) => Number(new RegExp(`${label}\\s+http://127\\.0\\.0\\.1:(\\d+)`).exec(this.output)?.[1]);
      this.ports = { ...this.ports, dynamo: at('DynamoDB'), aws: at('Step Functions'), cognito: at('Cognito'), s3: at('S3') };
    }
    const healthyAfter = Date.now() - started;
    this.openApi ??= new OpenApiCheck((await (await fetch(`${this.api}/openapi.json`)).json()) as ConstructorParameters<typeof OpenApiCheck>[0]);
    return healthyAfter;
  }

  /** The invoices and credit notes whose e-invoices were checked as this stack stopped before. */
  private readonly einvoicesChecked = new Set<string>();

  /**
   * Stops the stack: SIGTERM is a clean Ctrl-C-like stop; SIGKILL is a crash. A clean stop first
   * checks every e-invoice the stack issued since the last, in every format, by the official rules
   * (einvoice-check.ts): a file whose tests made an invalid one fails.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const checked = signal === 'SIGTERM' && this.ports.dynamo ? import('./einvoice-check.js').then(({ checkIssuedEInvoices }) => checkIssuedEInvoices(this.dynamodb, this.einvoicesChecked)) : null;
    // The stack stops whatever the check finds; what it finds fails the stop.
    const found = await checked?.then(() => null, (error: unknown) => error);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.child = undefined;
    if (found) throw found;
  }

  async request(method: string, route: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.key) headers.Authorization = `Bearer ${options.key}`;
    // The stack's control routes take its control token (printed at start, kept in the data directory).
    else if (route.startsWith('/_local/') && method !== 'GET') {
      headers.Authorization = `Bearer ${this.controlToken()}`;
      headers['Content-Type'] ??= 'application/json';
    }
    if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';
    const res = await fetch(`${this.api}${route}`, {
      method,
      headers,
      ...(options.body !== undefined
        ? { body: typeof options.body === 'string' || options.body instanceof Uint8Array ? (options.body as string | Uint8Array) : JSON.stringify(options.body) }
        : {}),
    });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await res.json() : type.includes('pdf') ? new Uint8Array(await res.arrayBuffer()) : await res.text();
    this.openApi?.check(method, route, res.status, type, body);
    return { status: res.status, headers: res.headers, body: body as any };
  }

  /**
   * The typed client (client/index.ts) against this stack, with `key`; its answers are checked
   * against the OpenAPI document like every other request's (unless `check` is false: the bench
   * measures the product, not the check).
   */
  client(key?: string, { check = true } = {}) {
    const cacheKey = `${key ?? ''}|${check}`;
    const made = this.clients.get(cacheKey);
    if (made) return made;
    const checkedFetch = async (input: Request): Promise<Response> => {
      const res = await fetch(input);
      const type = res.headers.get('content-type') ?? '';
      if (check && this.openApi && type.includes('json')) {
        const url = new URL(input.url);
        this.openApi.check(input.method, `${url.pathname}${url.search}`, res.status, type, await res.clone().json());
      }
      return res;
    };
    const client = purchaseOrdersClient(this.api, key, { fetch: checkedFetch as typeof fetch });
    this.clients.set(cacheKey, client);
    return client;
  }

  /** Changes part of the seller's policy as finance would (read it, change it, put it back). */
  async updatePolicy(changes: Record<string, unknown>): Promise<void> {
    const finance = this.client(keys.finance);
    const { data: policy } = await finance.GET('/policy');
    const put = await finance.PUT('/policy', { body: { ...policy!, ...changes } as typeof policy & object });
    if (put.response.status !== 200) throw new Error(`the policy was refused: ${JSON.stringify(put.error)}`);
  }

  async emails(): Promise<Email[]> {
    const res = await fetch(`${this.ses}/store`);
    return ((await res.json()) as { emails: Email[] }).emails;
  }

  /** Waits until an email matching `predicate` has arrived. */
  async waitForEmail(predicate: (email: Email) => boolean, timeoutMs = 15_000): Promise<Email> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.emails()).find(predicate);
      if (found) return found;
      if (Date.now() > until) {
        const subjects = (await this.emails()).map((e) => e.subject);
        throw new Error(`no such email after ${timeoutMs} ms; have: ${JSON.stringify(subjects)}\n${this.output.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Polls the PO until `predicate` holds (the workflow runs asynchronously to the API), pausing
   * `pauseMs(attempt)` between reads (100 ms unless told).
   */
  async waitForPo(id: string, key: string, predicate: (po: any) => boolean, timeoutMs = 15_000, pauseMs: (attempt: number) => number = () => 100): Promise<any> {
    const until = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      const { data, error } = await this.client(key).GET('/purchase-orders/{id}', { params: { path: { id } } });
      const body = data ?? error;
      if (predicate(body)) return body;
      if (Date.now() > until) throw new Error(`PO ${id} did not reach the expected state: ${JSON.stringify(body).slice(0, 2000)}\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, pauseMs(attempt)));
    }
  }
}

export const keys = { checkout: 'dev-checkout-key', finance: 'dev-finance-key' };

export function reviewLinkIn(email: Email): URL {
  const match = /(https?:\/\/\S+\/reviews\/\S+)/.exec(email.body.text ?? '');
  if (!match) throw new Error(`no review link in: ${email.body.text}`);
  return new URL(match[1]!);
}
