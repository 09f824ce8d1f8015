import { AlreadyExistsError, ConcurrentUpdateError, InvalidCursorError } from '../../functions/app/errors.js';
import type { Delivery, DeliveryStarter, EventBus, EventStore, ReplayStarter, SecretBox, WebhookEndpoint, WebhookSender, WebhookStore } from '../../functions/app/ports.js';
import type { PoEvent } from '../../functions/domain/events.js';
const clone = <T>(value: T): T => structuredClone(value);

/** In-memory fakes of what publishes and delivers events: the feed, the bus, webhook endpoints and deliveries, a receiver. */

export class MemoryEvents implements EventStore {
  readonly kept: { event: PoEvent; publishedAt: string }[] = [];
  async put(event: PoEvent, publishedAt: string) {
    if (!this.kept.some((k) => k.event.id === event.id)) this.kept.push({ event: clone(event), publishedAt });
  }
  async get(poId: string, sequence: number) {
    return clone(this.kept.find((k) => k.event.poId === poId && k.event.sequence === sequence)?.event ?? null);
  }
  async feed(cursor: string | null, limit: number, settledBefore: string) {
    const start = cursor === null ? 0 : Number(cursor);
    if (!Number.isInteger(start) || start < 0) throw new InvalidCursorError('bad cursor');
    const page = this.kept.slice(start, start + limit);
    const unsettled = page.findIndex((k) => k.publishedAt >= settledBefore);
    const items = (unsettled < 0 ? page : page.slice(0, unsettled)).map((k) => clone(k.event));
    return { items, cursor: String(start + items.length) };
  }
  cursorAt(time: string) {
    const first = this.kept.findIndex((k) => k.publishedAt >= time);
    return String(first < 0 ? this.kept.length : first);
  }
}

export class MemoryBus implements EventBus {
  readonly put_: PoEvent[] = [];
  async put(events: PoEvent[]) {
    this.put_.push(...clone(events));
  }
}

export class MemoryWebhooks implements WebhookStore {
  readonly endpoints = new Map<string, WebhookEndpoint>();
  readonly log = new Map<string, Delivery>();
  async create(endpoint: WebhookEndpoint) {
    if (this.endpoints.has(endpoint.id)) throw new AlreadyExistsError(endpoint.id);
    this.endpoints.set(endpoint.id, clone(endpoint));
  }
  async get(id: string) {
    return clone(this.endpoints.get(id) ?? null);
  }
  async list() {
    return [...this.endpoints.values()].map(clone);
  }
  async save(endpoint: WebhookEndpoint, expectedVersion: number) {
    if (this.endpoints.get(endpoint.id)?.version !== expectedVersion) throw new ConcurrentUpdateError(endpoint.id);
    const saved = { ...clone(endpoint), version: expectedVersion + 1 };
    this.endpoints.set(endpoint.id, saved);
    return clone(saved);
  }
  async remove(id: string) {
    return this.endpoints.delete(id);
  }
  async recordDelivery(delivery: Delivery) {
    const known = this.log.get(delivery.id);
    if (!known || known.attempts <= delivery.attempts) this.log.set(delivery.id, clone(delivery));
  }
  async deliveries(endpointId: string, limit: number) {
    const items = [...this.log.values()].filter((d) => d.endpointId === endpointId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { items: items.slice(0, limit).map(clone), cursor: null };
  }
}

/** Deliveries started, by name: a second start of one name is a no-op, as with executions. */
export class RecordingDeliveries implements DeliveryStarter {
  readonly started = new Map<string, { eventId: string; endpointId: string }>();
  async start(name: string, input: { eventId: string; endpointId: string }) {
    if (!this.started.has(name)) this.started.set(name, input);
  }
}

/** Replays started, one per replay id, as executions of the replay state machine are. */
export class RecordingReplays implements ReplayStarter {
  readonly started = new Map<string, { endpointId: string; since: string }>();
  async start(replayId: string, input: { endpointId: string; since: string }) {
    if (!this.started.has(replayId)) this.started.set(replayId, input);
  }
}

/** A receiver that answers what it is told to, recording every request. */
export class ScriptedReceiver implements WebhookSender {
  readonly requests: { url: string; id: string; timestamp: Date; secrets: string[]; body: string }[] = [];
  answer: { status: number | null; retryAfter?: string | null; error?: string | null } = { status: 200 };
  async send(url: string, signing: { id: string; timestamp: Date; secrets: string[] }, body: string) {
    this.requests.push({ url, ...signing, body });
    return { status: this.answer.status, retryAfter: this.answer.retryAfter ?? null, error: this.answer.error ?? (this.answer.status === null ? 'ECONNREFUSED' : null), durationMs: 3 };
  }
}

/**
 * A sealing box as KMS is one: what it seals reads as nothing like the secret, and opens only with
 * the context it was sealed with.
 */
export class FakeBox implements SecretBox {
  readonly opened: Record<string, string>[] = [];
  async seal(plain: string, context: Record<string, string>) {
    return `sealed:${Buffer.from(JSON.stringify({ plain, context })).toString('base64')}`;
  }
  async open(sealed: string, context: Record<string, string>) {
    const { plain, context: sealedFor } = JSON.parse(Buffer.from(sealed.replace(/^sealed:/, ''), 'base64').toString('utf8')) as { plain: string; context: Record<string, string> };
    if (JSON.stringify(sealedFor) !== JSON.stringify(context)) throw Object.assign(new Error('the context does not match'), { name: 'InvalidCiphertextException' });
    this.opened.push(context);
    return plain;
  }
}
