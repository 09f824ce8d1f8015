import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { retriedTask } from './webhook-delivery.js';

/**
 * One execution per replay of an endpoint's events, named after the replay id, so a replay asked
 * twice runs once.
 *
 *   Replay a page -> More? -> (yes) Replay a page ...
 *                          -> (no)  Done
 *
 * "Replay a page" starts the deliveries of up to 100 events from where the last page ended (each
 * named after its event, the endpoint and the replay: a page run twice starts nothing twice) and
 * says where the next one goes on. Its own faults are retried.
 */
export class WebhookReplay extends Construct {
  readonly definition: sfn.IChainable;

  constructor(scope: Construct, id: string, props: { replayPage: IFunction }) {
    super(scope, id);
    const page = retriedTask(this, 'Replay a page', {
      fn: props.replayPage,
      payload: {
        replayId: sfn.JsonPath.stringAt('$$.Execution.Name'),
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
        endpointId: sfn.JsonPath.stringAt('$.endpointId'),
        since: sfn.JsonPath.stringAt('$.since'),
        cursor: sfn.JsonPath.stringAt('$.cursor'),
        replayed: sfn.JsonPath.numberAt('$.replayed'),
      },
      timeout: Duration.minutes(1),
    });
    this.definition = page.next(new sfn.Choice(this, 'More?').when(sfn.Condition.booleanEquals('$.more', true), page).otherwise(new sfn.Succeed(this, 'Done')));
  }
}
