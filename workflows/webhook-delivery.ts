import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * One execution per delivery of an event to a webhook endpoint, named `<eventId>--<endpointId>`
 * (a redelivery or a replay adds a suffix), so a publish that runs twice starts it once.
 *
 *   Deliver -> Try again? -> (retry) Wait for the next attempt -> Deliver ...
 *                         -> (done)  Done
 *
 * "Deliver" makes one attempt and records it in the endpoint's delivery log; it says whether to try
 * again and after how long (the schedule in functions/app/webhooks.ts, or the receiver's
 * Retry-After). The pause is a Wait state: nothing runs and nothing is paid while it lasts, and it
 * may last hours. The task's own faults (Lambda's, throttling) are retried at once, apart from the
 * schedule; an execution that still fails shows as FAILED with its cause.
 */
export interface WebhookDeliveryProps {
  deliver: IFunction;
}

export class WebhookDelivery extends Construct {
  readonly definition: sfn.IChainable;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    const deliver = retriedTask(this, 'Deliver', {
      fn: props.deliver,
      payload: {
        eventId: sfn.JsonPath.stringAt('$.eventId'),
        endpointId: sfn.JsonPath.stringAt('$.endpointId'),
        attempt: sfn.JsonPath.numberAt('$.attempt'),
        deliveryId: sfn.JsonPath.stringAt('$$.Execution.Name'),
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      },
      // The receiver has 15 s to answer; the rest is reading and recording.
      timeout: Duration.seconds(30),
    });
    const pause = new sfn.Wait(this, 'Wait for the next attempt', { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
    const done = new sfn.Succeed(this, 'Done');
    this.definition = deliver.next(
      new sfn.Choice(this, 'Try again?').when(sfn.Condition.stringEquals('$.outcome', 'retry'), pause.next(deliver)).otherwise(done),
    );
  }
}

/**
 * A Lambda task whose answer is the state's output, its own faults (Lambda's, throttling, a
 * timeout, a `Transient` error) retried at once with jitter, apart from any schedule of the machine.
 */
export function retriedTask(scope: Construct, id: string, props: { fn: IFunction; payload: Record<string, unknown>; timeout: Duration }): LambdaInvoke {
  const task = new LambdaInvoke(scope, id, {
    lambdaFunction: props.fn,
    payload: sfn.TaskInput.fromObject(props.payload),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: sfn.Timeout.duration(props.timeout),
  });
  task.addRetry({
    errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'Transient', 'States.Timeout'],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  return task;
}
