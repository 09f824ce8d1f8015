import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { Workflow } from '../app/ports.js';

/**
 * One Step Functions execution per PO, named after it, so starting twice starts once. An execution
 * that ended badly, or handed over before its year was up, is followed by `<id>-r2`, `<id>-r3`, ...
 * (names cannot be reused).
 */
export class StepFunctionsWorkflow implements Workflow {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(poId: string, input: Record<string, unknown>): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: poId, input: JSON.stringify(input) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async signal(token: string, output: Record<string, unknown>): Promise<void> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    } catch (error) {
      // The task already moved on (another signal won, it timed out, or it was re-entered with a new token).
      if (error instanceof TaskDoesNotExist || error instanceof InvalidToken || error instanceof TaskTimedOut) return;
      throw error;
    }
  }

  async isRunning(poId: string): Promise<boolean> {
    return (await this.latest(poId))?.status === 'RUNNING';
  }

  async restart(poId: string, input: Record<string, unknown>): Promise<void> {
    const latest = await this.latest(poId);
    if (latest?.status === 'RUNNING') return;
    const name = latest ? `${poId}-r${latest.generation + 1}` : poId;
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async handOver(poId: string, fromExecution: string, input: Record<string, unknown>): Promise<string> {
    const name = nextGeneration(poId, fromExecution);
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error; // a retry: it started already
    }
    return name;
  }

  /** The PO's latest execution: the first name, then each restart's, until one does not exist. */
  private async latest(poId: string): Promise<{ generation: number; status: string } | null> {
    let found: { generation: number; status: string } | null = null;
    for (let generation = 1; generation < 100; generation += 1) {
      const name = generation === 1 ? poId : `${poId}-r${generation}`;
      try {
        const execution = await this.sfn.send(new DescribeExecutionCommand({ executionArn: `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}` }));
        found = { generation, status: execution.status ?? 'UNKNOWN' };
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) return found;
        throw error;
      }
    }
    return found;
  }
}

/** The name of the execution after `execution` of this PO: `<id>` -> `<id>-r2` -> `<id>-r3`. */
export function nextGeneration(poId: string, execution: string): string {
  const generation = execution === poId ? 1 : Number(/-r(\d+)$/.exec(execution)?.[1] ?? Number.NaN);
  if (!execution.startsWith(poId) || !Number.isInteger(generation)) throw new Error(`execution ${execution} is not one of purchase order ${poId}`);
  return `${poId}-r${generation + 1}`;
}
