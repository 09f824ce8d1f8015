import { TransitionError } from '../domain/errors.js';
import type { PurchaseOrder } from '../domain/purchase-order/index.js';
import { changePurchaseOrder, type ChangeDeps } from './change.js';
import type { ReviewRecord, ReviewStore, Secrets, StoredPurchaseOrder } from './ports.js';
import { reviewSecretMatches } from './review-links.js';

/**
 * A reviewer's link: opening it shows the PO (mail scanners fetch links, so looking never decides);
 * deciding through it counts once. The link's secret is the only credential, and repeated wrong
 * secrets lock the link for a while.
 */
export interface ReviewDeps extends ChangeDeps {
  reviews: ReviewStore;
  secrets: Secrets;
}

export const LOCKOUT_AFTER_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60_000;

/** Why a link does not open (or no longer decides), for the edge to put in words. */
export type ReviewRefusal =
  | { refused: 'not_found' }
  | { refused: 'locked'; retryAfterSeconds: number }
  | { refused: 'bad_token' }
  | { refused: 'expired'; reference: string }
  | { refused: 'decided'; reference: string; status: string };

export type OpenedReview = { refused?: undefined; review: ReviewRecord; po: PurchaseOrder; stored: StoredPurchaseOrder };

/** Opens the review when the token is right and it is still undecided and in time. */
export async function openReview(deps: ReviewDeps, reviewId: string, token: string | undefined): Promise<OpenedReview | ReviewRefusal> {
  const review = await deps.reviews.get(reviewId);
  if (!review) return { refused: 'not_found' };
  const now = deps.clock.now();
  if (review.lockedUntil && review.lockedUntil > now.toISOString()) {
    return { refused: 'locked', retryAfterSeconds: Math.ceil((Date.parse(review.lockedUntil) - now.getTime()) / 1000) };
  }
  if (!token || !reviewSecretMatches(token, review.id, review.nonce, await deps.secrets.get('linkSigning'))) {
    // Guessing is hopeless (256 bits), but repeated wrong secrets still lock the link for a while.
    const failures = await deps.reviews.recordFailure(review.id);
    if (failures % LOCKOUT_AFTER_FAILURES === 0) await deps.reviews.lockUntil(review.id, new Date(now.getTime() + LOCKOUT_MS).toISOString());
    return { refused: 'bad_token' };
  }
  const stored = await deps.pos.get(review.poId);
  if (!stored) return { refused: 'not_found' };
  const po = stored.po;
  if (po.review.decision === 'expired' || (po.status === 'awaiting_review' && now.toISOString() > review.expiresAt)) {
    return { refused: 'expired', reference: po.reference };
  }
  if (review.decidedAt || po.status !== 'awaiting_review') return { refused: 'decided', reference: po.reference, status: po.status };
  return { review, po, stored };
}

/** Records the reviewer's decision once; a decision that lost a race is refused as decided. */
export async function decideReview(
  deps: ReviewDeps,
  reviewId: string,
  token: string,
  decision: { decision: 'approve' | 'reject'; comment?: string },
): Promise<{ refused?: undefined; po: PurchaseOrder } | ReviewRefusal> {
  const opened = await openReview(deps, reviewId, token);
  if (opened.refused) return opened;
  let po: PurchaseOrder;
  try {
    const comment = decision.comment ? { comment: decision.comment } : {};
    const by = { type: 'link' as const, email: opened.review.reviewer };
    po = await changePurchaseOrder(deps, opened.po.id, { type: decision.decision, ...comment }, { actor: 'reviewer', by, at: deps.clock.now() }, opened.stored);
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    return { refused: 'decided', reference: opened.po.reference, status: error.status };
  }
  await deps.reviews.markDecided(opened.review.id, deps.clock.now().toISOString());
  return { po };
}
