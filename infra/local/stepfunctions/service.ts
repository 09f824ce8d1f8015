import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { LocalStateMachine } from '../assembly.js';
import type { LocalClock } from '../clock.js';
import type { LocalLambdaRuntime } from '../lambda-runtime.js';
import { invokeTask, localize, namedError } from './definition.js';
import { ExecutionJournal, slim, type ExecutionRecord, type ExecutionStatus, type RunMode, type Slim, type Waiting } from './journal.js';
import { runExecution, type ExecutionHost } from './run.js';

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

export class LocalStepFunctions {
  private readonly machines = new Map<string, { def: LocalStateMachine; localDefinition: Record<string, unknown> }>();
  private readonly executions = new Map<string, ExecutionRecord | Slim>();
  /** Executions with an interpreter running, by ARN. */
  private readonly running = new Map<string, { abort: () => void }>();
  private readonly tokens = new Map<string, Waiting>();
  private readonly journal: ExecutionJournal;
  private readonly host: ExecutionHost;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    machines: LocalStateMachine[],
    lambda: LocalLambdaRuntime,
    private readonly clock: LocalClock,
    dataDir: string,
  ) {
    this.journal = new ExecutionJournal(dataDir);
    this.host = {
      clock,
      tokens: this.tokens,
      running: this.running,
      stopped: () => this.stopped,
      machine: (arn) => this.machines.get(arn)!,
      persist: (record) => this.journal.persist(record),
      park: (record, token, wait) => this.park(record, token, wait),
      finish: (record, status, fields) => this.finish(record, status, fields),
      invoke: (resource, params) => invokeTask(lambda, resource, params),
    };
    for (const def of machines) {
      new StateMachine(def.definition as never); // validate the synthesized definition once, as AWS would
      this.machines.set(def.arn, { def, localDefinition: localize(def.definition) });
    }
  }

  /** Loads persisted executions and resumes those still running; starts the timer loop. */
  start(): void {
    for (const name of this.journal.names()) {
      const record = this.journal.load(name);
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
        this.runFrom(record, { kind: 'restart' });
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
    this.journal.persist(record);
    this.runFrom(record, { kind: 'start' });
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
    this.journal.persist(record);
    this.runFrom(record, { kind: 'wake', state: waiting.state, outcome });
  }

  /** The execution ran for a year: it stops where it is, as on AWS. */
  private timeOutExecution(entry: ExecutionRecord | Slim): void {
    const record = this.full(entry);
    if (!record) return;
    this.running.get(record.executionArn)?.abort();
    for (const [token, waiting] of this.tokens) if (waiting.executionArn === record.executionArn) this.tokens.delete(token);
    this.finish(record, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution reached the maximum duration of a Standard workflow (one year)' });
  }

  private runFrom(record: ExecutionRecord, mode: RunMode): void {
    runExecution(this.host, record, mode);
  }

  /**
   * The task has returned and the execution waits for its token: its position (with the token) goes
   * to disk, its interpreter is stopped, and memory keeps a summary.
   */
  private park(record: ExecutionRecord, token: string, wait: NonNullable<ExecutionRecord['wait']>): void {
    const waiting = this.tokens.get(token)!;
    record.wait = { ...wait, token };
    this.journal.persist(record);
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
    return 'slim' in entry ? this.journal.load(entry.name) : entry;
  }

  private finish(record: ExecutionRecord, status: ExecutionStatus, fields: Partial<ExecutionRecord>): void {
    this.running.delete(record.executionArn);
    Object.assign(record, fields, { status, stopDate: this.clock.now().toISOString() });
    delete record.wait;
    this.journal.persist(record);
    this.executions.set(record.executionArn, slim(record));
    this.fireDueTimers();
    if (status === 'FAILED') {
      console.error(JSON.stringify({ level: 'error', message: 'execution failed', execution: record.name, error: record.error, cause: record.cause }));
    }
  }


}
