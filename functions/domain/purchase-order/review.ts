import type { Policy } from '../../../contract/policy.js';
import type { ActionContext, Review } from './model.js';

/** A PO's review: how many approvals it needs, when the reviewers are reminded, how a decision is recorded. */

export function decision(review: Review, outcome: Review['decision'], ctx: ActionContext, comment?: string): Review {
  return { ...review, required: true, decision: outcome, decidedBy: ctx.actor, decidedAt: ctx.at.toISOString(), comment: comment ?? null };
}

export function openReview(approvalsRequired: number, reminderAt: string | null, required = true): Review {
  return { required, decision: null, decidedBy: null, decidedAt: null, comment: null, approvalsRequired, approvals: [], reminderAt, reminded: false };
}

/** The reviewers' reminder, `days` before the deadline; none when that moment has passed already. */
export function reminderAt(deadline: string, days: number | null, now: Date): string | null {
  if (days === null) return null;
  const at = Date.parse(deadline) - days * 86_400_000;
  return at > now.getTime() ? new Date(at).toISOString() : null;
}

/** How many distinct approvers a PO of this total needs: the highest rule it reaches, else one. */
export function approvalsRequired(policy: Pick<Policy, 'approvalRules'>, currency: string, total: number): number {
  return policy.approvalRules.reduce((needed, rule) => {
    const threshold = rule.minTotal[currency];
    return threshold !== undefined && total >= threshold ? Math.max(needed, rule.approvals) : needed;
  }, 1);
}
