import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { LocalStateMachine } from './assembly.js';
import type { LocalClock } from './clock.js';
import { LambdaInvokeError, type LocalLambdaRuntime } from './lambda-runtime.js';

/**
 * A Step Functions service for the local stack. aws-local-stepfunctions interprets the synthesized
 * ASL; this service adds what it lacks: the API (StartExecution with name idempotency,
 * DescribeExecution, SendTaskSuccess/Failure), task tokens, durable timeouts and Wait states on the
 * stack's clock, the one-year limit of a Standard execution, and persistence: each execution's
 * position is written as it moves, and running executions resume at that state after a restart.
 *
 * An execution parked on a task token (its task has returned) holds no interpreter: its position
 * and its token are on disk and a few hundred bytes stay in memory. A signal or its timer wakes it:
 * the interpreter starts again at the waiting state, whose task answers with what the signal brought,
 * so Retry, Catch and ResultPath apply as if it had waited all along. A restart re-arms parked
 * tokens without invoking anything; a small seller's thousands of open POs cost little memory and
 * no start-up time.
 */

// The interpreter expects Node 22's Promise.withResolvers; the local stack runs on Node 20 too.
const promiseWithResolvers = Promise as unknown as { withResolvers?: unknown };
promiseWithResolvers.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

// The interpreter arms its own JS timer for every task; keep it beyond any local wait (24.8 days is
// the most a JS timer holds), since this service enforces the real timeouts durably.
const INTERPRETER_TIMEOUT_SECONDS = 2_147_483;
const LOCAL_TIMEOUT = '__localTimeoutSeconds';
/** The task a Wait state becomes locally: it parks the execution on a timer of the stack's clock. */
const LOCAL_WAIT = 'arn:local:states:::wait';
/** A Standard execution runs for at most a year; then it times out (States.Timeout, TIMED_OUT). */
export const EXECUTION_LIMIT_MS = 365 * 86_400_000;
/** Executions woken by their timers at once; the rest wait their turn (a clock advance over 10,000 due timers). */
const MAX_WOKEN_BY_TIMERS = 48;

export class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Where the execution stands: the state it entered last and that state's input. */
  current: { state: string; input: unknown; enteredAt: string };
  /**
   * The deadline of the task-token wait in progress, kept across restarts; `token` once the task has
   * returned and the execution is parked on it.
   */
  wait?: { state: string; deadline: string; id: string; token?: string; timer?: boolean };
  transitions: number;
}

/** What memory keeps of an execution that is not running an interpreter (parked or ended); the rest is on disk. */
type Slim = Pick<ExecutionRecord, 'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'transitions' | 'wait'> & { slim: true };

/** A token handed out: answered by resolving the live interpreter's task, or by waking the parked execution. */
interface Waiting {
  executionArn: string;
  stateMachineArn: string;
  state: string;
  deadline: number | null;
  /** A Wait state's timer: when due it answers the wait (the execution goes on), not a timeout. */
  timer?: boolean;
  live?: { resolve: (output: unknown) => void; reject: (error: Error) => void };
}

/** How a run begins: from the start state, re-entering the current state after a restart, or waking a parked wait with its answer. */
type RunMode = { kind: 'start' } | { kind: 'restart' } | { kind: 'wake'; state: string; outcome: { output: unknown } | { error: Error } };

type State = Record<string, unknown> & { Type: string };

export class LocalStepFunctions {
  private readonly machines = new Map<string, { def: LocalStateMachine; localDefinition: Record<string, unknown> }>();
  private readonly executions = new Map<string, ExecutionRecord | Slim>();
  /** Executions with an interpreter running, by ARN. */
  private readonly running = new Map<string, { abort: () => void }>();
  private readonly tokens = new Map<string, Waiting>();
  private readonly dir: string;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    machines: LocalStateMachine[],
    private readonly lambda: LocalLambdaRuntime,
    private readonly clock: LocalClock,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, 'stepfunctions');
    mkdirSync(this.dir, { recursive: true });
    for (const def of machines) {
      new StateMachine(def.definition as never); // validate the synthesized definition once, as AWS would
      this.machines.set(def.arn, { def, localDefinition: localize(def.definition) });
    }
  }

  /** Loads persisted executions and resumes those still running; starts the timer loop. */
  start(): void {
    const names = new Set(readdirSync(this.dir).flatMap((f) => (/\.jsonl?$/.test(f) ? [f.replace(/\.jsonl?$/, '')] : [])));
    for (const name of names) {
      const record = this.load(name);
      if (!record) continue;
      const parked = record.status === 'RUNNING' && record.wait?.token && record.wait.state === record.current.state;
      if (record.status !== 'RUNNING' || !this.machines.has(record.stateMachineArn)) {
        this.executions.set(record.executionArn, slim(record));
      } else if (parked) {
        // Parked: its token is armed again as it was; nothing runs until a signal or its timer.
        this.executions.set(record.executionArn, slim(record));
        this.tokens.set(record.wait!.token!, {
          executionArn: record.executionArn,
          stateMachineArn: record.stateMachineArn,
          state: record.wait!.state,
          deadline: Date.parse(record.wait!.deadline),
          ...(record.wait!.timer ? { timer: true } : {}),
        });
      } else {
        this.executions.set(record.executionArn, record);
        this.run(record, { kind: 'restart' });
      }
    }
    this.tick();
    this.timer = setInterval(() => this.tick(), 250);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const { abort } of this.running.values()) abort();
    this.running.clear();
  }

  // ---- API ---------------------------------------------------------------------------------

  startExecution(req: { stateMachineArn?: string; name?: string; input?: string }): { executionArn: string; startDate: number } {
    const machine = req.stateMachineArn ? this.machines.get(req.stateMachineArn) : undefined;
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${req.stateMachineArn}'`);
    const name = req.name ?? randomBytes(16).toString('hex');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
    const input = req.input ?? '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid execution input');
    }
    const executionArn = machine.def.arn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const known = this.executions.get(executionArn);
    const existing = known && this.full(known);
    if (existing) {
      // As on AWS: the same name and input while running returns the running execution.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: Date.parse(existing.startDate) / 1000 };
      }
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const now = this.clock.now().toISOString();
    const startAt = String(machine.localDefinition.StartAt);
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.def.arn,
      name,
      input,
      status: 'RUNNING',
      startDate: now,
      current: { state: startAt, input: parsed, enteredAt: now },
      transitions: 0,
    };
    this.executions.set(executionArn, record);
    this.persist(record);
    this.run(record, { kind: 'start' });
    return { executionArn, startDate: Date.parse(now) / 1000 };
  }

  describeExecution(req: { executionArn?: string }) {
    const known = req.executionArn ? this.executions.get(req.executionArn) : undefined;
    const record = known && this.full(known);
    if (!record) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${req.executionArn}'`);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: Date.parse(record.startDate) / 1000,
      ...(record.stopDate ? { stopDate: Date.parse(record.stopDate) / 1000 } : {}),
      input: record.input,
      ...(record.output !== undefined ? { output: record.output } : {}),
      ...(record.error ? { error: record.error, cause: record.cause } : {}),
    };
  }

  /**
   * Local extension: executions, those running, those of them parked on a task token (their task
   * has returned), and the state transitions of all executions so far.
   */
  stats(): { executions: number; running: number; waiting: number; transitions: number } {
    const all = [...this.executions.values()];
    const waiting = [...this.tokens.values()].filter((w) => !w.live).length;
    return { executions: all.length, running: all.filter((e) => e.status === 'RUNNING').length, waiting, transitions: all.reduce((n, e) => n + e.transitions, 0) };
  }

  sendTaskSuccess(req: { taskToken?: string; output?: string }): Record<string, never> {
    const waiting = this.take(req.taskToken);
    let output: unknown;
    try {
      output = JSON.parse(req.output ?? 'null');
    } catch {
      throw new SfnError('InvalidOutput', 'Invalid output');
    }
    this.answer(waiting, { output });
    return {};
  }

  sendTaskFailure(req: { taskToken?: string; error?: string; cause?: string }): Record<string, never> {
    const waiting = this.take(req.taskToken);
    const error = new Error(req.cause ?? '');
    error.name = req.error ?? 'States.TaskFailed';
    this.answer(waiting, { error });
    return {};
  }

  sendTaskHeartbeat(req: { taskToken?: string }): Record<string, never> {
    this.peek(req.taskToken);
    return {};
  }

  /** The state machine a task token belongs to (what IAM checks a signal against); undefined for an unknown token. */
  stateMachineOfToken(token: string | undefined): string | undefined {
    return token ? this.tokens.get(token)?.stateMachineArn : undefined;
  }

  private peek(token: string | undefined): Waiting {
    if (!token || token.length > 1024) throw new SfnError('InvalidToken', 'Invalid Token');
    const waiting = this.tokens.get(token);
    if (!waiting) throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist');
    return waiting;
  }

  private take(token: string | undefined): Waiting {
    const waiting = this.peek(token);
    this.tokens.delete(token!);
    return waiting;
  }

  // ---- the clock ---------------------------------------------------------------------------

  /**
   * Moves the clock forward and fires every timeout now due. It first lets running executions reach
   * their next wait (so no timer is armed late, from a clock already moved), and answers once the
   * executions woken by the move have settled again.
   */
  async advance(seconds: number, settleMs = 15_000): Promise<Date> {
    await this.idle(settleMs);
    this.clock.setOffset(this.clock.offsetMs + seconds * 1000);
    this.tick();
    await this.idle(settleMs);
    return this.clock.now();
  }

  /** Resolves when no interpreter runs and no timer is due (or after `maxMs`). */
  async idle(maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    while ((this.running.size > 0 || this.dueTimers() > 0) && Date.now() < until) {
      this.fireDueTimers();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private dueTimers(): number {
    const now = this.clock.now().getTime();
    let due = 0;
    for (const waiting of this.tokens.values()) if (waiting.deadline !== null && waiting.deadline <= now) due += 1;
    return due;
  }

  /**
   * As the clock moves (every 250 ms, and at once after an advance): executions that reached the
   * one-year limit time out first, then the waits now due. The year is checked here only, not each
   * time an execution parks or ends: it is a scan of every execution.
   */
  private tick(): void {
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    for (const entry of [...this.executions.values()]) {
      if (entry.status === 'RUNNING' && Date.parse(entry.startDate) + EXECUTION_LIMIT_MS <= now) this.timeOutExecution(entry);
    }
    this.fireDueTimers();
  }

  /**
   * Times out every wait now due, a few dozen parked executions at a time, so that a clock advance
   * over thousands of timers does not start thousands of interpreters at once.
   */
  private fireDueTimers(): void {
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    for (const [token, waiting] of this.tokens) {
      if (waiting.deadline === null || waiting.deadline > now) continue;
      if (!waiting.live && this.running.size >= MAX_WOKEN_BY_TIMERS) continue;
      this.tokens.delete(token);
      this.answer(waiting, waiting.timer ? { output: null } : { error: namedError('States.Timeout', 'The task timed out') });
    }
  }

  /** Gives a waiting task its answer: to the live interpreter, or by waking the parked execution. */
  private answer(waiting: Waiting, outcome: { output: unknown } | { error: Error }): void {
    if (waiting.live) {
      if ('error' in outcome) waiting.live.reject(outcome.error);
      else waiting.live.resolve(outcome.output);
      return;
    }
    const known = this.executions.get(waiting.executionArn);
    const record = known && known.status === 'RUNNING' ? this.full(known) : undefined;
    if (!record) return;
    delete record.wait;
    this.executions.set(record.executionArn, record);
    this.persist(record);
    this.run(record, { kind: 'wake', state: waiting.state, outcome });
  }

  /** The execution ran for a year: it stops where it is, as on AWS. */
  private timeOutExecution(entry: ExecutionRecord | Slim): void {
    const record = this.full(entry);
    if (!record) return;
    this.running.get(record.executionArn)?.abort();
    for (const [token, waiting] of this.tokens) if (waiting.executionArn === record.executionArn) this.tokens.delete(token);
    this.finish(record, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution reached the maximum duration of a Standard workflow (one year)' });
  }

  // ---- running -----------------------------------------------------------------------------

  private run(record: ExecutionRecord, mode: RunMode): void {
    const machine = this.machines.get(record.stateMachineArn)!;
    const definition: Record<string, unknown> = {
      ...bindExecutionContext(machine.localDefinition, { StartTime: record.startDate, Input: JSON.parse(record.input) }),
      StartAt: mode.kind === 'wake' ? mode.state : record.current.state,
    };
    const states = definition.States as Record<string, State>;
    let pendingToken: string | null = null;
    // A wait resumed after a restart keeps the deadline it had, not a fresh one.
    let carried = mode.kind === 'restart' && record.wait?.state === record.current.state ? record.wait : undefined;
    // A woken wait answers once with what its signal or timer brought; a retry of it runs the task again.
    let answer = mode.kind === 'wake' ? mode.outcome : undefined;
    // Re-entering the waiting state to hand it its answer is not a transition of its own.
    let uncounted = mode.kind === 'wake' ? 1 : 0;
    const context = {
      Execution: { Id: record.executionArn, Name: record.name, StartTime: record.startDate, RoleArn: 'arn:aws:iam::000000000000:role/local' },
      StateMachine: { Id: record.stateMachineArn, Name: machine.def.name },
      Task: {
        get Token() {
          pendingToken = randomBytes(48).toString('base64url');
          return pendingToken;
        },
      },
    };

    // The interpreter may stop listening to a task (execution failed or stopped); never leave its
    // promise's rejection unhandled.
    const taskHandler = (stateName: string) => (input: unknown) => {
      const result = runTask(stateName, input);
      result.catch(() => {});
      return result;
    };
    const runTask = async (stateName: string, input: unknown): Promise<unknown> => {
      const state = states[stateName]!;
      const parameters = (input ?? {}) as Record<string, unknown>;
      const timeoutSeconds = Number(parameters[LOCAL_TIMEOUT] ?? 60);
      const { [LOCAL_TIMEOUT]: _omit, ...params } = parameters;
      const resource = String(state.Resource);

      if (answer) {
        const outcome = answer;
        answer = undefined;
        pendingToken = null;
        if ('error' in outcome) throw outcome.error;
        return outcome.output;
      }
      if (resource === LOCAL_WAIT) {
        // A Wait state: the execution parks on a timer of the stack's clock, kept on disk, so a clock
        // advance ends it and a restart keeps it, as a task-token wait's timeout.
        const deadline = carried?.state === stateName ? Date.parse(carried.deadline) : waitDeadline(stateName, params, this.clock.now().getTime());
        carried = undefined;
        const token = `wait-${randomBytes(24).toString('base64url')}`;
        const wait = { state: stateName, deadline: new Date(deadline).toISOString(), id: randomBytes(8).toString('hex'), timer: true };
        record.wait = wait;
        this.persist(record);
        const settled = new Promise((resolve, reject) => {
          this.tokens.set(token, { executionArn: record.executionArn, stateMachineArn: record.stateMachineArn, state: stateName, deadline, timer: true, live: { resolve, reject } });
        });
        await Promise.resolve();
        if (this.tokens.has(token) && !this.stopped) this.park(record, token, wait);
        return settled;
      }
      if (resource.endsWith('.waitForTaskToken')) {
        const token = pendingToken;
        pendingToken = null;
        if (!token) throw namedError('States.Runtime', `${stateName} waits for a task token but its input does not carry $$.Task.Token`);
        const deadline = carried?.state === stateName ? Date.parse(carried.deadline) : this.clock.now().getTime() + timeoutSeconds * 1000;
        carried = undefined;
        const wait = { state: stateName, deadline: new Date(deadline).toISOString(), id: randomBytes(8).toString('hex') };
        record.wait = wait;
        this.persist(record);
        const settled = new Promise((resolve, reject) => {
          this.tokens.set(token, { executionArn: record.executionArn, stateMachineArn: record.stateMachineArn, state: stateName, deadline, live: { resolve, reject } });
        });
        // Once the wait is over (answered or timed out), its deadline no longer applies.
        const over = () => {
          if (record.wait?.id === wait.id && !this.stopped) {
            delete record.wait;
            this.persist(record);
          }
        };
        settled.then(over, over);
        try {
          await this.invokeFor(resource, params);
        } catch (error) {
          this.tokens.delete(token);
          throw error;
        }
        if (this.tokens.has(token) && !this.stopped) this.park(record, token, wait);
        return settled;
      }
      carried = undefined;
      const result = await withTimeout(this.invokeFor(resource, params), timeoutSeconds * 1000);
      return resource.startsWith('arn:aws:states:::lambda:invoke') ? { Payload: result, StatusCode: 200, ExecutedVersion: '$LATEST' } : result;
    };

    const taskResourceLocalHandlers = Object.fromEntries(
      Object.entries(states)
        .filter(([, state]) => state.Type === 'Task')
        .map(([name]) => [name, taskHandler(name)]),
    );

    const execution = new StateMachine(definition as never, { validationOptions: { noValidate: true } }).run(structuredClone(record.current.input) as never, {
      overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never },
      context,
      noThrowOnAbort: true,
    });
    this.running.set(record.executionArn, execution);

    void (async () => {
      for await (const event of execution.eventLogs) {
        if (this.stopped) return;
        if (event.type === 'StateEntered') {
          if (uncounted > 0) {
            uncounted -= 1;
            continue;
          }
          record.current = { state: event.state.name, input: event.state.input, enteredAt: this.clock.now().toISOString() };
          record.transitions += 1;
          this.persist(record);
        }
      }
    })();

    execution.result.then(
      (output) => {
        if (this.stopped || output === null) return;
        this.finish(record, 'SUCCEEDED', { output: JSON.stringify(output) });
      },
      (error: unknown) => {
        if (this.stopped) return;
        const cause = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
        const inner = cause.cause ?? cause;
        this.finish(record, 'FAILED', { error: inner.name ?? 'Error', cause: inner.message ?? String(error) });
      },
    );
  }

  /**
   * The task has returned and the execution waits for its token: its position (with the token) goes
   * to disk, its interpreter is stopped, and memory keeps a summary.
   */
  private park(record: ExecutionRecord, token: string, wait: NonNullable<ExecutionRecord['wait']>): void {
    const waiting = this.tokens.get(token)!;
    record.wait = { ...wait, token };
    this.persist(record);
    this.tokens.set(token, {
      executionArn: waiting.executionArn,
      stateMachineArn: waiting.stateMachineArn,
      state: waiting.state,
      deadline: waiting.deadline,
      ...(waiting.timer ? { timer: true } : {}),
    });
    this.running.get(record.executionArn)?.abort();
    this.running.delete(record.executionArn);
    this.executions.set(record.executionArn, slim(record));
    this.fireDueTimers();
  }

  /** The whole record of an execution: in memory while it runs, else read back from disk. */
  private full(entry: ExecutionRecord | Slim): ExecutionRecord | undefined {
    return 'slim' in entry ? this.load(entry.name) : entry;
  }

  private finish(record: ExecutionRecord, status: ExecutionStatus, fields: Partial<ExecutionRecord>): void {
    this.running.delete(record.executionArn);
    Object.assign(record, fields, { status, stopDate: this.clock.now().toISOString() });
    delete record.wait;
    this.persist(record);
    this.executions.set(record.executionArn, slim(record));
    this.fireDueTimers();
    if (status === 'FAILED') {
      console.error(JSON.stringify({ level: 'error', message: 'execution failed', execution: record.name, error: record.error, cause: record.cause }));
    }
  }

  private async invokeFor(resource: string, params: Record<string, unknown>): Promise<unknown> {
    const isIntegration = resource.startsWith('arn:aws:states:::lambda:invoke');
    const functionName = isIntegration ? String(params.FunctionName) : resource;
    const payload = isIntegration ? params.Payload : '__input' in params ? params.__input : params;
    try {
      return await this.lambda.invoke(functionName, payload);
    } catch (error) {
      if (error instanceof LambdaInvokeError) throw namedError(error.detail.errorType, error.detail.errorMessage);
      throw error;
    }
  }

  /**
   * Each execution has a journal, `<name>.jsonl`: every change appends the whole record as one line
   * (an append costs a tenth of a write-and-rename, and runs on every state). When the execution
   * ends, the journal is compacted into `<name>.json`. A line torn by a crash is skipped on load,
   * and ended, so that the next append starts a line of its own.
   */
  private persist(record: ExecutionRecord): void {
    const journal = path.join(this.dir, `${record.name}.jsonl`);
    if (record.status === 'RUNNING') {
      appendFileSync(journal, `${JSON.stringify(record)}\n`);
      return;
    }
    const file = path.join(this.dir, `${record.name}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(record));
    renameSync(temp, file);
    if (existsSync(journal)) unlinkSync(journal);
  }

  private load(name: string): ExecutionRecord | undefined {
    const journal = path.join(this.dir, `${name}.jsonl`);
    if (existsSync(journal)) {
      // The journal is at least as new as a compacted file (a crash between the two leaves both).
      const text = readFileSync(journal, 'utf8');
      // A torn last line is ended here, so that the next append starts a line of its own.
      if (text.length > 0 && !text.endsWith('\n')) appendFileSync(journal, '\n');
      const lines = text.split('\n');
      for (let i = lines.length - 1; i >= 0; i -= 1) {
        try {
          if (lines[i]) return JSON.parse(lines[i]!) as ExecutionRecord;
        } catch {
          // torn by a crash mid-append: the line before is the last whole one
        }
      }
    }
    const file = path.join(this.dir, `${name}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ExecutionRecord) : undefined;
  }
}

/**
 * The interpreter sets `$$.Execution.StartTime` to the machine's time when it starts running and
 * `$$.Execution.Input` to the input of the state it starts at; an execution resumed here (after a
 * restart, a wait, a clock advance) must see its own. Parameters that read them get the values.
 */
function bindExecutionContext<T>(node: T, values: { StartTime: string; Input: unknown }): T {
  if (Array.isArray(node)) return node.map((item: unknown) => bindExecutionContext(item, values)) as T;
  if (node === null || typeof node !== 'object') return node;
  const bound: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const field = value === '$$.Execution.StartTime' ? 'StartTime' : value === '$$.Execution.Input' ? 'Input' : undefined;
    if (key.endsWith('.$') && field) bound[key.slice(0, -2)] = values[field];
    else bound[key] = bindExecutionContext(value, values);
  }
  return bound as T;
}

/**
 * A Wait state becomes a task of the local service that parks the execution until its time on the
 * stack's clock (aws-local-stepfunctions would wait on a JS timer: not on that clock, and lost in a
 * restart). Its output is its input, as a Wait state's.
 */
function localizeWait(state: State): void {
  const { Seconds, SecondsPath, Timestamp, TimestampPath, InputPath } = state as Record<string, unknown>;
  if (InputPath !== undefined && InputPath !== '$') throw new Error('the local stack runs Wait states without an InputPath only');
  const parameters: Record<string, unknown> = {};
  if (Seconds !== undefined) parameters.seconds = Seconds;
  if (typeof SecondsPath === 'string') parameters['seconds.$'] = SecondsPath;
  if (Timestamp !== undefined) parameters.timestamp = Timestamp;
  if (typeof TimestampPath === 'string') parameters['timestamp.$'] = TimestampPath;
  for (const field of ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']) delete state[field];
  Object.assign(state, { Type: 'Task', Resource: LOCAL_WAIT, Parameters: parameters, ResultPath: null, TimeoutSeconds: INTERPRETER_TIMEOUT_SECONDS });
}

/** When a Wait state's time is up, from its seconds or timestamp; what AWS refuses fails the execution. */
function waitDeadline(stateName: string, params: Record<string, unknown>, now: number): number {
  if ('seconds' in params) {
    const seconds = params.seconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw namedError('States.Runtime', `The SecondsPath parameter of ${stateName} does not reference a valid non-negative integer: ${JSON.stringify(seconds)}`);
    }
    return now + seconds * 1000;
  }
  const at = typeof params.timestamp === 'string' ? Date.parse(params.timestamp) : NaN;
  if (Number.isNaN(at)) throw namedError('States.Runtime', `The TimestampPath parameter of ${stateName} does not reference a valid ISO-8601 timestamp: ${JSON.stringify(params.timestamp)}`);
  return at;
}

function slim(record: ExecutionRecord): Slim {
  const { executionArn, stateMachineArn, name, status, startDate, transitions, wait } = record;
  return { executionArn, stateMachineArn, name, status, startDate, transitions, ...(wait ? { wait } : {}), slim: true };
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(namedError('States.Timeout', 'The task timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * The local form of a definition: each Task's timeout moves into its parameters, where the task
 * handler reads it (TimeoutSecondsPath evaluated against the state's input, as on AWS), and the
 * interpreter's own timer is pushed out of the way.
 */
export function localize(definition: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(definition)) as { States: Record<string, State> };
  for (const state of Object.values(copy.States)) {
    if (state.Type === 'Parallel') {
      state.Branches = (state.Branches as Record<string, unknown>[]).map(localize);
    }
    if (state.Type === 'Map' && state.Iterator) state.Iterator = localize(state.Iterator as Record<string, unknown>);
    if (state.Type === 'Map' && state.ItemProcessor) state.ItemProcessor = localize(state.ItemProcessor as Record<string, unknown>);
    if (state.Type === 'Wait') {
      localizeWait(state);
      continue;
    }
    if (state.Type !== 'Task') continue;
    const parameters = (state.Parameters as Record<string, unknown> | undefined) ?? {};
    if (typeof state.TimeoutSecondsPath === 'string') {
      // Parameters see the state's input after InputPath, which is what TimeoutSecondsPath reads too.
      parameters[`${LOCAL_TIMEOUT}.$`] = state.TimeoutSecondsPath;
    } else {
      parameters[LOCAL_TIMEOUT] = state.TimeoutSeconds ?? 60;
    }
    if (!state.Parameters && !(state.Resource as string).startsWith('arn:aws:states:::')) {
      // A plain Lambda ARN task without Parameters passes its whole input.
      parameters['__input.$'] = '$';
    }
    state.Parameters = parameters;
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = INTERPRETER_TIMEOUT_SECONDS;
  }
  return copy;
}

