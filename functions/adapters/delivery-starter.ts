import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DeliveryStarter, ReplayStarter } from '../app/ports.js';

/**
 * Executions of a state machine named after what they do (a delivery, a replay): a second start of
 * the same name is a no-op, so whatever asks twice runs once. `initial` is the rest of the first
 * state's input (a delivery's attempt count, a replay's cursor).
 */
export class StepFunctionsStarter implements DeliveryStarter, ReplayStarter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly initial: Record<string, unknown>,
  ) {}

  async start(name: string, input: object): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify({ ...input, ...this.initial }) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error; // started before (a retried publish, a replay asked again)
    }
  }
}
