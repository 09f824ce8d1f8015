import type { Policy } from '../../../contract/policy.js';
import type { ActionContext, Review } from './model.js';

/** A PO's review: how many approvals it needs, when the reviewers are reminded, how a decision is recorded. */

export function decision(review: Review, outcome: Review['decision'], ctx: ActionContext, comment?: string): Review {
  return { ...review, required: true, decision: outcome, decidedBy: ctx.actor, decidedAt: ctx.at.toISOString(), comment: comment ?? null };
}

export function openReview(approvalsRequired: number, timers: ReviewTimers, required = true): Review {
  return { required, decision: null, decidedBy: null, decidedAt: null, comment: null, approvalsRequired, approvals: [], ...timers, reminded: false, escalated: false };
}

const DAY_MS = 86_400_000;

export interface ReviewTimers {
  reminderAt: string | null;
  escalateAt: string | null;
}

/**
 * The timers of an open review: the reviewers' reminder, `days` before the deadline (halfway to it
 * when the policy names no number; none with 0); and the escalation to finance a day before the
 * deadline. A moment already past when the review opens is dropped.
 */
export function reviewTimers(deadline: string | null, days: number | null, now: Date): ReviewTimers {
  if (deadline === null) return { reminderAt: null, escalateAt: null };
  const end = Date.parse(deadline);
  const future = (at: number) => (at > now.getTime() ? new Date(at).toISOString() : null);
  const remindAt = days === 0 ? null : future(days === null ? now.getTime() + (end - now.getTime()) / 2 : end - days * DAY_MS);
  const escalateAt = future(end - DAY_MS);
  // A reminder at or after the escalation adds nothing: finance and the reviewers hear then.
  return { reminderAt: remindAt && escalateAt && remindAt >= escalateAt ? null : remindAt, escalateAt };
}

/** How many distinct approvers a PO of this total needs: the highest rule it reaches, else one. */
export function approvalsRequired(policy: Pick<Policy, 'approvalRules'>, currency: string, total: number): number {
  return policy.approvalRules.reduce((needed, rule) => {
    const threshold = rule.minTotal[currency];
    return threshold !== undefined && total >= threshold ? Math.max(needed, rule.approvals) : needed;
  }, 1);
}
