import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DeliveryStarter } from '../app/ports.js';

/** A delivery is an execution of the delivery state machine named after it: a second start is a no-op. */
export class StepFunctionsDeliveries implements DeliveryStarter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: { eventId: string; endpointId: string }): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify({ ...input, attempt: 0 }) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error; // started before (a retried publish)
    }
  }
}
