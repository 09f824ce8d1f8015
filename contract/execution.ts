import * as z from 'zod';
import type { Status } from './purchase-order.js';

/**
 * The data contract of a PO's execution, shared by the state machine (which reads these paths),
 * placement (which starts it) and the tasks (which receive these inputs and return the view).
 */

/** Every step the workflow can take next; its one choice state compares `next` and nothing else. */
export const nextSteps = [
  'review',
  'proforma',
  'await_prepayment',
  'fulfil',
  'await_payment',
  'credit_note',
  'completed',
  'rejected',
  'cancelled',
  'attention',
  // Never from the PO: the reconciler sends it to an execution near Step Functions' one-year limit,
  // which then starts its successor and ends.
  'handover',
] as const;
export type NextStep = (typeof nextSteps)[number];

export interface WorkflowView {
  status: Status;
  version: number;
  next: NextStep;
  /** How long the next wait may last before its timer acts (review expiry, due date), in seconds. */
  waitSeconds: number;
}

/** The execution's state between steps. */
export interface ExecutionState {
  poId: string;
  /** The PO as the workflow last saw it; `po.next` is the one field the choice state compares. */
  po: WorkflowView;
  /** How many history entries Notify has told so far. */
  notifiedVersion: number;
}

/** Where the state machine finds each part of the state (JSONPath). */
export const statePaths = {
  poId: '$.poId',
  po: '$.po',
  version: '$.po.version',
  next: '$.po.next',
  waitSeconds: '$.po.waitSeconds',
  notifiedVersion: '$.notifiedVersion',
  /** Where a wait's timeout error is kept when its catch moves on. */
  timedOut: '$.timedOut',
  /** Where a step's failure (Error, Cause) is kept when it is caught, and the step's name. */
  failure: '$.failure',
  failedStep: '$.failedStep',
} as const;

/** What each kind of task receives. */
export const stepInput = z.object({ poId: z.string().min(1) });
export const waitInput = stepInput.extend({
  token: z.string().min(1),
  seenVersion: z.number().int().nonnegative(),
  /** When the waiting execution started (`$$.Execution.StartTime`): it hands over before a year. */
  startedAt: z.string().optional(),
});
/** The execution that hands over (`$$.Execution.Name`). */
export const handOverInput = stepInput.extend({ execution: z.string().min(1) });
export type HandOverInput = z.infer<typeof handOverInput>;
export const notifyInput = stepInput.extend({ notifiedVersion: z.number().int().nonnegative() });
export type StepInput = z.infer<typeof stepInput>;
export type WaitInput = z.infer<typeof waitInput>;
export type NotifyInput = z.infer<typeof notifyInput>;
export const attentionInput = stepInput.extend({
  step: z.string().min(1),
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }),
});
export type AttentionInput = z.infer<typeof attentionInput>;

/** The workflow's tasks, each a function of its own. */
export type WorkflowTask = 'notify' | 'awaitChange' | 'reviewTimer' | 'issueProforma' | 'fulfil' | 'paymentCalendar' | 'issueCreditNote' | 'needsAttention' | 'handOver';
