import { randomBytes } from 'node:crypto';
import { documentContent } from '../domain/documents.js';
import { formatNumber, type Series } from '../domain/numbering.js';
import { hasDigitalLines, type DocumentRef, type DocumentType, type Licence, type PurchaseOrder } from '../domain/purchase-order.js';
import type { SellerProfile } from '../domain/seller.js';
import { waitOutcome, type WaitKind } from '../domain/waits.js';
import { renderDocumentPdf } from '../adapters/pdf.js';
import * as emails from '../templates/emails.js';
import { renderHtml, renderText, type Message } from '../templates/render.js';
import { changePurchaseOrder, NotFoundError, type ChangeDeps } from './change.js';
import type { Clock, DocumentStore, Mailer, NumberSeries, OutgoingEmail, ReviewStore, Secrets } from './ports.js';
import { newReviewNonce, reviewIdFor, reviewLink, reviewSecret } from './review-links.js';

/**
 * The workflow's tasks. Each one may run more than once (Step Functions retries, the local stack
 * resumes after a crash): every effect is guarded so that a second run changes nothing.
 */
export interface TaskDeps extends ChangeDeps {
  reviews: ReviewStore;
  numbers: NumberSeries;
  documents: DocumentStore;
  mailer: Mailer;
  secrets: Secrets;
  clock: Clock;
  seller: SellerProfile;
  publicBaseUrl: string;
  reviewerEmails: () => Promise<string[]>;
}

async function load(deps: ChangeDeps, poId: string): Promise<PurchaseOrder> {
  const stored = await deps.pos.get(poId);
  if (!stored) throw new NotFoundError(`purchase order ${poId} not found`);
  return stored.po;
}

function email(to: string[], message: Message, attachments?: OutgoingEmail['attachments']): OutgoingEmail {
  return { to, subject: message.subject, text: renderText(message), html: renderHtml(message), ...(attachments ? { attachments } : {}) };
}

/**
 * Parks the workflow on a task token until the PO reaches the wait's outcome. `prepare` runs the
 * wait's side effects (emails) first. If the PO changed while we registered, re-check: an action
 * that landed in between would otherwise never release the token.
 */
async function awaitOutcome(
  deps: TaskDeps,
  poId: string,
  kind: WaitKind,
  token: string,
  prepare: (po: PurchaseOrder) => Promise<void>,
): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const po = await load(deps, poId);
    const outcome = waitOutcome(kind, po);
    if (outcome) return deps.workflow.signal(token, outcome);
    await prepare(po);
    if (await deps.pos.registerWait(poId, { kind, token }, po.version)) return;
  }
  throw new Error(`purchase order ${poId} kept changing while the workflow tried to wait on it`);
}

export async function requestReview(deps: TaskDeps, input: { poId: string; token: string; reviewTimeoutSeconds: number }): Promise<void> {
  await awaitOutcome(deps, input.poId, 'review', input.token, async (po) => {
    await deps.mailer.sendOnce(po.id, 'po-received', email([po.customer.email], emails.poReceivedEmail(po, deps.seller)));
    const signingKey = await deps.secrets.get('linkSigning');
    const reviewId = reviewIdFor(po.id, signingKey);
    const now = deps.clock.now().toISOString();
    const expiresAt = new Date(Date.parse(po.createdAt) + input.reviewTimeoutSeconds * 1000).toISOString();
    const review =
      (await deps.reviews.get(reviewId)) ??
      (await deps.reviews.create({ id: reviewId, poId: po.id, nonce: newReviewNonce(), createdAt: now, expiresAt, emailedAt: null, decidedAt: null }));
    if (review.emailedAt) return;
    const link = reviewLink(deps.publicBaseUrl, reviewId, reviewSecret(reviewId, review.nonce, signingKey));
    await deps.mailer.sendOnce(po.id, 'review-request', email(await deps.reviewerEmails(), emails.reviewRequestEmail(po, link, review.expiresAt)));
    await deps.reviews.markEmailed(reviewId, now);
  });
}

/** The review window closed: cancel the PO, unless a decision landed at the last moment. */
export async function expireReview(deps: TaskDeps, input: { poId: string }): Promise<Record<string, unknown>> {
  let po = await load(deps, input.poId);
  if (po.status === 'awaiting_review') {
    try {
      po = await changePurchaseOrder(deps, po.id, { type: 'expire_review' }, { actor: 'system', at: deps.clock.now() });
    } catch {
      po = await load(deps, input.poId);
    }
  }
  if (po.review.decision === 'expired') {
    await deps.mailer.sendOnce(po.id, 'review-expired', email([po.customer.email], emails.reviewExpiredEmail(po, deps.seller)));
  }
  return waitOutcome('review', po) ?? { decision: 'none', status: po.status };
}

export async function notifyRejected(deps: TaskDeps, input: { poId: string }): Promise<void> {
  const po = await load(deps, input.poId);
  await deps.mailer.sendOnce(po.id, 'rejected', email([po.customer.email], emails.rejectedEmail(po, deps.seller)));
}

function licencesFor(po: PurchaseOrder): Licence[] {
  const key = () => Array.from({ length: 4 }, () => randomBytes(4).readUInt32BE(0).toString(36).toUpperCase().padStart(7, '0').slice(0, 5)).join('-');
  return po.lines
    .filter((line) => line.fulfilment === 'digital')
    .map((line) => ({ sku: line.sku, description: line.description, keys: Array.from({ length: line.quantity }, key) }));
}

/** When a document counts as issued: the event that called for it, so a retry prints the same date. */
function issueTime(po: PurchaseOrder, type: DocumentType): Date {
  const lastPayment = po.payment.records.at(-1);
  if (type === 'invoice' && po.delivery === 'prepayment' && lastPayment) return new Date(lastPayment.at);
  return new Date(po.review.decidedAt ?? po.createdAt);
}

export async function issueDocument(deps: TaskDeps, po: PurchaseOrder, type: DocumentType): Promise<{ po: PurchaseOrder; doc: DocumentRef; pdf: Uint8Array }> {
  const existing = po.documents.find((doc) => doc.type === type);
  if (existing) {
    const stored = await deps.documents.get(po.id, existing.id);
    if (stored) return { po, doc: existing, pdf: stored.pdf };
  }
  const at = issueTime(po, type);
  const year = at.getUTCFullYear();
  const number = formatNumber(type as Series, year, await deps.numbers.claim(type, year, po.id));
  const dueDate = type === 'invoice' ? po.payment.dueDate : null;
  const pdf = await renderDocumentPdf(documentContent(po, type, number, at, dueDate, deps.seller));
  await deps.documents.put({ poId: po.id, id: number, type, number, pdf });
  const doc: DocumentRef = { id: number, type, number, issuedAt: at.toISOString(), total: po.total, dueDate };
  const updated = await changePurchaseOrder(deps, po.id, { type: 'issue_document', document: doc }, { actor: 'system', at: deps.clock.now() });
  const stored = await deps.documents.get(po.id, number);
  return { po: updated, doc, pdf: stored?.pdf ?? pdf };
}

/** Release on net terms (or after prepayment): invoice, delivery, and the email that carries both. */
export async function fulfil(deps: TaskDeps, input: { poId: string }): Promise<Record<string, unknown>> {
  let po = await load(deps, input.poId);
  if (!['ordered', 'overdue', 'deferred', 'completed'].includes(po.status)) return { status: po.status, fulfilled: false };
  if (hasDigitalLines(po) && po.licences === null && po.status !== 'completed') {
    po = await changePurchaseOrder(deps, po.id, { type: 'deliver_digital', licences: licencesFor(po) }, { actor: 'system', at: deps.clock.now() });
  }
  const invoice = await issueDocument(deps, po, 'invoice');
  po = invoice.po;
  await deps.mailer.sendOnce(
    po.id,
    'released',
    email([po.customer.email], emails.releasedEmail(po, invoice.doc, deps.seller), [
      { filename: `${invoice.doc.number}.pdf`, content: invoice.pdf, contentType: 'application/pdf' },
    ]),
  );
  return { status: po.status, fulfilled: true, dueInSeconds: secondsUntilDue(po, deps.clock.now()) };
}

/** Seconds until the end of the due date, at least one (a wait's timeout must be positive). */
export function secondsUntilDue(po: PurchaseOrder, now: Date): number {
  if (!po.payment.dueDate) return 1;
  const endOfDueDate = Date.parse(`${po.payment.dueDate}T23:59:59Z`);
  return Math.max(1, Math.ceil((endOfDueDate - now.getTime()) / 1000));
}

export async function awaitPayment(deps: TaskDeps, input: { poId: string; token: string }): Promise<void> {
  await awaitOutcome(deps, input.poId, 'payment', input.token, async () => {});
}

export async function notifyPaid(deps: TaskDeps, input: { poId: string }): Promise<void> {
  const po = await load(deps, input.poId);
  if (po.payment.status !== 'paid') return;
  await deps.mailer.sendOnce(po.id, 'payment-received', email([po.customer.email], emails.paymentReceivedEmail(po)));
}
