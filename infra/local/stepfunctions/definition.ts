import { LambdaInvokeError, type LocalLambdaRuntime } from '../lambda-runtime.js';

/** The synthesized definition made runnable by the interpreter, and the parts of a state it cannot run alone. */

// The interpreter arms its own JS timer for every task; keep it beyond any local wait (24.8 days is
// the most a JS timer holds), since this service enforces the real timeouts durably.
const INTERPRETER_TIMEOUT_SECONDS = 2_147_483;
export const LOCAL_TIMEOUT = '__localTimeoutSeconds';
/** The task a Wait state becomes locally: it parks the execution on a timer of the stack's clock. */
export const LOCAL_WAIT = 'arn:local:states:::wait';
export type State = Record<string, unknown> & { Type: string };

/**
 * The interpreter sets `$$.Execution.StartTime` to the machine's time when it starts running and
 * `$$.Execution.Input` to the input of the state it starts at; an execution resumed here (after a
 * restart, a wait, a clock advance) must see its own. Parameters that read them get the values.
 */
export function bindExecutionContext<T>(node: T, values: { StartTime: string; Input: unknown }): T {
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
export function waitDeadline(stateName: string, params: Record<string, unknown>, now: number): number {
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


export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
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


/** Runs a task's function: a Lambda ARN task, or the lambda:invoke integration with its FunctionName and Payload. */
export async function invokeTask(lambda: LocalLambdaRuntime, resource: string, params: Record<string, unknown>): Promise<unknown> {
  const isIntegration = resource.startsWith('arn:aws:states:::lambda:invoke');
  const functionName = isIntegration ? String(params.FunctionName) : resource;
  const payload = isIntegration ? params.Payload : '__input' in params ? params.__input : params;
  try {
    return await lambda.invoke(functionName, payload);
  } catch (error) {
    if (error instanceof LambdaInvokeError) throw namedError(error.detail.errorType, error.detail.errorMessage);
    throw error;
  }
}
