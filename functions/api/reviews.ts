import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { changePurchaseOrder, type ChangeDeps } from '../app/change.js';
import type { Clock, ReviewRecord, ReviewStore, Secrets } from '../app/ports.js';
import { reviewSecretMatches } from '../app/review-links.js';
import { TransitionError } from '../domain/errors.js';
import type { PurchaseOrder } from '../domain/purchase-order.js';
import { header, HttpProblem, json, parseFormOrJson, pathParam, withProblems } from '../http/http.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { log } from '../http/log.js';
import { presentPurchaseOrder } from '../http/present.js';
import { outcomePage, reviewFormPage } from '../templates/review-page.js';
import { systemClock } from '../wiring/clock.js';
import { secrets } from '../wiring/secrets.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';

/**
 * The reviewer's link. GET (and HEAD) only show the PO: mail scanners fetch links, so looking
 * never decides. POST decides once. The link's secret is the only credential.
 */
export interface ReviewDeps extends ChangeDeps {
  reviews: ReviewStore;
  secrets: Secrets;
  clock: Clock;
}

export const LOCKOUT_AFTER_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60_000;

const pageHeaders = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

function html(status: number, body: string): APIGatewayProxyResult {
  return { statusCode: status, headers: pageHeaders, body };
}

const wantsJson = (event: APIGatewayProxyEvent) => (header(event, 'accept') ?? '').includes('application/json');

/** Returns the review and its PO when the token opens it; otherwise the page that says why not. */
async function open(
  deps: ReviewDeps,
  event: APIGatewayProxyEvent,
  token: string | undefined,
): Promise<{ review: ReviewRecord; po: PurchaseOrder } | APIGatewayProxyResult> {
  const reviewId = pathParam(event, 'reviewId');
  const review = await deps.reviews.get(reviewId);
  const respond = (status: number, title: string, message: string) =>
    wantsJson(event) ? problemJson(status, title, message) : html(status, outcomePage(title, message));
  if (!review) return respond(404, 'Review not found', 'This review link does not exist.');
  const now = deps.clock.now();
  if (review.lockedUntil && review.lockedUntil > now.toISOString()) {
    const result = respond(429, 'Too many attempts', 'This review link is locked for a while after repeated wrong attempts. Try again later.');
    const seconds = Math.ceil((Date.parse(review.lockedUntil) - now.getTime()) / 1000);
    return { ...result, headers: { ...result.headers, 'Retry-After': String(seconds) } };
  }
  if (!token || !reviewSecretMatches(token, review.id, review.nonce, await deps.secrets.get('linkSigning'))) {
    // Guessing is hopeless (256 bits), but repeated wrong secrets still lock the link for a while.
    const failures = await deps.reviews.recordFailure(review.id);
    if (failures % LOCKOUT_AFTER_FAILURES === 0) await deps.reviews.lockUntil(review.id, new Date(now.getTime() + LOCKOUT_MS).toISOString());
    log.warn('wrong review link secret', { reviewId: review.id, poId: review.poId, failures });
    return respond(403, 'Link not valid', 'This review link is not valid. Use the link from the most recent review email.');
  }
  const stored = await deps.pos.get(review.poId);
  if (!stored) return respond(404, 'Review not found', 'The purchase order for this review no longer exists.');
  const po = stored.po;
  if (po.review.decision === 'expired' || (po.status === 'awaiting_review' && deps.clock.now().toISOString() > review.expiresAt)) {
    return respond(410, 'Review expired', `The review period for ${po.reference} has ended; the purchase order was cancelled.`);
  }
  if (review.decidedAt || po.status !== 'awaiting_review') {
    return respond(409, 'Already decided', `${po.reference} has already been decided: it is now ${po.status.replace(/_/g, ' ')}.`);
  }
  return { review, po };
}

function problemJson(status: number, title: string, detail: string): APIGatewayProxyResult {
  return { statusCode: status, headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }, body: JSON.stringify({ type: 'about:blank', title, status, detail }) };
}

export const makePageHandler = (deps: ReviewDeps) =>
  withProblems('review-page', async (event) => {
    const token = event.queryStringParameters?.token;
    const opened = await open(deps, event, token);
    if ('statusCode' in opened) return opened;
    return html(200, reviewFormPage(opened.po, opened.review.id, token!, opened.review.expiresAt));
  });

const decisionSchema = z.object({
  token: z.string().min(1).max(200),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().max(2000).optional(),
});

export const makeDecisionHandler = (deps: ReviewDeps) =>
  withProblems('review-decision', async (event) => {
    let form: z.infer<typeof decisionSchema>;
    try {
      form = parseFormOrJson(event, decisionSchema);
    } catch (error) {
      if (error instanceof HttpProblem && !wantsJson(event) && error.status === 400) {
        return html(400, outcomePage('Choose approve or reject', 'The form was incomplete. Go back to the review page and choose a decision.'));
      }
      throw error;
    }
    const opened = await open(deps, event, form.token);
    if ('statusCode' in opened) return opened;
    const comment = form.comment ? { comment: form.comment } : {};
    let po: PurchaseOrder;
    try {
      po = await changePurchaseOrder(deps, opened.po.id, { type: form.decision, ...comment }, { actor: 'reviewer', at: deps.clock.now() }, opened.po);
    } catch (error) {
      if (!(error instanceof TransitionError)) throw error;
      const message = `${opened.po.reference} has already been decided: it is now ${error.status.replace(/_/g, ' ')}.`;
      return wantsJson(event) ? problemJson(409, 'Already decided', message) : html(409, outcomePage('Already decided', message));
    }
    await deps.reviews.markDecided(opened.review.id, deps.clock.now().toISOString());
    if (wantsJson(event)) return json(200, presentPurchaseOrder(po));
    const approved = form.decision === 'approve';
    return html(
      200,
      outcomePage(
        approved ? `${po.reference} approved` : `${po.reference} rejected`,
        approved
          ? 'The purchase order is released. The buyer receives the invoice and the delivery by email.'
          : 'The purchase order is rejected. The buyer is told by email.',
      ),
    );
  });

const deps = (): ReviewDeps => {
  const { pos, reviews } = stores();
  return { pos, reviews, workflow: signalOnlyWorkflow(), secrets: secrets(), clock: systemClock };
};
export const pageHandler = lazyHandler(() => makePageHandler(deps()));
export const decisionHandler = lazyHandler(() => makeDecisionHandler(deps()));
