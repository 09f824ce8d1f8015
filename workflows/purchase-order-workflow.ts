import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * One execution per purchase order, named after it. The PO in the table is the truth; the workflow
 * orders what happens next by the PO's status, so each path of the seed documents reads off it:
 *
 * - PO with review (Cleverbridge; offline and converted POs too): "Await release" until a reviewer
 *   or finance decides; the review expires after the policy's days.
 * - Instant delivery / online payment / Shopbay deferred: "Deliver and invoice" at once, then
 *   "Await payment on terms" (net terms, with the due date as the timer; or collection on delivery).
 * - Delayed delivery (prepayment) and Shopbay offline payment: "Issue proforma" when due, then
 *   "Await prepayment": the buyer reports payments, finance verifies or rejects them (any number of
 *   times), disputes are resolved, an offline order may be converted to a PO; once paid in full the
 *   PO is ordered and delivered.
 *
 * Every wait parks a task token on the PO and ends when the PO changes; "Notify" then tells the buyer
 * and finance of each change, and "Next step?" routes on the new status.
 */
export type WorkflowTask = 'notify' | 'awaitReview' | 'expireReview' | 'issueProforma' | 'awaitChange' | 'fulfil' | 'paymentCalendar' | 'issueCreditNote';

export interface PurchaseOrderWorkflowProps {
  functions: Record<WorkflowTask, IFunction>;
}

const lambdaErrors = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

export class PurchaseOrderWorkflow extends Construct {
  readonly definition: sfn.IChainable;

  constructor(scope: Construct, id: string, props: PurchaseOrderWorkflowProps) {
    super(scope, id);
    const fn = props.functions;

    /** A plain Lambda task, retried on transient failures (Lambda service errors, throttling, a crash). */
    const step = (name: string, task: WorkflowTask, resultPath: string, payload: Record<string, unknown> = {}) => {
      const invoke = new LambdaInvoke(this, name, {
        lambdaFunction: fn[task],
        payload: sfn.TaskInput.fromObject({ poId: sfn.JsonPath.stringAt('$.poId'), ...payload }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
      });
      invoke.addRetry({ errors: lambdaErrors, interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2 });
      invoke.addRetry({ errors: ['States.TaskFailed', 'States.Timeout'], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2 });
      return invoke;
    };

    /** A task that parks the execution until the PO changes; its timer is the PO's own (expiry, due date). */
    const wait = (name: string, task: WorkflowTask) => {
      const invoke = new LambdaInvoke(this, name, {
        lambdaFunction: fn[task],
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        retryOnServiceExceptions: false,
        payload: sfn.TaskInput.fromObject({
          poId: sfn.JsonPath.stringAt('$.poId'),
          token: sfn.JsonPath.taskToken,
          seenVersion: sfn.JsonPath.numberAt('$.po.version'),
        }),
        taskTimeout: sfn.Timeout.at('$.po.waitSeconds'),
        resultPath: '$.po',
      });
      invoke.addRetry({ errors: lambdaErrors, interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2 });
      return invoke;
    };
    const anyOf = (path: string, values: string[]) => sfn.Condition.or(...values.map((value) => sfn.Condition.stringEquals(path, value)));

    const notify = step('Notify', 'notify', '$.notifiedVersion', { notifiedVersion: sfn.JsonPath.numberAt('$.notifiedVersion') });

    // PO with review: wait for the reviewer's or finance's decision; expire after the policy's days.
    const awaitRelease = wait('Await release', 'awaitReview');
    const expireReview = step('Expire review', 'expireReview', '$.po');
    awaitRelease.addCatch(expireReview, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    awaitRelease.next(notify);
    expireReview.next(notify);

    // Prepayment (proforma) and offline payment: payments reported, verified, rejected, disputed.
    const awaitPrepayment = wait('Await prepayment', 'awaitChange');
    awaitPrepayment.addCatch(notify, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    awaitPrepayment.next(notify);
    const issueProforma = step('Issue proforma', 'issueProforma', '$.po').next(awaitPrepayment);

    // Ordered (net terms, online, partner) or deferred: deliver and invoice, then wait for payment and delivery.
    const awaitPayment = wait('Await payment on terms', 'awaitChange');
    // The wait's timer is the next date of the payment calendar: reminder, due date, automatic cancellation.
    const calendar = step('Payment calendar', 'paymentCalendar', '$.po');
    awaitPayment.addCatch(calendar, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    awaitPayment.next(notify);
    calendar.next(notify);

    // A cancelled PO that was invoiced gets a credit note.
    const cancelled = new sfn.Succeed(this, 'Cancelled');
    const creditNote = step('Issue credit note', 'issueCreditNote', '$.po').next(cancelled);
    const fulfil = step('Deliver and invoice', 'fulfil', '$.po').next(awaitPayment);

    // One choice routes every status (a state transition is billed, so no second choice follows).
    const unpaid = anyOf('$.po.status', ['awaiting_payment', 'payment_submitted', 'payment_rejected', 'disputed']);
    const ordered = anyOf('$.po.status', ['ordered', 'deferred', 'overdue']);
    const nextStep = new sfn.Choice(this, 'Next step?')
      .when(sfn.Condition.stringEquals('$.po.status', 'awaiting_review'), awaitRelease)
      .when(sfn.Condition.and(unpaid, sfn.Condition.booleanEquals('$.po.needsProforma', true)), issueProforma)
      .when(unpaid, awaitPrepayment)
      .when(sfn.Condition.and(ordered, sfn.Condition.booleanEquals('$.po.fulfilled', false)), fulfil)
      .when(ordered, awaitPayment)
      .when(sfn.Condition.stringEquals('$.po.status', 'completed'), new sfn.Succeed(this, 'Completed'))
      .when(sfn.Condition.stringEquals('$.po.status', 'rejected'), new sfn.Succeed(this, 'Rejected'))
      .when(sfn.Condition.booleanEquals('$.po.needsCreditNote', true), creditNote)
      .otherwise(cancelled);
    notify.next(nextStep);

    this.definition = notify;
  }
}
