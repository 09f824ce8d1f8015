import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { LocalStateMachine } from '../assembly.js';
import type { LocalClock } from '../clock.js';
import { bindExecutionContext, LOCAL_TIMEOUT, LOCAL_WAIT, namedError, waitDeadline, withTimeout, type State } from './definition.js';
import type { ExecutionRecord, ExecutionStatus, RunMode, Waiting } from './journal.js';

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

/** What running an execution needs of the service around it. */
export interface ExecutionHost {
  clock: LocalClock;
  tokens: Map<string, Waiting>;
  running: Map<string, { abort: () => void }>;
  stopped: () => boolean;
  machine: (arn: string) => { def: LocalStateMachine; localDefinition: Record<string, unknown> };
  persist: (record: ExecutionRecord) => void;
  park: (record: ExecutionRecord, token: string, wait: NonNullable<ExecutionRecord['wait']>) => void;
  finish: (record: ExecutionRecord, status: ExecutionStatus, fields: Partial<ExecutionRecord>) => void;
  invoke: (resource: string, params: Record<string, unknown>) => Promise<unknown>;
}

/**
 * Runs an execution on the interpreter from where it stands: the start, the state it was in before a
 * restart, or the waiting state woken with its answer. Every state it enters is journaled; a task
 * that waits for a token, or a Wait state, parks it (the interpreter stops; memory keeps a summary).
 */
export function runExecution(host: ExecutionHost, record: ExecutionRecord, mode: RunMode): void {
  const machine = host.machine(record.stateMachineArn);
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
      const deadline = carried?.state === stateName ? Date.parse(carried.deadline) : waitDeadline(stateName, params, host.clock.now().getTime());
      carried = undefined;
      const token = `wait-${randomBytes(24).toString('base64url')}`;
      const wait = { state: stateName, deadline: new Date(deadline).toISOString(), id: randomBytes(8).toString('hex'), timer: true };
      record.wait = wait;
      host.persist(record);
      const settled = new Promise((resolve, reject) => {
        host.tokens.set(token, { executionArn: record.executionArn, stateMachineArn: record.stateMachineArn, state: stateName, deadline, timer: true, live: { resolve, reject } });
      });
      await Promise.resolve();
      if (host.tokens.has(token) && !host.stopped()) host.park(record, token, wait);
      return settled;
    }
    if (resource.endsWith('.waitForTaskToken')) {
      const token = pendingToken;
      pendingToken = null;
      if (!token) throw namedError('States.Runtime', `${stateName} waits for a task token but its input does not carry $$.Task.Token`);
      const deadline = carried?.state === stateName ? Date.parse(carried.deadline) : host.clock.now().getTime() + timeoutSeconds * 1000;
      carried = undefined;
      const wait = { state: stateName, deadline: new Date(deadline).toISOString(), id: randomBytes(8).toString('hex') };
      record.wait = wait;
      host.persist(record);
      const settled = new Promise((resolve, reject) => {
        host.tokens.set(token, { executionArn: record.executionArn, stateMachineArn: record.stateMachineArn, state: stateName, deadline, live: { resolve, reject } });
      });
      // Once the wait is over (answered or timed out), its deadline no longer applies.
      const over = () => {
        if (record.wait?.id === wait.id && !host.stopped()) {
          delete record.wait;
          host.persist(record);
        }
      };
      settled.then(over, over);
      try {
        await host.invoke(resource, params);
      } catch (error) {
        host.tokens.delete(token);
        throw error;
      }
      if (host.tokens.has(token) && !host.stopped()) host.park(record, token, wait);
      return settled;
    }
    carried = undefined;
    const result = await withTimeout(host.invoke(resource, params), timeoutSeconds * 1000);
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
  host.running.set(record.executionArn, execution);

  void (async () => {
    for await (const event of execution.eventLogs) {
      if (host.stopped()) return;
      if (event.type === 'StateEntered') {
        if (uncounted > 0) {
          uncounted -= 1;
          continue;
        }
        record.current = { state: event.state.name, input: event.state.input, enteredAt: host.clock.now().toISOString() };
        record.transitions += 1;
        host.persist(record);
      }
    }
  })();

  execution.result.then(
    (output) => {
      if (host.stopped() || output === null) return;
      host.finish(record, 'SUCCEEDED', { output: JSON.stringify(output) });
    },
    (error: unknown) => {
      if (host.stopped()) return;
      const cause = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
      const inner = cause.cause ?? cause;
      host.finish(record, 'FAILED', { error: inner.name ?? 'Error', cause: inner.message ?? String(error) });
    },
  );
}
