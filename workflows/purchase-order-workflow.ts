import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * One execution per purchase order, named after it. The PO in the table is the truth; the workflow
 * orders what happens next: wait for the review (task token), release with invoice and delivery,
 * wait for payment (task token) with the due date as the timeout, and the notices in between.
 *
 *   Review needed? ── yes ─> Await review decision ──(timeout)──> Expire review
 *        │                        │
 *        no                  Decision? ── rejected ──> Notify rejection ──> Rejected
 *        │                        │ approved
 *        └──────────────> Fulfil: invoice + delivery ──> Await payment ──(timeout)──> Mark overdue ─┐
 *                                                            │  ^─────────────────────────────────┘
 *                                                        Paid? ──> Notify payment received ──> Completed
 */
export type WorkflowTask = 'requestReview' | 'expireReview' | 'notifyRejected' | 'fulfil' | 'awaitPayment' | 'markOverdue' | 'notifyPaid';

export interface PurchaseOrderWorkflowProps {
  functions: Record<WorkflowTask, IFunction>;
}

export class PurchaseOrderWorkflow extends Construct {
  readonly definition: sfn.IChainable;

  constructor(scope: Construct, id: string, props: PurchaseOrderWorkflowProps) {
    super(scope, id);
    const fn = props.functions;

    /** A plain Lambda task, retried on transient failures (Lambda service errors, throttling, a crash). */
    const step = (name: string, task: WorkflowTask, resultPath: string | null) => {
      const invoke = new LambdaInvoke(this, name, {
        lambdaFunction: fn[task],
        payload: sfn.TaskInput.fromObject({ poId: sfn.JsonPath.stringAt('$.poId') }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath: resultPath === null ? sfn.JsonPath.DISCARD : resultPath,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
      });
      invoke.addRetry({
        errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
        interval: Duration.seconds(1),
        maxAttempts: 6,
        backoffRate: 2,
      });
      invoke.addRetry({ errors: ['States.TaskFailed', 'States.Timeout'], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2 });
      return invoke;
    };

    /** A task that parks the execution until an action on the PO sends the token back. */
    const wait = (name: string, task: WorkflowTask, timeoutPath: string, resultPath: string, extra: Record<string, unknown> = {}) => {
      const invoke = new LambdaInvoke(this, name, {
        lambdaFunction: fn[task],
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        retryOnServiceExceptions: false,
        payload: sfn.TaskInput.fromObject({ poId: sfn.JsonPath.stringAt('$.poId'), token: sfn.JsonPath.taskToken, ...extra }),
        taskTimeout: sfn.Timeout.at(timeoutPath),
        resultPath,
      });
      invoke.addRetry({
        errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
        interval: Duration.seconds(1),
        maxAttempts: 6,
        backoffRate: 2,
      });
      return invoke;
    };

    const completed = new sfn.Succeed(this, 'Completed');
    const rejected = new sfn.Succeed(this, 'Rejected');
    const ended = new sfn.Succeed(this, 'Ended', { comment: 'Cancelled, expired, or closed outside the happy path' });

    const notifyPaid = step('Notify payment received', 'notifyPaid', null).next(completed);
    const paid = new sfn.Choice(this, 'Paid?').when(sfn.Condition.booleanEquals('$.payment.paid', true), notifyPaid).otherwise(ended);

    const awaitPayment = wait('Await payment', 'awaitPayment', '$.fulfil.dueInSeconds', '$.payment');
    const markOverdue = step('Mark overdue', 'markOverdue', '$.fulfil');
    awaitPayment.addCatch(markOverdue, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    markOverdue.next(awaitPayment);
    awaitPayment.next(paid);

    const fulfil = step('Fulfil: invoice and delivery', 'fulfil', '$.fulfil');
    const fulfilled = new sfn.Choice(this, 'Fulfilled?')
      .when(sfn.Condition.booleanEquals('$.fulfil.fulfilled', true), awaitPayment)
      .otherwise(ended);
    fulfil.next(fulfilled);

    const notifyRejected = step('Notify rejection', 'notifyRejected', null).next(rejected);
    const decision = new sfn.Choice(this, 'Decision?')
      .when(sfn.Condition.stringEquals('$.review.decision', 'approved'), fulfil)
      .when(sfn.Condition.stringEquals('$.review.decision', 'rejected'), notifyRejected)
      .otherwise(ended);

    const awaitReview = wait('Await review decision', 'requestReview', '$.reviewTimeoutSeconds', '$.review', {
      reviewTimeoutSeconds: sfn.JsonPath.numberAt('$.reviewTimeoutSeconds'),
    });
    const expireReview = step('Expire review', 'expireReview', '$.review');
    awaitReview.addCatch(expireReview, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    awaitReview.next(decision);
    expireReview.next(decision);

    this.definition = new sfn.Choice(this, 'Review needed?')
      .when(sfn.Condition.booleanEquals('$.reviewRequired', true), awaitReview)
      .otherwise(fulfil);
  }
}
