import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { NextStep } from '../contract/execution.js';
import { statePaths, type WorkflowTask } from '../contract/execution.js';

export type { WorkflowTask } from '../contract/execution.js';

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
 * Every wait parks a task token on the PO and ends when the PO changes. Every step that changes the
 * PO is followed by "Notify", which tells the buyer, finance and the reviewers of each change (and
 * attaches the documents issued), so no end state is reached before its changes are told. "Next
 * step?" then routes on `po.next`, which the domain computes from the PO (workflow-view.ts).
 */
export interface PurchaseOrderWorkflowProps {
  functions: Record<WorkflowTask, IFunction>;
}

const lambdaErrors = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];
/** Passing faults: 2 s doubling to at most 5 min, with full jitter, ten tries (about twenty minutes). */
const transientRetry: sfn.RetryProps = {
  errors: ['Transient'],
  interval: Duration.seconds(2),
  maxAttempts: 10,
  backoffRate: 2,
  maxDelay: Duration.minutes(5),
  jitterStrategy: sfn.JitterType.FULL,
};

export class PurchaseOrderWorkflow extends Construct {
  readonly definition: sfn.IChainable;

  constructor(scope: Construct, id: string, props: PurchaseOrderWorkflowProps) {
    super(scope, id);
    const fn = props.functions;

    // A step that fails for good (its retries spent, or an error no retry mends) marks the PO as
    // needing attention, tells finance, and waits for finance to resume it ("Await resume"). If even
    // that fails, the execution fails and the alarm fires.
    const needsAttention = new LambdaInvoke(this, 'Needs attention', {
      lambdaFunction: fn.needsAttention,
      payload: sfn.TaskInput.fromObject({
        poId: sfn.JsonPath.stringAt(statePaths.poId),
        step: sfn.JsonPath.stringAt(statePaths.failedStep),
        failure: sfn.JsonPath.objectAt(statePaths.failure),
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: statePaths.po,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    });
    needsAttention.addRetry({ errors: lambdaErrors, interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2 });
    needsAttention.addRetry(transientRetry);
    /** Routes a step's failure to "Needs attention", naming the step. */
    const onFailure = (state: sfn.TaskStateBase, name: string) =>
      state.addCatch(new sfn.Pass(this, `${name} failed`, { result: sfn.Result.fromString(name), resultPath: statePaths.failedStep }).next(needsAttention), {
        errors: ['States.ALL'],
        resultPath: statePaths.failure,
      });

    /**
     * A plain Lambda task. Lambda's own faults and what the task reports as `Transient` (throttling,
     * a service error) are retried with backoff for about twenty minutes; any other error twice; then
     * the PO needs attention.
     */
    const step = (name: string, task: WorkflowTask, resultPath: string, payload: Record<string, unknown> = {}) => {
      const invoke = new LambdaInvoke(this, name, {
        lambdaFunction: fn[task],
        payload: sfn.TaskInput.fromObject({ poId: sfn.JsonPath.stringAt(statePaths.poId), ...payload }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        resultPath,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
      });
      invoke.addRetry({ errors: lambdaErrors, interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2 });
      invoke.addRetry({ ...transientRetry, errors: ['Transient', 'States.Timeout'] });
      invoke.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 2, backoffRate: 2 });
      onFailure(invoke, name);
      return invoke;
    };

    /**
     * A task that parks the execution until the PO changes; its timer is the PO's own (expiry, due
     * date), and when it runs out the execution goes on to `onTimer`.
     */
    const wait = (name: string, onTimer: sfn.IChainable) => {
      const invoke = new LambdaInvoke(this, name, {
        lambdaFunction: fn.awaitChange,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        retryOnServiceExceptions: false,
        payload: sfn.TaskInput.fromObject({
          poId: sfn.JsonPath.stringAt(statePaths.poId),
          token: sfn.JsonPath.taskToken,
          seenVersion: sfn.JsonPath.numberAt(statePaths.version),
          startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
        }),
        taskTimeout: sfn.Timeout.at(statePaths.waitSeconds),
        resultPath: statePaths.po,
      });
      invoke.addRetry({ errors: lambdaErrors, interval: Duration.seconds(1), maxAttempts: 6, backoffRate: 2 });
      invoke.addRetry(transientRetry);
      invoke.addCatch(onTimer, { errors: ['States.Timeout'], resultPath: statePaths.timedOut });
      onFailure(invoke, name);
      return invoke;
    };

    const notify = step('Notify', 'notify', statePaths.notifiedVersion, { notifiedVersion: sfn.JsonPath.numberAt(statePaths.notifiedVersion) });

    // A PO that needs attention waits for finance to resume it (or for a decision that moves it).
    const awaitResume = wait('Await resume', notify);
    awaitResume.next(notify);
    needsAttention.next(awaitResume);

    // PO with review: wait for the reviewers' or finance's decision; remind the reviewers before the
    // deadline and expire the review at it (the wait's timer is the next of the two).
    const reviewTimer = step('Review timer', 'reviewTimer', statePaths.po).next(notify);
    const awaitRelease = wait('Await release', reviewTimer);
    awaitRelease.next(notify);

    // The payment calendar: on net terms, reminders, the due date and an automatic cancellation; before
    // delivery (offline payment, proforma), reminders and a cancellation of what is not paid.
    const calendar = step('Payment calendar', 'paymentCalendar', statePaths.po).next(notify);

    // Prepayment (proforma) and offline payment: payments reported, verified, rejected, disputed.
    // Its timer is the next date of the unpaid calendar: a reminder, the cancellation.
    const awaitPrepayment = wait('Await prepayment', calendar);
    awaitPrepayment.next(notify);
    const issueProforma = step('Issue proforma', 'issueProforma', statePaths.po).next(notify);

    // Ordered (net terms, online, partner) or deferred: deliver and invoice, then wait for payment and delivery.
    const fulfil = step('Deliver and invoice', 'fulfil', statePaths.po).next(notify);
    // The wait's timer is the next date of the payment calendar.
    const awaitPayment = wait('Await payment on terms', calendar);
    awaitPayment.next(notify);

    // A cancelled PO that was invoiced gets a credit note.
    const creditNote = step('Issue credit note', 'issueCreditNote', statePaths.po).next(notify);

    // Before a year is up (Step Functions' limit), the reconciler wakes a waiting execution with
    // "handover": it starts its successor, which takes the PO's next step, and ends.
    const handOver = step('Hand over', 'handOver', sfn.JsonPath.DISCARD, { execution: sfn.JsonPath.stringAt('$$.Execution.Name') }).next(
      new sfn.Succeed(this, 'Handed over'),
    );

    // One choice on one field routes every step (a state transition is billed, so no second choice follows).
    const to: Record<NextStep, sfn.IChainable> = {
      review: awaitRelease,
      proforma: issueProforma,
      await_prepayment: awaitPrepayment,
      fulfil,
      await_payment: awaitPayment,
      credit_note: creditNote,
      completed: new sfn.Succeed(this, 'Completed'),
      rejected: new sfn.Succeed(this, 'Rejected'),
      cancelled: new sfn.Succeed(this, 'Cancelled'),
      attention: awaitResume,
      handover: handOver,
    };
    const nextStep = new sfn.Choice(this, 'Next step?');
    for (const [next, state] of Object.entries(to)) nextStep.when(sfn.Condition.stringEquals(statePaths.next, next), state);
    nextStep.otherwise(new sfn.Fail(this, 'Unknown step', { error: 'UnknownStep', cause: 'po.next names no step of this workflow' }));
    notify.next(nextStep);

    this.definition = notify;
  }
}
