import type { FileStore } from '../app/ports.js';
import { lazyHandler } from '../runtime/lazy-handler.js';
import { serve, type GroupHandlers } from '../http/routing.js';
import { files } from '../wiring/files.js';
import { makeHandler as makeAttachmentHandler } from './review-attachment.js';
import { makePageHandler, reviewDeps, type ReviewDeps } from './reviews.js';

/** The function of a review link's reads: the page and the buyer's signed PO (it may count a wrong secret, and write nothing else). */
export const makeRoutes = (deps: ReviewDeps & { files: FileStore }): GroupHandlers<'ReviewPage'> => ({
  ReviewPage: makePageHandler(deps),
  ReviewAttachment: makeAttachmentHandler(deps),
});

export const handler = lazyHandler(() => serve('ReviewPage', makeRoutes({ ...reviewDeps(), files: files() })));
