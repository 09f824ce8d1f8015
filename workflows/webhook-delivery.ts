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
    const deliver = new LambdaInvoke(this, 'Deliver', {
      lambdaFunction: props.deliver,
      payload: sfn.TaskInput.fromObject({
        eventId: sfn.JsonPath.stringAt('$.eventId'),
        endpointId: sfn.JsonPath.stringAt('$.endpointId'),
        attempt: sfn.JsonPath.numberAt('$.attempt'),
        deliveryId: sfn.JsonPath.stringAt('$$.Execution.Name'),
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      // The receiver has 15 s to answer; the rest is reading and recording.
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
    });
    deliver.addRetry({
      errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'Transient', 'States.Timeout'],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    const pause = new sfn.Wait(this, 'Wait for the next attempt', { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
    const done = new sfn.Succeed(this, 'Done');
    this.definition = deliver.next(
      new sfn.Choice(this, 'Try again?').when(sfn.Condition.stringEquals('$.outcome', 'retry'), pause.next(deliver)).otherwise(done),
    );
  }
}
