import { attachmentUrl } from '../app/attachments.js';
import type { FileStore } from '../app/ports.js';
import { openReview, type ReviewDeps } from '../app/review.js';
import { pathParam, withProblems } from '../http/http.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { files } from '../wiring/files.js';
import { refusal, reviewDeps } from './reviews.js';

/**
 * GET /reviews/{reviewId}/attachments/{attachmentId}?token=: the buyer's signed PO for the reviewer
 * holding the link, as a redirect to the file for a few minutes. A function of its own, so the review
 * page and the decision carry no storage client.
 */
export const makeHandler = (deps: ReviewDeps & { files: FileStore }) =>
  withProblems('review-attachment', async (event) => {
    const reviewId = pathParam(event, 'reviewId');
    const opened = await openReview(deps, reviewId, event.queryStringParameters?.token);
    if (opened.refused) return refusal(event, reviewId, opened);
    const url = await attachmentUrl(deps, opened.po, pathParam(event, 'attachmentId'));
    return { statusCode: 303, headers: { Location: url, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }, body: '' };
  });

export const handler = lazyHandler(() => makeHandler({ ...reviewDeps(), files: files() }));
