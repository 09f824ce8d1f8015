import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { attentionMetric, metricsNamespace, serviceName } from '../../contract/metrics.js';

/**
 * What someone must hear of, on one topic (mailed to `alarmEmail` when given): an execution of
 * either state machine that ended badly, and a purchase order that needs attention. The resources
 * keep the stack's own logical ids.
 */
export function addAlarms(scope: Stack, props: { machines: { workflow: sfn.StateMachine; deliveries: sfn.StateMachine; replays: sfn.StateMachine }; alarmEmail?: string }): void {
  // A failed, timed-out or aborted execution is a PO stuck: someone must hear of it.
  // A key of our own: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed key.
  const alarmKey = new kms.Key(scope, 'AlarmsKey', { description: 'Encrypts the alarm topic', enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  alarmKey.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  );
  const alarms = new sns.Topic(scope, 'Alarms', { displayName: 'Purchase-order workflow alarms', enforceSSL: true, masterKey: alarmKey });
  if (props.alarmEmail) new sns.Subscription(scope, 'AlarmEmail', { topic: alarms, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: props.alarmEmail });
  const endedBadly = (machine: sfn.StateMachine, id: string, description: string) =>
    new cloudwatch.Alarm(scope, id, {
      metric: new cloudwatch.MathExpression({
        // A period with no execution ending has no data points: count it as zero, not as missing.
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        usingMetrics: {
          failed: machine.metricFailed({ period: Duration.minutes(5) }),
          timedOut: machine.metricTimedOut({ period: Duration.minutes(5) }),
          aborted: machine.metricAborted({ period: Duration.minutes(5) }),
        },
        label: 'Executions that ended badly',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    }).addAlarmAction(new actions.SnsAction(alarms));
  endedBadly(props.machines.workflow, 'ExecutionsEndedBadly', 'A purchase-order execution failed, timed out or was aborted: its PO needs a look.');
  // A delivery ends well even when the endpoint keeps failing (that is recorded on the endpoint);
  // one that fails has lost an event for that endpoint until a replay.
  endedBadly(props.machines.deliveries, 'DeliveriesEndedBadly', 'A webhook delivery execution failed, timed out or was aborted: replay the event to the endpoint.');
  endedBadly(props.machines.replays, 'ReplaysEndedBadly', 'A webhook replay execution failed, timed out or was aborted: replay again with another key.');
  // A PO that needs attention waits for a person: an email SES would not send (an unverified
  // sender or, in the SES sandbox, recipient), or a step that failed for good.
  new cloudwatch.Alarm(scope, 'PurchaseOrdersNeedAttention', {
    metric: new cloudwatch.Metric({
      namespace: metricsNamespace,
      metricName: attentionMetric,
      dimensionsMap: { service: serviceName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: 'A purchase order needs attention (the back office lists it with the reason): fix the cause, then resume it.',
  }).addAlarmAction(new actions.SnsAction(alarms));
}
