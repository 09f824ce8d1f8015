import type { EInvoiceFormat } from '../../contract/einvoice.js';
import type { EInvoice } from '../einvoice/model.js';
import type { PoSummary, PurchaseOrder } from '../domain/purchase-order/index.js';
import type { DocumentType, Status } from '../../contract/purchase-order.js';
import type { OpenPurchaseOrder } from '../domain/credit.js';
import type { PoEvent } from '../domain/events.js';
import type { EventType } from '../../contract/events.js';
import type { Who } from '../../contract/purchase-order.js';
import type { Policy } from '../../contract/policy.js';

/** What the use cases need from the outside world; adapters implement these, tests fake them. */


export interface StoredPurchaseOrder {
  po: PurchaseOrder;
  /** The task token of the workflow step parked on this PO, if one is. */
  waitToken: string | null;
  /** A token whose signal is owed: the PO changed while its workflow was parked, and the workflow may not know yet. */
  owedToken?: string | null;
}

/** A page of a list, and the token of the next (null at the end). */
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

/** What is owed on open invoices due on one day (null: no due date yet) in one currency. */
export interface ReceivableDay {
  due: string | null;
  currency: string;
  owed: number;
  count: number;
}

/**
 * Finding POs by what people type: the prefix of a reference, a buyer's PO number, a customer id
 * or email, or of a company's name from any word. The table's own index answers it; a search
 * service (OpenSearch fed by DynamoDB's zero-ETL integration) can take its place behind this port.
 */
export interface PoSearch {
  /** POs found by the query, as a list shows them, a page at a time (at most `limit`). */
  search(query: string, limit: number, cursor?: string): Promise<Page<PoSummary>>;
}

export interface PurchaseOrderStore {
  get(id: string): Promise<StoredPurchaseOrder | null>;
  /** Writes a new PO; AlreadyExistsError if one with its id exists. */
  create(po: PurchaseOrder): Promise<void>;
  /**
   * Writes `po` if the stored version is still `expectedVersion` and the parked token is still
   * `parkedToken` (ConcurrentUpdateError otherwise). A parked token becomes a signal owed, in the
   * same write; the caller then signals it and settles it.
   */
  save(po: PurchaseOrder, expectedVersion: number, parkedToken: string | null): Promise<StoredPurchaseOrder>;
  /** The owed signal of this token was delivered (or its task had moved on). */
  settleSignal(id: string, token: string): Promise<void>;
  /** POs whose workflow waits for finance after a failed step, most recent first. */
  needingAttention(limit: number): Promise<PurchaseOrder[]>;
  /** POs owed a signal since before `before` (ISO time), oldest first. */
  owedSignals(before: string, limit: number): Promise<string[]>;
  /** POs in a status, newest first, a page at a time. */
  listByStatus(status: Status, limit: number, cursor?: string): Promise<{ items: PurchaseOrder[]; cursor: string | null }>;
  /** How many POs are in a status. */
  countByStatus(status: Status): Promise<number>;
  /**
   * How many POs are in each open status, have something left to ship (`to_ship`) and wait for
   * finance (`attention`), as kept with each write: a few small items, whatever the number of POs.
   */
  queueCounts(): Promise<Record<string, number>>;
  /** POs with goods or keys left to hand over (ordered, deferred or overdue), newest first, a page at a time. */
  listToShip(limit: number, cursor?: string): Promise<Page<PurchaseOrder>>;
  /** POs with an invoice still owed on, the earliest due date first (none yet: last), a page at a time. */
  listReceivables(limit: number, cursor?: string): Promise<Page<PurchaseOrder>>;
  /** What is owed on open invoices per due date and currency, as kept with each write. */
  receivableDays(): Promise<ReceivableDay[]>;
  /**
   * Counts POs stored before the counts, lists and search terms were kept into them, at most
   * `limit` a run; how many it counted (0 once all are).
   */
  countKept(limit: number): Promise<number>;
  /**
   * Parks the workflow's task token on the PO, unless the PO's version has moved past `atVersion`;
   * `since` is when the waiting execution started (what the reconciler hands over before a year).
   */
  registerWait(id: string, token: string, atVersion: number, since?: string): Promise<boolean>;
  /** Open POs whose workflow waits in an execution started before `before` (ISO time), with its token. */
  longWaits(before: string, limit: number): Promise<{ id: string; token: string }[]>;
  /** A customer's open POs (not rejected, completed or cancelled), oldest first: their credit account. */
  openForCustomer(customerId: string): Promise<OpenPurchaseOrder[]>;
  /** How many of a customer's POs are overdue (the overdue hold), as kept with each write. */
  overdueCount(customerId: string): Promise<number>;
  /** Gives open POs stored before the by-customer index its keys, at most `limit` a run; how many it gave. */
  indexOpenByCustomer(limit: number): Promise<number>;
  /**
   * What the customer owes on open POs in a currency, as kept with each write of their POs (one
   * read); null while POs stored before it was kept are still being counted in.
   */
  exposure(customerId: string, currency: string): Promise<number | null>;
  /** Counts open POs stored before the exposure was kept into it, at most `limit` a run; how many it counted. */
  countExposure(limit: number): Promise<number>;
}

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  poId: string;
  state: 'in_flight' | 'done';
  startedAt: string;
}

export interface IdempotencyStore {
  /** Claims the key for a new request; returns the existing record instead if the key is taken. */
  claim(record: IdempotencyRecord): Promise<IdempotencyRecord | null>;
  /** Takes over an in-flight claim that has gone stale (its holder crashed). */
  takeOver(record: IdempotencyRecord, previousStartedAt: string): Promise<boolean>;
  complete(key: string): Promise<void>;
  /** Forgets a claim whose request created nothing. */
  release(key: string): Promise<void>;
}

export interface ReviewRecord {
  id: string;
  poId: string;
  /** The reviewer this link was sent to (null for a link from before links were personal). */
  reviewer: string | null;
  /** Random; with the link-signing key it derives the link's secret, which is never stored. */
  nonce: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  /** Wrong secrets presented so far, and until when the link is refused after too many. */
  failures?: number;
  lockedUntil?: string | null;
}

export interface ReviewStore {
  get(id: string): Promise<ReviewRecord | null>;
  /** Creates the review unless it exists; returns the stored one either way. */
  create(record: ReviewRecord): Promise<ReviewRecord>;
  markDecided(id: string, at: string): Promise<void>;
  /** Counts a wrong secret; returns the number counted so far. */
  recordFailure(id: string): Promise<number>;
  lockUntil(id: string, until: string): Promise<void>;
}

export interface NumberSeries {
  /** The number of `series` in `year` for `poId`: the same on every call for one PO, gapless across POs. */
  claim(series: string, year: number, poId: string): Promise<number>;
  /** The next number of a series in one write: unique and increasing, gaps possible after a crash. */
  next(series: string, year: number): Promise<number>;
}

export interface StoredDocument {
  poId: string;
  id: string;
  type: DocumentType;
  number: string;
  pdf: Uint8Array;
  /** An invoice's or credit note's EN 16931 data as at issue, which its XML formats are written from (none for a proforma, or before e-invoices). */
  einvoice?: EInvoice | null;
  /** The e-invoice the buyer asked for when it was issued: what their email carries beside (or, Factur-X, as) the PDF. */
  einvoiceFormat?: EInvoiceFormat;
}

export interface DocumentStore {
  /** Stores the document unless one with its id exists (a retry keeps the first); returns the one kept. */
  put(doc: StoredDocument): Promise<StoredDocument>;
  get(poId: string, id: string): Promise<StoredDocument | null>;
}

export interface PolicyStore {
  get(): Promise<Policy>;
  put(policy: Policy): Promise<void>;
}

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: Uint8Array; contentType: string }[];
}

/** An email went out, or the email service refused it for good (and it is not tried again). */
export type SendOutcome = 'sent' | { refused: string };

export interface Mailer {
  /** Sends the email once per (poId, key): a retry after success (or refusal) sends nothing and says what happened. */
  sendOnce(poId: string, key: string, email: OutgoingEmail): Promise<SendOutcome>;
}

export interface Workflow {
  /** Starts the PO's execution; starting it again is a no-op. */
  start(poId: string, input: Record<string, unknown>): Promise<void>;
  /** Completes a waiting task; a token that is no longer waiting is ignored. */
  signal(token: string, output: Record<string, unknown>): Promise<void>;
  /** Whether the PO's latest execution is still running. */
  isRunning(poId: string): Promise<boolean>;
  /** Starts a fresh execution of the PO after its latest one ended. */
  restart(poId: string, input: Record<string, unknown>): Promise<void>;
  /**
   * Starts the execution that takes over from `fromExecution` (named after it, so a retry starts
   * it once), while that one ends: a Standard execution may not run for more than a year.
   */
  handOver(poId: string, fromExecution: string, input: Record<string, unknown>): Promise<string>;
}

export interface Secrets {
  get(name: 'checkout' | 'finance' | 'linkSigning'): Promise<string>;
  /**
   * The API keys of a role that open the API now: the current one, and for a day after a rotation
   * the one before it, so that systems switch over without a gap. `fresh` reads them again (at most
   * twice a minute), for a key that matched none of those cached.
   */
  acceptedKeys(name: 'checkout' | 'finance', fresh?: boolean): Promise<string[]>;
}

/** How long the key a rotation replaced still opens the API. */
export const KEY_OVERLAP_MS = 24 * 3600_000;

export interface Clock {
  now(): Date;
}

/** Where attachments' bytes live (S3): uploaded straight from the client, checked, then offered. */
export interface FileStore {
  /** A URL the client PUTs the file to, with the headers it must send; valid for minutes. */
  uploadUrl(key: string, contentType: string, size: number): Promise<{ url: string; headers: Record<string, string> }>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The stored object's size, declared type, first bytes and version tag (ETag); null when nothing was uploaded. */
  inspect(key: string): Promise<{ size: number; contentType: string; head: Uint8Array; etag: string } | null>;
  /**
   * Copies the object at `from`, as it was when inspected (`etag`), to `to`, where no upload URL
   * points, and removes `from`: false, and nothing kept, if it was replaced in between.
   */
  keep(from: string, to: string, etag: string): Promise<boolean>;
  /** A URL that serves the file for minutes. */
  downloadUrl(key: string, filename: string, contentType: string): Promise<string>;
  remove(key: string): Promise<void>;
}

/** The events published so far, kept for the feed finance reconciles from and for deliveries. */
export interface EventStore {
  /** Keeps the event as published at `publishedAt`, unless it is kept already (a retried publish keeps the first). */
  put(event: PoEvent, publishedAt: string): Promise<void>;
  get(poId: string, sequence: number): Promise<PoEvent | null>;
  /**
   * Events in the order they were published, after `cursor` (from the first without one), up to the
   * first one published at or after `settledBefore` (ISO time): newer ones are left for a later page.
   */
  feed(cursor: string | null, limit: number, settledBefore: string): Promise<{ items: PoEvent[]; cursor: string | null }>;
  /** A feed cursor from which the feed goes on with the events published at or after `time` (ISO). */
  cursorAt(time: string): string;
}

/** The app's event bus (EventBridge), for sellers who wire rules of their own. */
export interface EventBus {
  put(events: PoEvent[]): Promise<void>;
}

export interface WebhookSecret {
  /**
   * The secret (`whsec_` and the base64 of 32 random bytes) sealed with the webhook key (SecretBox):
   * the table and its backups hold only this; the delivery function alone may open it.
   */
  sealed?: string;
  /** The secret itself, as endpoints made before sealing keep it until their next rotation. */
  value?: string;
  createdAt: string;
  /** When a rotated-out secret stops signing (null while it is the current one). */
  expiresAt: string | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  /** The event types it hears; empty for all. */
  events: EventType[];
  status: 'enabled' | 'disabled';
  disabled: { at: string; reason: string; by: Who } | null;
  /** Since when every delivery to it has failed (null while the last one succeeded). */
  failingSince: string | null;
  secrets: WebhookSecret[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status, or null when there was no answer (refused, timed out). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface Delivery {
  /** The name of its execution: `<eventId>--<endpointId>` for the first, with a suffix for redeliveries. */
  id: string;
  endpointId: string;
  eventId: string;
  eventType: EventType;
  poId: string;
  createdAt: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  lastAttempt: DeliveryAttempt | null;
  nextAttemptAt: string | null;
  /** Why it stopped, when it failed or was cancelled. */
  reason: string | null;
}

export interface WebhookStore {
  /** Writes a new endpoint. */
  create(endpoint: WebhookEndpoint): Promise<void>;
  get(id: string): Promise<WebhookEndpoint | null>;
  list(): Promise<WebhookEndpoint[]>;
  /** Writes the endpoint if its stored version is still `expectedVersion` (ConcurrentUpdateError otherwise). */
  save(endpoint: WebhookEndpoint, expectedVersion: number): Promise<WebhookEndpoint>;
  /** Deletes the endpoint; false if there was none. Its delivery log stays until it expires. */
  remove(id: string): Promise<boolean>;
  /** Writes the delivery as it stands after an attempt, unless a later attempt was written already. */
  recordDelivery(delivery: Delivery): Promise<void>;
  /** An endpoint's deliveries, newest first, a page at a time. */
  deliveries(endpointId: string, limit: number, cursor?: string): Promise<{ items: Delivery[]; cursor: string | null }>;
}

/** Starts a replay: a background job per replay id, so starting the same replay twice runs it once. */
export interface ReplayStarter {
  start(replayId: string, input: { endpointId: string; since: string }): Promise<void>;
}

/**
 * Secrets sealed with a key of their own (a KMS key): sealing is for those who make them, opening
 * for those who use them, each a grant of its own. The context binds a sealed value to what it is
 * for (another endpoint's sealed secret does not open as this one's).
 */
export interface SecretBox {
  seal(plain: string, context: Record<string, string>): Promise<string>;
  open(sealed: string, context: Record<string, string>): Promise<string>;
}

/** Starts the delivery of an event to an endpoint: one execution per name, so starting twice starts once. */
export interface DeliveryStarter {
  start(name: string, input: { eventId: string; endpointId: string }): Promise<void>;
}

/** A signed POST to a receiver, as the Standard Webhooks specification says. */
export interface WebhookSender {
  send(url: string, signing: { id: string; timestamp: Date; secrets: string[] }, body: string): Promise<{ status: number | null; retryAfter: string | null; error: string | null; durationMs: number }>;
}

/** A document handed to a Peppol access point: the UBL, who sends it and who receives it (participant ids, `scheme:value`). */
export interface PeppolDocument {
  /** Stable per document: the access point takes a document once, however often it is handed over. */
  id: string;
  sender: string;
  receiver: string;
  xml: string;
}

/** A Peppol access point's API, which sends documents over the Peppol network for the seller. */
export interface AccessPoint {
  /**
   * Resolves once the access point has the document (or had it already). Throws PeppolRefusedError
   * when it refuses the document for good, anything else while it cannot take it now (retried).
   */
  send(document: PeppolDocument): Promise<void>;
}
