import { sfnClient } from '../adapters/aws-clients.js';
import { StepFunctionsWorkflow } from '../adapters/workflow-client.js';
import type { Workflow } from '../app/ports.js';
import { envNames, requireEnv } from '../runtime/env.js';

export const workflow = (): Workflow => new StepFunctionsWorkflow(sfnClient(), requireEnv(envNames.stateMachineArn));

/** A workflow port for functions that only release waits (they never start executions). */
export const signalOnlyWorkflow = (): Workflow => new StepFunctionsWorkflow(sfnClient(), 'not-used-for-signals');
