import { attachmentUrl } from '../app/attachments.js';
import type { FileStore } from '../app/ports.js';
import { openReview, type ReviewDeps } from '../app/review.js';
import { pathParam } from '../http/http.js';
import { publicRouteHandler } from '../http/routing.js';
import { refusal } from './reviews.js';

/**
 * GET /reviews/{reviewId}/attachments/{attachmentId}?token=: the buyer's signed PO for the reviewer
 * holding the link, as a redirect to the file for a few minutes. The review page's function serves it; the
 * decision's carries no storage client.
 */
export const makeHandler = (deps: ReviewDeps & { files: FileStore }) =>
  publicRouteHandler('ReviewAttachment', async (event) => {
    const reviewId = pathParam(event, 'reviewId');
    const opened = await openReview(deps, reviewId, event.queryStringParameters?.token);
    if (opened.refused) return refusal(event, reviewId, opened);
    const url = await attachmentUrl(deps, opened.po, pathParam(event, 'attachmentId'));
    return { statusCode: 303, headers: { Location: url, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }, body: '' };
  });
