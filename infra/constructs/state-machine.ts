import { Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { PoFunction } from './po-function.js';

/**
 * A Standard state machine with tracing and every event logged, but no execution data (inputs and
 * outputs carry task tokens), allowed to invoke `invokes`.
 */
export function standardMachine(
  scope: Construct,
  id: string,
  props: { name: string; definition: sfn.IChainable; comment: string; retention: logs.RetentionDays; invokes: PoFunction[] },
): sfn.StateMachine {
  const machine = new sfn.StateMachine(scope, id, {
    stateMachineName: props.name,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    tracingEnabled: true,
    comment: props.comment,
    logs: { destination: new logs.LogGroup(scope, `${id}Logs`, { retention: props.retention }), level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  Validations.of(machine).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Step Functions log delivery (logs:CreateLogDelivery and the like) and X-Ray take no resource-level scoping.',
  });
  for (const fn of props.invokes) {
    Validations.of(machine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: 'Invoking a task function includes its versions and aliases (function ARN with :*).',
    });
  }
  return machine;
}
