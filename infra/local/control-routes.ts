import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LocalRouteHandler } from './api-gateway.js';
import type { LocalFaults, Fault } from './aws-services.js';
import type { LocalClock } from './clock.js';
import type { IndexLag } from './dynamodb-lag.js';
import type { LocalSesIdentities } from './ses-identities.js';
import type { LocalLambdaRuntime } from './lambda-runtime.js';
import type { LocalScheduler } from './scheduler.js';
import type { LocalStepFunctions } from './stepfunctions/service.js';

/** Whether a request says its body is JSON (a web page cannot send that cross-site without a preflight). */
const isJson = (req: IncomingMessage) => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

/** How long a clock advance waits for what it woke to settle, at most. */
const SETTLE_MS = 10 * 60_000;

/**
 * Who may change the local stack through its control routes: a request from this machine
 * (127.0.0.1 or ::1), with a JSON body (a web page cannot send that cross-site without a preflight,
 * which nothing here answers), bearing the control token printed at start (and kept in
 * `<data>/control-token`). The refusal, or null.
 */
export function controlRefusal(req: IncomingMessage, token: string): { status: number; body: Record<string, unknown> } | null {
  const problem = (status: number, title: string, detail: string) => ({ status, body: { title, status, detail } });
  const from = req.socket.remoteAddress ?? '';
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(from)) return problem(403, 'Forbidden', 'the control routes answer this machine only');
  if (!isJson(req)) return problem(415, 'Unsupported Media Type', 'send application/json');
  const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  if (!timingSafeEqual(digest(presented), digest(token))) return problem(401, 'Unauthorized', 'send the control token printed at start: Authorization: Bearer <token>');
  return null;
}

/**
 * The local stack's own routes beside the API's: health, what each emulator was asked
 * (`/_local/stats`), failures only AWS shows on demand (`/_local/faults`) and the stack's clock
 * (`/_local/clock`: read it, or move it forward and wait for what came due). Reading is open;
 * every change passes controlRefusal first.
 */
export function controlRoutes(stack: {
  /** DynamoDB operations the functions asked for, counted at the AWS front door. */
  dynamoCalls: ReadonlyMap<string, number>;
  indexLag: IndexLag;
  sesIdentities: LocalSesIdentities;
  lambda: LocalLambdaRuntime;
  stepFunctions: LocalStepFunctions;
  faults: LocalFaults;
  clock: LocalClock;
  scheduler: LocalScheduler;
  cognito: { setOffset: (offsetMs: number) => Promise<void> };
  saveClock: () => void;
  /** The control token, required of every change. */
  token: string;
}): LocalRouteHandler[] {
  const { dynamoCalls, indexLag, sesIdentities, lambda, stepFunctions, faults, clock, scheduler, cognito, saveClock } = stack;
  const guarded = (route: LocalRouteHandler): LocalRouteHandler =>
    route.method === 'GET' ? route : { ...route, handle: async (req, body) => controlRefusal(req, stack.token) ?? route.handle(req, body) };
  return ([
  { method: 'GET', path: '/health', handle: async () => ({ status: 200, body: { status: 'ok' } }) },
  {
    method: 'GET',
    path: '/_local/stats',
    handle: async () => ({
      status: 200,
      body: {
        dynamodb: Object.fromEntries(dynamoCalls),
        lambda: Object.fromEntries(lambda.invocations),
        lambdaBusyMs: lambda.busyMs(),
        stepFunctions: stepFunctions.stats(),
      },
    }),
  },
  {
    // Stale reads on demand: {"indexLagMs": 300} hides fresh writes from index queries and reads
    // without ConsistentRead for that long (dynamodb-lag.ts); 0 turns it off.
    method: 'POST',
    path: '/_local/dynamodb',
    handle: async (req, body) => {
      if (!isJson(req)) return { status: 415, body: { title: 'Unsupported Media Type', status: 415, detail: 'send application/json' } };
      let lag: unknown;
      try {
        lag = (JSON.parse(body.toString('utf8') || '{}') as { indexLagMs?: unknown }).indexLagMs;
      } catch {
        lag = undefined;
      }
      if (typeof lag !== 'number' || !Number.isInteger(lag) || lag < 0 || lag > 60_000) {
        return { status: 400, body: { title: 'Bad Request', status: 400, detail: 'give indexLagMs: an integer of milliseconds, 0 to 60000' } };
      }
      indexLag.set(lag);
      return { status: 200, body: { indexLagMs: indexLag.ms } };
    },
  },
  {
    // SES's identities and sandbox: {"verify": ["reviewer@acme.example"]} verifies addresses or
    // domains (as their owner clicking SES's link), {"sandbox": true} refuses unverified recipients.
    method: 'POST',
    path: '/_local/ses',
    handle: async (req, body) => {
      if (!isJson(req)) return { status: 415, body: { title: 'Unsupported Media Type', status: 415, detail: 'send application/json' } };
      let change: { verify?: unknown; sandbox?: unknown };
      try {
        change = JSON.parse(body.toString('utf8') || '{}') as typeof change;
      } catch {
        change = { sandbox: 'not JSON' };
      }
      const verify = change.verify ?? [];
      if (!Array.isArray(verify) || !verify.every((v) => typeof v === 'string' && /^[^\s@]*@?[^\s@]+\.[^\s@]+$/.test(v)) || (change.sandbox !== undefined && typeof change.sandbox !== 'boolean')) {
        return { status: 400, body: { title: 'Bad Request', status: 400, detail: 'give verify: a list of addresses or domains, and/or sandbox: true or false' } };
      }
      for (const identity of verify as string[]) sesIdentities.verify(identity);
      if (typeof change.sandbox === 'boolean') sesIdentities.sandbox = change.sandbox;
      return { status: 200, body: { sandbox: sesIdentities.sandbox, verified: sesIdentities.list() } };
    },
  },
  {
    // Failures that only AWS shows, on demand: e.g. {"service":"ses","error":"SendingPausedException","message":"..."}.
    method: 'POST',
    path: '/_local/faults',
    handle: async (_req, body) => {
      let fault: Partial<Fault>;
      try {
        fault = JSON.parse(body.toString('utf8') || '{}') as Partial<Fault>;
      } catch {
        return { status: 400, body: { title: 'Bad Request', status: 400, detail: 'the body is not valid JSON' } };
      }
      const valid =
        ['dynamodb', 'states', 'secretsmanager', 'ses'].includes(String(fault.service)) &&
        typeof fault.error === 'string' &&
        /^[A-Za-z.]{1,100}$/.test(fault.error) &&
        typeof fault.message === 'string' &&
        (fault.operation === undefined || typeof fault.operation === 'string') &&
        (fault.status === undefined || (Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)) &&
        (fault.count === undefined || (Number.isInteger(fault.count) && fault.count > 0));
      if (!valid) return { status: 400, body: { title: 'Bad Request', status: 400, detail: 'give service (dynamodb, states, secretsmanager, ses), error and message; operation, status and count are optional' } };
      faults.set(fault as Fault);
      return { status: 201, body: fault };
    },
  },
  { method: 'DELETE', path: '/_local/faults', handle: async () => (faults.clear(), { status: 200, body: { cleared: true } }) },
  { method: 'GET', path: '/_local/clock', handle: async () => ({ status: 200, body: { now: clock.now().toISOString(), offsetSeconds: clock.offsetMs / 1000 } }) },
  {
    method: 'POST',
    path: '/_local/clock',
    handle: async (_req, body) => {
      let seconds: unknown;
      try {
        seconds = (JSON.parse(body.toString('utf8') || '{}') as { advanceSeconds?: unknown }).advanceSeconds;
      } catch {
        return { status: 400, body: { title: 'Bad Request', status: 400, detail: 'the body is not valid JSON' } };
      }
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > 10 * 365 * 86_400) {
        return { status: 400, body: { title: 'Bad Request', status: 400, detail: 'advanceSeconds must be a whole number of seconds from 0 to ten years' } };
      }
      // Answered once what the move made due has settled (emails sent, statuses written), also
      // over thousands of due timers; an execution sleeping in a long retry holds it ten minutes at most.
      await stepFunctions.advance(seconds, SETTLE_MS);
      // Then the schedules now due (the reconciler), and what they woke.
      await scheduler.runDue();
      await stepFunctions.idle(SETTLE_MS);
      const now = clock.now();
      await cognito.setOffset(clock.offsetMs);
      saveClock();
      return { status: 200, body: { now: now.toISOString(), offsetSeconds: clock.offsetMs / 1000 } };
    },
  },
  ] as LocalRouteHandler[]).map(guarded);
}
