import { exposureOf } from '../../functions/domain/credit.js';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { orderRequestSchema } from '../../contract/order-request.js';
import { type Policy, defaultPolicy } from '../../contract/policy.js';
import type { Status } from '../../contract/purchase-order.js';
import { renderDocumentPdf } from '../../functions/adapters/pdf.js';
import { changePurchaseOrder } from '../../functions/app/change.js';
import { AlreadyExistsError, ConcurrentUpdateError, InvalidCursorError } from '../../functions/app/errors.js';
import { placeOrder } from '../../functions/app/place.js';
import type { StaffDirectory, Standing } from '../../functions/app/staff.js';
import type { Clock, DocumentStore, IdempotencyRecord, IdempotencyStore, Mailer, NumberSeries, OutgoingEmail, PolicyStore, PurchaseOrderStore, ReviewRecord, ReviewStore, Secrets, SendOutcome, StoredDocument, StoredPurchaseOrder, Workflow } from '../../functions/app/ports.js';
import { hasSomethingToShip, needsFinanceSince, type PurchaseOrder, terminalStatuses } from '../../functions/domain/purchase-order/index.js';
import { owedOnInvoice } from '../../functions/domain/receivables.js';
import { countsOf, MemorySearch, newestFirst, offsetPage, receivableDaysOf } from './fake-search.js';

export { MemorySearch };
import { exampleSellerProfile } from '../../functions/domain/seller.js';
import { FakeBox, MemoryBus, MemoryEvents, MemoryWebhooks, RecordingDeliveries, RecordingReplays } from './fake-events.js';
import { order } from './orders.js';

/** In-memory ports with the same conditional semantics as the DynamoDB adapters. */

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryPurchaseOrders implements PurchaseOrderStore {
  readonly items = new Map<string, StoredPurchaseOrder>();
  private readonly owedSince = new Map<string, string>();
  async get(id: string) {
    const item = this.items.get(id);
    return item ? clone(item) : null;
  }
  async create(po: PurchaseOrder) {
    if (this.items.has(po.id)) throw new AlreadyExistsError(po.id);
    this.items.set(po.id, { po: clone(po), waitToken: null });
  }
  async save(po: PurchaseOrder, expectedVersion: number, parkedToken: string | null) {
    const current = this.items.get(po.id);
    if (!current || current.po.version !== expectedVersion || current.waitToken !== parkedToken) throw new ConcurrentUpdateError(po.id);
    const owed = parkedToken !== null ? { owedToken: parkedToken, owedSince: po.updatedAt } : { owedToken: current.owedToken ?? null, owedSince: this.owedSince.get(po.id) };
    this.items.set(po.id, { po: clone(po), waitToken: null, owedToken: owed.owedToken });
    if (owed.owedToken && owed.owedSince) this.owedSince.set(po.id, owed.owedSince);
    return { po: clone(po), waitToken: parkedToken, owedToken: parkedToken };
  }
  async settleSignal(id: string, token: string) {
    const current = this.items.get(id);
    if (current?.owedToken !== token) return;
    current.owedToken = null;
    this.owedSince.delete(id);
  }
  async needingAttention(limit: number) {
    return [...this.items.values()]
      .map((item) => item.po)
      .filter((po) => needsFinanceSince(po) !== null)
      .sort((a, b) => (`${needsFinanceSince(b)}#${b.id}` > `${needsFinanceSince(a)}#${a.id}` ? 1 : -1))
      .slice(0, limit)
      .map(clone);
  }
  async owedSignals(before: string, limit: number) {
    return [...this.owedSince.entries()]
      .filter(([, since]) => since < before)
      .sort((a, b) => (a[1] < b[1] ? -1 : 1))
      .slice(0, limit)
      .map(([id]) => id);
  }
  async listByStatus(status: Status, limit: number, cursor?: string) {
    const all = [...this.items.values()]
      .map((item) => item.po)
      .filter((po) => po.status === status)
      .sort((a, b) => (`${b.createdAt}#${b.id}` > `${a.createdAt}#${a.id}` ? 1 : -1));
    // A cursor names its list, as the table's does: one of another status's list is refused.
    const match = cursor === undefined ? null : new RegExp(`^${status}:(\\d{1,9})$`).exec(cursor);
    if (cursor !== undefined && !match) throw new InvalidCursorError('nextToken is not valid');
    const start = match ? Number(match[1]) : 0;
    const items = all.slice(start, start + limit).map(clone);
    return { items, cursor: start + limit < all.length ? `${status}:${start + limit}` : null };
  }
  async countByStatus(status: Status) {
    return [...this.items.values()].filter((item) => item.po.status === status).length;
  }
  /** The fake counts and lists by filtering every PO: what the table keeps, computed. */
  async queueCounts() {
    return countsOf(this.items);
  }
  async listToShip(limit: number, cursor?: string) {
    return offsetPage('ship', [...this.items.values()].map((item) => item.po).filter(hasSomethingToShip).sort(newestFirst), limit, cursor);
  }
  async listReceivables(limit: number, cursor?: string) {
    const due = (po: PurchaseOrder) => `${po.payment.dueDate ?? '9999-12-31'}#${po.id}`;
    const all = [...this.items.values()].map((item) => item.po).filter((po) => owedOnInvoice(po) > 0).sort((a, b) => (due(a) < due(b) ? -1 : 1));
    return offsetPage('receivables', all, limit, cursor);
  }
  async receivableDays() {
    return receivableDaysOf(this.items);
  }
  async countKept() {
    return 0;
  }
  /** When each PO's waiting execution started. */
  readonly workflowSince = new Map<string, string>();
  async registerWait(id: string, token: string, atVersion: number, since?: string) {
    const current = this.items.get(id);
    if (!current || current.po.version !== atVersion) return false;
    current.waitToken = token;
    if (since) this.workflowSince.set(id, since);
    return true;
  }
  /** The fake finds open POs by scanning: nothing to index. */
  async indexOpenByCustomer() {
    return 0;
  }
  async exposure(customerId: string, currency: string) {
    return [...this.items.values()].filter(({ po }) => po.customer.id === customerId && po.currency === currency).reduce((sum, { po }) => sum + exposureOf(po), 0);
  }
  async countExposure() {
    return 0;
  }
  async openForCustomer(customerId: string) {
    return [...this.items.values()]
      .map(({ po }) => clone(po))
      .filter((po) => po.customer.id === customerId && !terminalStatuses.has(po.status))
      .sort((a, b) => (`${a.createdAt}#${a.id}` < `${b.createdAt}#${b.id}` ? -1 : 1));
  }
  async overdueCount(customerId: string) {
    return (await this.openForCustomer(customerId)).filter((po) => po.status === 'overdue').length;
  }
  async longWaits(before: string, limit: number) {
    return [...this.items.values()]
      .filter(({ po, waitToken }) => waitToken && !terminalStatuses.has(po.status) && po.createdAt < before && (this.workflowSince.get(po.id) ?? before) < before)
      .slice(0, limit)
      .map(({ po, waitToken }) => ({ id: po.id, token: waitToken! }));
  }
}

export class MemoryIdempotency implements IdempotencyStore {
  readonly items = new Map<string, IdempotencyRecord>();
  async claim(record: IdempotencyRecord) {
    const existing = this.items.get(record.key);
    if (existing) return clone(existing);
    this.items.set(record.key, clone(record));
    return null;
  }
  async takeOver(record: IdempotencyRecord, previousStartedAt: string) {
    const existing = this.items.get(record.key);
    if (!existing || existing.state !== 'in_flight' || existing.startedAt !== previousStartedAt) return false;
    existing.startedAt = record.startedAt;
    return true;
  }
  async complete(key: string) {
    const existing = this.items.get(key);
    if (existing) existing.state = 'done';
  }
  async release(key: string) {
    if (this.items.get(key)?.state === 'in_flight') this.items.delete(key);
  }
}

export class MemoryReviews implements ReviewStore {
  readonly items = new Map<string, ReviewRecord>();
  async get(id: string) {
    const item = this.items.get(id);
    return item ? clone(item) : null;
  }
  async create(record: ReviewRecord) {
    const existing = this.items.get(record.id);
    if (existing) return clone(existing);
    this.items.set(record.id, clone(record));
    return clone(record);
  }
  async recordFailure(id: string) {
    const item = this.items.get(id)!;
    item.failures = (item.failures ?? 0) + 1;
    return item.failures;
  }
  async lockUntil(id: string, until: string) {
    this.items.get(id)!.lockedUntil = until;
  }
  async markDecided(id: string, at: string) {
    const item = this.items.get(id)!;
    item.decidedAt ??= at;
  }
}

export class MemoryNumbers implements NumberSeries {
  readonly last = new Map<string, number>();
  readonly held = new Map<string, number>();
  readonly counters = new Map<string, number>();
  async next(series: string, year: number) {
    const key = `${series}#${year}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
    return this.counters.get(key)!;
  }
  async claim(series: string, year: number, poId: string) {
    const key = `${series}#${year}`;
    const heldKey = `${key}#${poId}`;
    const existing = this.held.get(heldKey);
    if (existing !== undefined) return existing;
    const next = (this.last.get(key) ?? 0) + 1;
    this.last.set(key, next);
    this.held.set(heldKey, next);
    return next;
  }
}

export class MemoryDocuments implements DocumentStore {
  readonly items = new Map<string, StoredDocument>();
  async put(doc: StoredDocument) {
    const key = `${doc.poId}#${doc.id}`;
    if (!this.items.has(key)) this.items.set(key, doc);
    return this.items.get(key)!;
  }
  async get(poId: string, id: string) {
    return this.items.get(`${poId}#${id}`) ?? null;
  }
}

export class MemoryPolicies implements PolicyStore {
  constructor(public policy: Policy = clone(defaultPolicy)) {}
  async get() {
    return clone(this.policy);
  }
  async put(policy: Policy) {
    this.policy = clone(policy);
  }
}

export class MemoryMailer implements Mailer {
  readonly sent: { poId: string; key: string; email: OutgoingEmail }[] = [];
  readonly refused = new Map<string, string>();
  /** Addresses the email service refuses for good, and an error it throws on every send (a paused account). */
  readonly rejects = new Set<string>();
  failWith: Error | null = null;
  async sendOnce(poId: string, key: string, email: OutgoingEmail): Promise<SendOutcome> {
    const refused = this.refused.get(`${poId}|${key}`);
    if (refused) return { refused };
    if (this.sent.some((s) => s.poId === poId && s.key === key)) return 'sent';
    if (this.failWith) throw this.failWith;
    if (email.to.some((to) => this.rejects.has(to))) {
      const reason = 'MessageRejected: Email address is on the suppression list';
      this.refused.set(`${poId}|${key}`, reason);
      return { refused: reason };
    }
    this.sent.push({ poId, key, email });
    return 'sent';
  }
}

export class RecordingWorkflow implements Workflow {
  readonly started: { poId: string; input: Record<string, unknown> }[] = [];
  readonly signals: { token: string; output: Record<string, unknown> }[] = [];
  async start(poId: string, input: Record<string, unknown>) {
    if (!this.started.some((s) => s.poId === poId)) this.started.push({ poId, input });
  }
  /** Executions that ended (failed, timed out), by PO, and the restarts asked for. */
  readonly ended = new Set<string>();
  readonly restarted: { poId: string; input: Record<string, unknown> }[] = [];
  async isRunning(poId: string) {
    return this.started.some((s) => s.poId === poId) && !this.ended.has(poId);
  }
  async restart(poId: string, input: Record<string, unknown>) {
    this.ended.delete(poId);
    this.restarted.push({ poId, input });
  }
  readonly handedOver: { poId: string; from: string; input: Record<string, unknown> }[] = [];
  async handOver(poId: string, from: string, input: Record<string, unknown>) {
    if (!this.handedOver.some((h) => h.from === from)) this.handedOver.push({ poId, from, input });
    return `${from}-next`;
  }
  /** How many of the next signals Step Functions refuses (as a throttle would). */
  refuseNext = 0;
  async signal(token: string, output: Record<string, unknown>) {
    if (this.refuseNext > 0) {
      this.refuseNext -= 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    }
    this.signals.push({ token, output });
  }
}

export class FixedSecrets implements Secrets {
  constructor(readonly values = { checkout: 'test-checkout-key', finance: 'test-finance-key', linkSigning: 'test-link-signing-key' }) {}
  /** Keys a rotation replaced, still accepted. */
  readonly previous: Partial<Record<'checkout' | 'finance', string>> = {};
  async get(name: 'checkout' | 'finance' | 'linkSigning') {
    return this.values[name];
  }
  async acceptedKeys(name: 'checkout' | 'finance') {
    return [this.values[name], ...(this.previous[name] ? [this.previous[name]] : [])];
  }
}

export class TestClock implements Clock {
  constructor(public current = new Date('2026-03-02T10:00:00Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(seconds: number) {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export function fakes() {
  let ids = 0;
  const pos = new MemoryPurchaseOrders();
  return {
    pos,
    search: new MemorySearch(pos),
    idempotency: new MemoryIdempotency(),
    reviews: new MemoryReviews(),
    numbers: new MemoryNumbers(),
    documents: new MemoryDocuments(),
    policies: new MemoryPolicies(),
    mailer: new MemoryMailer(),
    workflow: new RecordingWorkflow(),
    secrets: new FixedSecrets(),
    clock: new TestClock(),
    newId: () => `PO${String(++ids).padStart(4, '0')}`,
    seller: exampleSellerProfile,
    // Receivers in the tests listen on 127.0.0.1, as on the local stack.
    addresses: { loopbackHttp: true },
  };
}

/**
 * A REST API (v1) proxy event as API Gateway sends it. As there, the key authorizer has run first:
 * a request bearing one of the test keys carries that role in `requestContext.authorizer`.
 */
export function apiEvent(options: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | null;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
}): APIGatewayProxyEvent {
  return {
    httpMethod: options.method ?? 'GET',
    path: options.path ?? '/',
    resource: options.path ?? '/',
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: false,
    requestContext: { authorizer: authorizerContext(options.headers ?? {}) } as APIGatewayProxyEvent['requestContext'],
  };
}

function authorizerContext(headers: Record<string, string>): { role: string; keyName: string } | null {
  const presented = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const keys = new FixedSecrets().values;
  const role = (['checkout', 'finance'] as const).find((candidate) => presented === `Bearer ${keys[candidate]}`);
  return role ? { role, keyName: role } : null;
}

/** The default order of the handler tests: Acme's cart PO of three licences. */
export const sampleOrder = order({ poNumber: 'ACME-4711' });

/** Fakes for the workflow's tasks: ports plus the seller and where links point. */
export function taskFakes() {
  const deps = fakes();
  return {
    ...deps,
    publicBaseUrl: 'https://po.seller.example/',
    renderPdf: renderDocumentPdf,
    recipients: async () => ({
      reviewers: deps.policies.policy.reviewerEmails,
      finance: deps.policies.policy.financeEmails,
      escalation: deps.policies.policy.reviewEscalationEmail ? [deps.policies.policy.reviewEscalationEmail] : [],
    }),
    publishing: { events: new MemoryEvents(), bus: new MemoryBus(), webhooks: new MemoryWebhooks(), deliveries: new RecordingDeliveries(), replays: new RecordingReplays(), clock: deps.clock, box: new FakeBox() },
  };
}

/** A PO placed and approved on the fakes (ordered, waiting for its invoice), with its fakes. */
export async function approvedOnFakes(order: object = sampleOrder) {
  const deps = taskFakes();
  const { po } = await placeOrder(deps, 'k1', 'h1', orderRequestSchema.parse(order));
  await changePurchaseOrder(deps, po.id, { type: 'approve' }, { actor: 'reviewer', at: deps.clock.now() });
  return { deps, poId: po.id };
}

/** A staff directory that answers each person's standing as `standingOf` says, and changes nothing. */
export function directoryOf(standingOf: (email: string) => Standing): StaffDirectory {
  return {
    list: async () => [],
    invite: async () => {},
    setGroup: async () => {},
    setEnabled: async () => {},
    isEnabled: async () => true,
    resetSecondFactor: async () => {},
    standing: async (email) => standingOf(email),
    completeNewPassword: async () => null,
  };
}
