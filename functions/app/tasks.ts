import type { EInvoiceFormat } from '../../contract/einvoice.js';
import { customerFormat, formatsOf, NoEInvoiceError, printsFacturX, writers } from '../einvoice/formats.js';
import type { WrittenXml } from '../einvoice/write.js';
import { einvoiceOrNone, type EInvoice } from '../einvoice/model.js';
import { randomBytes } from 'node:crypto';
import { pendingEvents, pendingUnpaid, verifyReminderAt, verifyReminderKey } from '../domain/calendar.js';
import { documentContent, type DocumentContent } from '../domain/documents.js';
import { TransitionError } from '../domain/errors.js';
import type { EntryType, HistoryEntryOf } from '../domain/history.js';
import { formatNumber, type Series } from '../domain/numbering.js';
import type { Status } from '../../contract/purchase-order.js';
import { creditDue, fulfilment, hasDigitalLines, unpaidClock, type Action, type DocumentRef, type Licence, type PurchaseOrder } from '../domain/purchase-order/index.js';
import { type DocumentType } from '../../contract/purchase-order.js';
import type { SellerProfile } from '../domain/seller.js';
import { workflowView } from '../domain/workflow-view.js';
import { type WorkflowView } from '../../contract/execution.js';
import { renderHtml, renderText, type Letterhead, type Message } from '../notices/render.js';
import { type AttentionInput, type HandOverInput, type NotifyInput, type StepInput, type WaitInput } from '../../contract/execution.js';
import { executionInput } from '../domain/workflow-view.js';
import { log } from '../runtime/log.js';
import { letterheadFor, noticesFor } from '../notices/catalogue.js';
import { changePurchaseOrder, type ChangeDeps } from './change.js';
import { NotFoundError } from './errors.js';
import { sendByPeppol } from './peppol.js';
import type { AccessPoint, DocumentStore, Mailer, NumberSeries, OutgoingEmail, PolicyStore, ReviewStore, Secrets, StoredDocument, StoredPurchaseOrder } from './ports.js';
import { publishEvents, type PublishDeps } from './webhooks.js';
import { newReviewNonce, reviewIdFor, reviewLink, reviewSecret } from './review-links.js';

/**
 * The workflow's tasks. Each one may run more than once (Step Functions retries, the local stack
 * resumes after a crash): every effect is guarded so that a second run changes nothing. Each returns
 * the PO's workflow view, from which the state machine picks its next step.
 *
 * They come in three groups, each deployed from its own bundle with only what it needs: waits and
 * the calendar (the table and the workflow), messages (plus SES and the link key), and documents
 * (plus numbering and the PDF renderer). Only messages send email: every email follows from a
 * history entry, through the catalogue.
 */
export type LifecycleDeps = ChangeDeps;

export interface MessageDeps extends ChangeDeps {
  reviews: ReviewStore;
  documents: DocumentStore;
  mailer: Mailer;
  secrets: Secrets;
  seller: SellerProfile;
  publicBaseUrl: string;
  recipients: () => Promise<Recipients>;
  /** Where each change's events go: the feed, the bus and the webhook endpoints. */
  publishing: PublishDeps;
  /** The seller's Peppol access point, if it has one: issued documents go to buyers who asked for Peppol. */
  accessPoint?: AccessPoint | null;
}

export interface DocumentDeps extends ChangeDeps {
  numbers: NumberSeries;
  documents: DocumentStore;
  seller: SellerProfile;
  /** The policy, read at issue: whether the PDF is a Factur-X hybrid, and which e-invoice each customer asked for. */
  policies: Pick<PolicyStore, 'get'>;
  /** Lays out a document as PDF; with `facturX` (its CII), as a Factur-X invoice (PDF/A-3 with the XML inside). */
  renderPdf: (content: DocumentContent, options?: { facturX?: string }) => Promise<Uint8Array>;
}

async function loadStored(deps: ChangeDeps, poId: string): Promise<StoredPurchaseOrder> {
  const stored = await deps.pos.get(poId);
  if (!stored) throw new NotFoundError(`purchase order ${poId} not found`);
  return stored;
}

const load = async (deps: ChangeDeps, poId: string): Promise<PurchaseOrder> => (await loadStored(deps, poId)).po;

const view = (deps: { clock: ChangeDeps['clock'] }, po: PurchaseOrder): WorkflowView => workflowView(po, deps.clock.now());

function email(to: string[], message: Message, frame: Letterhead, attachments?: OutgoingEmail['attachments']): OutgoingEmail {
  return { to, subject: message.subject, text: renderText(message, frame), html: renderHtml(message, frame), ...(attachments ? { attachments } : {}) };
}

/**
 * Parks the workflow on a task token until the PO changes past `seenVersion`. The token is parked
 * with a write conditional on the version read, so a change that lands in between is seen on the
 * next read and releases the wait at once.
 */
export async function awaitChange(deps: LifecycleDeps, input: WaitInput): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const po = await load(deps, input.poId);
    if (po.version > input.seenVersion) return deps.workflow.signal(input.token, { ...view(deps, po) });
    if (await deps.pos.registerWait(po.id, input.token, po.version, input.startedAt)) return;
  }
  throw new Error(`purchase order ${input.poId} kept changing while the workflow tried to wait on it`);
}

/**
 * The execution nears Step Functions' one-year limit (the reconciler woke it): start its successor,
 * which tells what is still untold and takes the PO's next step from its status. The successor's
 * name follows from this execution's, so a retried hand-over starts it once.
 */
export async function handOver(deps: LifecycleDeps, input: HandOverInput): Promise<{ successor: string }> {
  const po = await load(deps, input.poId);
  const successor = await deps.workflow.handOver(po.id, input.execution, { ...executionInput(po, deps.clock.now()) });
  log.info('workflow handed over', { poId: po.id, from: input.execution, to: successor });
  return { successor };
}

/**
 * The review's timer fired: at the deadline the PO is cancelled (unless a decision landed at the last
 * moment); a day before it, finance is told (escalation); before that, the reviewers are reminded
 * once when their reminder is due.
 */
export async function reviewTimer(deps: LifecycleDeps, input: StepInput): Promise<WorkflowView> {
  // Right after the wait timed out: its token is still parked (stale), and the write must expect it.
  const stored = await loadStored(deps, input.poId);
  const po = stored.po;
  if (po.status !== 'awaiting_review') return view(deps, po);
  const now = deps.clock.now().toISOString();
  const reached = (at: string | null | undefined) => typeof at === 'string' && now >= at;
  const action: Action | null = reached(po.reviewDeadline)
    ? { type: 'expire_review' }
    : !po.review.escalated && reached(po.review.escalateAt)
      ? { type: 'escalate_review' }
      : !po.review.reminded && reached(po.review.reminderAt)
        ? { type: 'remind_review' }
        : null;
  if (!action) return view(deps, po);
  try {
    return view(deps, await changePurchaseOrder(deps, po.id, action, { actor: 'system', at: deps.clock.now() }, stored));
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    return view(deps, await load(deps, input.poId)); // decided meanwhile
  }
}

/**
 * A date of the payment calendar has come: send the reminder, mark the invoice overdue, or cancel it
 * automatically, each once, in order, for every event now due (unless it was paid meanwhile). Before
 * delivery (an offline order, a proforma), the same for its reminders and its cancellation.
 */
export async function paymentCalendar(deps: LifecycleDeps, input: StepInput): Promise<WorkflowView> {
  // Right after the wait timed out: its token is still parked (stale), and the first write must expect it.
  let known: StoredPurchaseOrder | PurchaseOrder = await loadStored(deps, input.poId);
  let po = known.po;
  const now = deps.clock.now();
  const clock = unpaidClock(po);
  const beforeDelivery: readonly Status[] = ['awaiting_payment', 'payment_rejected'];
  const unpaid = clock !== null && beforeDelivery.includes(po.status);
  if (po.status === 'payment_submitted') return view(deps, await remindToVerify(deps, known));
  // Not paid yet before delivery: remind, then cancel. On an invoice: remind, overdue, cancel.
  const open = unpaid ? beforeDelivery : fulfilment;
  const due: Action[] = unpaid
    ? pendingUnpaid(clock, po.unpaidCalendar, po.payment.calendarDone, now).due.map((event) =>
        event.kind === 'unpaid_cancel' ? { type: 'cancel_unpaid', event: event.key } : { type: 'remind_unpaid', event: event.key },
      )
    : po.payment.dueDate
      ? pendingEvents(po.payment.dueDate, po.calendar, po.payment.calendarDone, now).due.map((event) =>
          event.kind === 'due' ? { type: 'mark_overdue' } : event.kind === 'auto_cancel' ? { type: 'auto_cancel', event: event.key } : { type: 'remind', event: event.key },
        )
      : [];
  for (const action of due) {
    if (!open.includes(po.status) || po.payment.status === 'paid') break;
    try {
      po = known = await changePurchaseOrder(deps, po.id, action, { actor: 'system', at: deps.clock.now() }, known);
    } catch (error) {
      if (!(error instanceof TransitionError)) throw error;
      known = await loadStored(deps, input.poId); // paid, reported or cancelled meanwhile
      po = known.po;
    }
  }
  return view(deps, po);
}

/** A payment the buyer reported has waited its days for finance: finance is reminded, once per report. */
async function remindToVerify(deps: LifecycleDeps, known: StoredPurchaseOrder): Promise<PurchaseOrder> {
  const pending = known.po.payment.pending;
  const at = pending && verifyReminderAt(pending.at, known.po.unpaidCalendar);
  if (!pending || !at || deps.clock.now().toISOString() < at || known.po.payment.calendarDone.includes(verifyReminderKey(pending.at))) return known.po;
  try {
    return await changePurchaseOrder(deps, known.po.id, { type: 'remind_verify' }, { actor: 'system', at: deps.clock.now() }, known);
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    return load(deps, known.po.id); // verified meanwhile
  }
}

/** A cancelled PO that had been invoiced gets a credit note for the invoice. */
export async function issueCreditNote(deps: DocumentDeps, input: StepInput): Promise<WorkflowView> {
  const po = await load(deps, input.poId);
  if (view(deps, po).next !== 'credit_note') return view(deps, po);
  return view(deps, (await issueDocument(deps, po, 'credit_note')).po);
}

function licencesFor(po: PurchaseOrder): Licence[] {
  const group = () => randomBytes(4).readUInt32BE(0).toString(36).toUpperCase().padStart(7, '0').slice(0, 5);
  const key = () => Array.from({ length: 4 }, group).join('-');
  return po.lines
    .filter((line) => line.fulfilment === 'digital')
    .map((line) => ({ sku: line.sku, description: line.description, keys: Array.from({ length: line.quantity }, key) }));
}

/** When a document counts as issued: the event that called for it, so a retry prints the same date. */
function issueTime(po: PurchaseOrder, type: DocumentType): Date {
  const lastPayment = po.payment.records.at(-1);
  if (type === 'credit_note') return new Date(po.history.findLast((entry) => entry.to === 'cancelled')?.at ?? po.updatedAt);
  if (type === 'invoice' && (po.delivery === 'prepayment' || po.paymentMethod === 'offline') && lastPayment) return new Date(lastPayment.at);
  return new Date(po.review.decidedAt ?? po.createdAt);
}

/**
 * Issues a document once: a number from its gapless series, the PDF stored under that number, then
 * the reference recorded on the PO (with `alongside`, actions saved in the same write). A retry
 * finds the reference, or the number's claim and the stored PDF, and issues nothing new.
 */
export async function issueDocument(
  deps: DocumentDeps,
  po: PurchaseOrder,
  type: DocumentType,
  alongside: Action[] = [],
): Promise<{ po: PurchaseOrder; doc: DocumentRef; pdf: Uint8Array }> {
  const existing = po.documents.find((doc) => doc.type === type);
  if (existing) {
    const stored = await deps.documents.get(po.id, existing.id);
    if (stored) return { po, doc: existing, pdf: stored.pdf };
  }
  const at = issueTime(po, type);
  const year = at.getUTCFullYear();
  const number = formatNumber(type as Series, year, await deps.numbers.claim(type, year, po.id));
  const dueDate = type === 'invoice' ? po.payment.dueDate : null;
  // An invoice or credit note is EN 16931 data too, kept with it; its PDF carries the data inside
  // (Factur-X) where the seller or the customer wants it so.
  const einvoice = type === 'proforma' ? null : einvoiceOrNone(po, { type, number, issuedAt: at, dueDate }, deps.seller);
  const policy = einvoice ? await deps.policies.get() : null;
  const einvoiceFormat = policy ? customerFormat(po.customer, policy) : 'none';
  const facturX = einvoice && policy && printsFacturX(policy, einvoiceFormat) ? { facturX: (await writers()).toCii(einvoice) } : {};
  const rendered = await deps.renderPdf(documentContent(po, type, number, at, dueDate, deps.seller), facturX);
  const kept = await deps.documents.put({ poId: po.id, id: number, type, number, pdf: rendered, einvoice, einvoiceFormat });
  const total = type === 'credit_note' ? (creditDue(po) ?? po.total) : po.total;
  const formats = kept.einvoice ? formatsOf(kept.einvoice) : [];
  const doc: DocumentRef = { id: number, type, number, issuedAt: at.toISOString(), total, dueDate, ...(formats.length ? { formats } : {}) };
  const updated = await changePurchaseOrder(deps, po.id, [...alongside, { type: 'issue_document', document: doc }], { actor: 'system', at: deps.clock.now() }, po);
  return { po: updated, doc, pdf: kept.pdf };
}

/** Prepayment: the proforma invoice the buyer pays before anything is delivered. */
export async function issueProforma(deps: DocumentDeps, input: StepInput): Promise<WorkflowView> {
  const po = await load(deps, input.poId);
  if (view(deps, po).next !== 'proforma') return view(deps, po);
  return view(deps, (await issueDocument(deps, po, 'proforma')).po);
}

/**
 * Release: deliver the digital goods (licence keys), then issue the invoice. The keys go first so
 * that what delivery decides is on the invoice: a deferred PO delivered in full falls due then, and
 * its invoice prints that due date. Shipping orders for physical lines exist from the moment the PO
 * is ordered or deferred. Both steps are once-only, so a retry picks up where this one stopped.
 */
export async function fulfil(deps: DocumentDeps, input: StepInput): Promise<WorkflowView> {
  let po = await load(deps, input.poId);
  if (view(deps, po).next !== 'fulfil') return view(deps, po);
  if (hasDigitalLines(po) && po.licences === null) {
    po = await changePurchaseOrder(deps, po.id, { type: 'deliver_digital', licences: licencesFor(po) }, { actor: 'system', at: deps.clock.now() }, po);
  }
  return view(deps, (await issueDocument(deps, po, 'invoice')).po);
}

/**
 * A reviewer's own review of a PO awaiting it, created once: a re-run (a retry, or a crash before the
 * email was marked sent) gets the stored one with its nonce, so any email it sends carries the same,
 * working link. A decision through it names the reviewer.
 */
async function reviewLinkFor(deps: MessageDeps, po: PurchaseOrder, reviewer: string): Promise<{ href: string; expiresAt: string }> {
  const signingKey = await deps.secrets.get('linkSigning');
  const reviewId = reviewIdFor(po.id, reviewer, signingKey);
  const now = deps.clock.now().toISOString();
  const review = await deps.reviews.create({ id: reviewId, poId: po.id, reviewer, nonce: newReviewNonce(), createdAt: now, expiresAt: po.reviewDeadline ?? now, decidedAt: null });
  return { href: reviewLink(deps.publicBaseUrl, reviewId, reviewSecret(reviewId, review.nonce, signingKey)), expiresAt: review.expiresAt };
}

/**
 * Tells buyer, finance and reviewers of every change since `notifiedVersion`, as the catalogue says;
 * returns the number of entries told. Each notice goes once, however often this runs. An email the
 * email service refuses for good is recorded on the PO (finance hears of it) and the rest go on.
 */
export async function notify(deps: MessageDeps, input: NotifyInput): Promise<number> {
  const po = await load(deps, input.poId);
  // The seller's systems hear of the changes first (they need no email to go out), then people.
  await publishEvents(deps.publishing, po, input.notifiedVersion);
  const refused: Action[] = [];
  const recipients = lazyRecipients(deps);
  for (let index = input.notifiedVersion; index < po.history.length; index += 1) refused.push(...(await tell(deps, po, index, recipients)));
  if (refused.length) await changePurchaseOrder(deps, po.id, refused, { actor: 'system', at: deps.clock.now() });
  return po.history.length;
}

/** Who hears besides the buyer, by audience: from the policy, when a notice goes out. */
export type Recipients = { reviewers: string[]; finance: string[]; escalation?: string[] };

/** Finance and reviewers from the policy, read once and only when a notice needs them. */
function lazyRecipients(deps: MessageDeps): () => Promise<Recipients> {
  let read: Promise<Recipients> | undefined;
  return () => (read ??= deps.recipients());
}

/**
 * Sends the notices of one history entry; returns what the PO records of them: an `email_failed`
 * action for each email refused for good, a `send_einvoice` for a document handed over Peppol.
 */
async function tell(deps: MessageDeps, po: PurchaseOrder, index: number, recipients: () => Promise<Recipients>): Promise<Action[]> {
  const entry = po.history[index]!;
  const refused: Action[] = [];
  const document = entry.type === 'issue_document' ? (po.documents.find((doc) => doc.id === entry.data.documentId) ?? null) : null;
  // The stored document, read once for the emails that attach it and the access point.
  let read: Promise<StoredDocument> | undefined;
  const stored = (doc: DocumentRef) => (read ??= storedDocument(deps, po, doc)); // one document per entry
  for (const notice of noticesFor(entry as HistoryEntryOf<EntryType>, po)) {
    // A buyer reached by e-invoice only has no email: its documents go by the feed, webhooks and its access point.
    const to = notice.to === 'buyer' ? (po.customer.email ? [po.customer.email] : []) : ((await recipients())[notice.to] ?? []);
    // A personal notice goes to each recipient on their own (a reviewer's link is theirs alone).
    const batches = notice.personal ? to.map((address) => [[address], `${index}-${notice.name}-${address}`] as const) : [[to, `${index}-${notice.name}`] as const];
    for (const [addresses, key] of batches) {
      if (!addresses.length || (notice.skip && notice.skip(addresses[0]!, po))) continue;
      const reviewLink = () => reviewLinkFor(deps, po, addresses[0]!);
      const consoleHref = `${deps.publicBaseUrl.replace(/\/+$/, '')}/console/po/${po.id}`;
      const message = await notice.email({ po, entry, seller: deps.seller, document, reviewLink, consoleHref });
      const attachments = notice.attachDocument && document ? await attachmentsOf(document, await stored(document)) : undefined;
      const outcome = await deps.mailer.sendOnce(po.id, key, email([...addresses], message, letterheadFor(notice.to, po, deps.seller), attachments));
      if (outcome !== 'sent') refused.push({ type: 'email_failed', key, notice: notice.name, audience: notice.to, to: [...addresses], reason: outcome.refused });
    }
  }
  if (document && document.type !== 'proforma' && deps.accessPoint) {
    const handed = await sendByPeppol(deps.accessPoint, po, document, await stored(document));
    if (handed) refused.push(handed);
  }
  return refused;
}

/**
 * A step failed for good (its retries spent, or an error no retry mends): the PO is marked as
 * needing attention with the reason, and finance is told at once, from here, since the step that
 * failed may be the one that sends email. The workflow then waits for finance to resume it.
 */
export async function needsAttention(deps: MessageDeps, input: AttentionInput): Promise<WorkflowView> {
  const reason = describeFailure(input.failure);
  let po = await changePurchaseOrder(deps, input.poId, { type: 'flag_attention', step: input.step, reason }, { actor: 'system', at: deps.clock.now() });
  const index = po.history.findLastIndex((entry) => entry.type === 'flag_attention');
  try {
    const refused = await tell(deps, po, index, lazyRecipients(deps));
    if (refused.length) po = await changePurchaseOrder(deps, po.id, refused, { actor: 'system', at: deps.clock.now() });
  } catch (error) {
    // Email is down too: the PO shows it in the back office's queue, and the alarm's topic has the failure.
    log.error('could not tell finance that a purchase order needs attention', { poId: po.id, reason: error instanceof Error ? error.message : String(error) });
  }
  return view(deps, po);
}

/** The failure as Step Functions reports it (a Lambda error's cause is its JSON), in one line. */
export function describeFailure(failure: { Error?: string; Cause?: string }): string {
  let message = failure.Cause ?? '';
  try {
    const cause = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof cause.errorMessage === 'string') message = cause.errorMessage;
  } catch {
    // a plain-text cause
  }
  const text = [failure.Error ?? 'Error', message].filter(Boolean).join(': ').replace(/\s+/g, ' ');
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

async function storedDocument(deps: MessageDeps, po: PurchaseOrder, doc: DocumentRef): Promise<StoredDocument> {
  const stored = await deps.documents.get(po.id, doc.id);
  if (!stored) throw new Error(`document ${doc.id} of purchase order ${po.id} is recorded but not stored`);
  return stored;
}

/** What the buyer's email carries: the PDF, and the XML they asked for beside it. */
async function attachmentsOf(doc: DocumentRef, stored: StoredDocument): Promise<OutgoingEmail['attachments']> {
  const pdf = { filename: `${doc.number}.pdf`, content: stored.pdf, contentType: 'application/pdf' };
  const xml = stored.einvoice && stored.einvoiceFormat ? await xmlOrNone(stored.einvoice, stored.einvoiceFormat) : null;
  return xml ? [pdf, { filename: xml.filename, content: new TextEncoder().encode(xml.xml), contentType: 'application/xml' }] : [pdf];
}

/** The XML the buyer asked for, or none when the document cannot have it (the PDF goes alone, and why is logged). */
async function xmlOrNone(einvoice: EInvoice, format: EInvoiceFormat): Promise<WrittenXml | null> {
  try {
    return (await writers()).xmlForCustomer(einvoice, format);
  } catch (error) {
    if (!(error instanceof NoEInvoiceError)) throw error;
    log.warn('the e-invoice the buyer asked for cannot be written', { format, reason: error.message });
    return null;
  }
}
