import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { decideReview, openReview, type ReviewDeps, type ReviewRefusal } from '../app/review.js';
import { anyLines } from '../../contract/text.js';
import { consoleBase, header, HttpProblem, json, parseFormOrJson, pathParam, problem } from '../http/http.js';
import { pageHeaders } from '../http/headers.js';
import { publicRouteHandler, serve, type GroupHandlers } from '../http/routing.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { log } from '../runtime/log.js';
import { presentPurchaseOrder } from '../http/present.js';
import { outcomePage, reviewFormPage } from '../templates/review-page.js';
import { systemClock } from '../wiring/clock.js';
import { secrets } from '../wiring/secrets.js';
import { stores } from '../wiring/stores.js';
import { signalOnlyWorkflow } from '../wiring/workflow.js';

/**
 * The reviewer's link over HTTP: GET (and HEAD) show the PO, POST decides. The rules are the use
 * case's (app/review.ts); this maps its outcomes to a page for people or a problem for scripts.
 */
export type { ReviewDeps } from '../app/review.js';

const wantsJson = (event: APIGatewayProxyEvent) => (header(event, 'accept') ?? '').includes('application/json');

/** A page for a browser, a problem for a script, with the same status and words. */
function respond(event: APIGatewayProxyEvent, status: number, title: string, message: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  if (wantsJson(event)) {
    const result = problem(status, title, message);
    return { ...result, headers: { ...result.headers, 'Referrer-Policy': 'no-referrer', ...headers } };
  }
  return { statusCode: status, headers: { ...pageHeaders, ...headers }, body: outcomePage(consoleBase(event), title, message) };
}

export function refusal(event: APIGatewayProxyEvent, reviewId: string, outcome: ReviewRefusal): APIGatewayProxyResult {
  switch (outcome.refused) {
    case 'not_found':
      return respond(event, 404, 'Review not found', 'This review link does not exist.');
    case 'locked':
      return respond(event, 429, 'Too many attempts', 'This review link is locked for a while after repeated wrong attempts. Try again later.', {
        'Retry-After': String(outcome.retryAfterSeconds),
      });
    case 'bad_token':
      log.warn('wrong review link secret', { reviewId });
      return respond(event, 403, 'Link not valid', 'This review link is not valid. Use the link from the most recent review email.');
    case 'expired':
      return respond(event, 410, 'Review expired', `The review period for ${outcome.reference} has ended; the purchase order was cancelled.`);
    case 'decided':
      return respond(event, 409, 'Already decided', `${outcome.reference} has already been decided: it is now ${outcome.status.replace(/_/g, ' ')}.`);
  }
}

export const makePageHandler = (deps: ReviewDeps) =>
  publicRouteHandler('ReviewPage', async (event) => {
    const reviewId = pathParam(event, 'reviewId');
    const token = event.queryStringParameters?.token;
    const opened = await openReview(deps, reviewId, token);
    if (opened.refused) return refusal(event, reviewId, opened);
    return { statusCode: 200, headers: pageHeaders, body: reviewFormPage(consoleBase(event), opened.po, opened.review.id, token!, opened.review.expiresAt) };
  });

const decisionSchema = z.object({
  token: z.string().min(1).max(200),
  decision: z.enum(['approve', 'reject']),
  comment: anyLines(2000).optional(),
});

export const makeDecisionHandler = (deps: ReviewDeps) =>
  publicRouteHandler('ReviewDecision', async (event) => {
    const reviewId = pathParam(event, 'reviewId');
    let form: z.infer<typeof decisionSchema>;
    try {
      form = parseFormOrJson(event, decisionSchema);
    } catch (error) {
      if (error instanceof HttpProblem && !wantsJson(event) && error.status === 400) {
        return respond(event, 400, 'Choose approve or reject', 'The form was incomplete. Go back to the review page and choose a decision.');
      }
      throw error;
    }
    const outcome = await decideReview(deps, reviewId, form.token, form);
    if (outcome.refused) return refusal(event, reviewId, outcome);
    const { po } = outcome;
    if (wantsJson(event)) return json(200, presentPurchaseOrder(po));
    return form.decision === 'approve'
      ? respond(event, 200, `${po.reference} approved`, 'The purchase order is released. The buyer receives the invoice and the delivery by email.')
      : respond(event, 200, `${po.reference} rejected`, 'The purchase order is rejected. The buyer is told by email.');
  });

export const reviewDeps = (): ReviewDeps => {
  const { pos, reviews } = stores();
  return { pos, reviews, workflow: signalOnlyWorkflow(), secrets: secrets(), clock: systemClock };
};
/** The function that records decisions; the page and its attachment are another (review-page.ts), with no write access. */
export const makeRoutes = (deps: ReviewDeps): GroupHandlers<'ReviewDecision'> => ({ ReviewDecision: makeDecisionHandler(deps) });

export const handler = lazyHandler(() => serve('ReviewDecision', makeRoutes(reviewDeps())));

