import { lazyHandler } from '../runtime/lazy-handler.js';
import { serve } from '../http/routing.js';
import { files } from '../wiring/files.js';
import { makeHandler as makeAttachmentHandler } from './review-attachment.js';
import { makePageHandler, reviewDeps } from './reviews.js';

/** The function of a review link's reads: the page and the buyer's signed PO (it may count a wrong secret, and write nothing else). */
export const handler = serve('ReviewPage', {
  ReviewPage: lazyHandler(() => makePageHandler(reviewDeps())),
  ReviewAttachment: lazyHandler(() => makeAttachmentHandler({ ...reviewDeps(), files: files() })),
});
