import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Status } from '../../contract/purchase-order.js';
import type { PurchaseOrderStore } from '../app/ports.js';
import { toDecimalString } from '../domain/money.js';
import { fulfilment } from '../domain/purchase-order/index.js';
import { agingOfDays, csvField, receivables } from '../domain/receivables.js';
import { InvalidCursorError } from '../app/errors.js';
import { apiHeaders } from '../http/headers.js';
import { randomUUID } from 'node:crypto';
import { both, finance, html, notFound, redirect, type ConsoleDeps, type ConsoleRoute, type Role } from './router.js';
import type { Queue } from './views/layout.js';
import { bucketLabel, queuePage, receivablesPage, searchPage } from './views/queues.js';

/** Finance's and the reviewers' work lists, search, and what is owed by age (with its CSV). */
interface QueueDefinition {
  id: string;
  label: string;
  statuses: Status[];
  /** Within those statuses, only POs with something left to ship. */
  toShip?: boolean;
  /** POs whose workflow stopped at a failed step, whatever their status. */
  attention?: boolean;
  roles: readonly Role[];
}

const queueDefinitions: QueueDefinition[] = [
  { id: 'needs-attention', label: 'Needs attention', statuses: [], attention: true, roles: finance },
  { id: 'to-review', label: 'To review', statuses: ['awaiting_review'], roles: both },
  { id: 'payments-to-verify', label: 'Payments to verify', statuses: ['payment_submitted'], roles: finance },
  { id: 'disputes', label: 'Disputes', statuses: ['disputed'], roles: finance },
  { id: 'awaiting-payment', label: 'Awaiting payment', statuses: ['awaiting_payment'], roles: finance },
  { id: 'overdue', label: 'Overdue', statuses: ['overdue'], roles: finance },
  { id: 'to-ship', label: 'To ship', statuses: [...fulfilment], toShip: true, roles: finance },
];

/**
 * The queues this role sees, each with its count: the counts every write keeps (a few small items),
 * read once for the navigation of every page.
 */
export async function queuesFor(pos: PurchaseOrderStore, role: Role): Promise<Queue[]> {
  const counts = await pos.queueCounts();
  return queueDefinitions
    .filter((queue) => queue.roles.includes(role))
    .map((queue) => ({ id: queue.id, label: queue.label, count: counts[queue.attention ? 'attention' : queue.toShip ? 'to_ship' : queue.statuses[0]!] ?? 0 }));
}

/** A paging token as the console hands it out (the store checks what it holds). */
const nextOf = (request: { event: { queryStringParameters?: Record<string, string | undefined> | null } }) => {
  const next = request.event.queryStringParameters?.next;
  return next && /^[A-Za-z0-9_:-]{1,2048}$/.test(next) ? next : undefined;
};

/** A page of a list; a token that is not one of this list's starts it over (a stale bookmark is no error). */
async function firstIfStale<T>(list: (cursor?: string) => Promise<T>, cursor: string | undefined): Promise<T> {
  try {
    return await list(cursor);
  } catch (error) {
    if (cursor === undefined || !(error instanceof InvalidCursorError)) throw error;
    return list();
  }
}

export const queueRoutes: ConsoleRoute[] = [
  { method: 'GET', path: /^\/(?:queues)?$/, roles: both, handle: async ({ base }) => redirect(`${base}/queues/to-review`) },
  {
    method: 'GET',
    path: /^\/queues\/([a-z-]+)$/,
    roles: both,
    handle: async (request, [id]) => {
      const { deps, session } = request;
      const definition = queueDefinitions.find((queue) => queue.id === id && queue.roles.includes(session.role));
      if (!definition) return notFound(request, 'There is no such queue.');
      const page = await request.page(definition.id);
      const queue = page.queues!.find((q) => q.id === definition.id)!;
      if (definition.attention) return html(200, queuePage(page, queue, await deps.pos.needingAttention(100), null));
      const listed = await firstIfStale((cursor) => (definition.toShip ? deps.pos.listToShip(25, cursor) : deps.pos.listByStatus(definition.statuses[0]!, 25, cursor)), nextOf(request));
      return html(200, queuePage(page, queue, listed.items, listed.cursor));
    },
  },
  {
    method: 'GET',
    path: /^\/search$/,
    roles: both,
    handle: async (request) => {
      const query = (request.event.queryStringParameters?.q ?? '').trim().slice(0, 200);
      const cursor = nextOf(request);
      const [found, page] = await Promise.all([firstIfStale((next) => request.deps.search.search(query, 25, next), cursor), request.page()]);
      if (!cursor && found.items.length === 1 && found.items[0]!.reference.toLowerCase() === query.toLowerCase()) return redirect(`${request.base}/po/${found.items[0]!.id}`);
      return html(200, searchPage(page, query, found.items, found.cursor));
    },
  },
  {
    method: 'GET',
    path: /^\/receivables(\.csv)?$/,
    roles: finance,
    handle: async (request, [csv]) => {
      const today = request.deps.clock.now();
      if (csv) return receivablesCsv(request.deps, today);
      // The ages from the sums kept per due date; the invoices a page at a time, most overdue first.
      const [days, listed, page] = await Promise.all([request.deps.pos.receivableDays(), firstIfStale((cursor) => request.deps.pos.listReceivables(50, cursor), nextOf(request)), request.page('receivables')]);
      return html(200, receivablesPage(page, receivables(listed.items, today), agingOfDays(days, today), today.toISOString().slice(0, 10), listed.cursor));
    },
  },
];

/**
 * Above this size the CSV goes to S3 and the answer is a link to it: a Lambda answer holds 6 MB, and
 * a clerk's download should not hang on API Gateway's 29 s either.
 */
export const CSV_INLINE_BYTES = 1_000_000;

/** Every open invoice as CSV, read from the list a page at a time, most overdue first. */
async function receivablesCsv(deps: Pick<ConsoleDeps, 'pos' | 'files'>, today: Date): Promise<APIGatewayProxyResult> {
  const header = ['Invoice', 'Reference', 'Company', 'Customer id', 'Currency', 'Due date', 'Days past due', 'Age', 'Outstanding'];
  const lines: string[] = [header.map(csvField).join(',')];
  let cursor: string | undefined;
  do {
    const listed = await deps.pos.listReceivables(100, cursor);
    for (const row of receivables(listed.items, today)) {
      const fields = [row.invoice, row.po.reference, row.po.customer.company, row.po.customer.id, row.po.currency, row.dueDate ?? '', row.daysPastDue, bucketLabel(row.bucket), toDecimalString(row.outstanding, row.po.currency)];
      lines.push(fields.map(csvField).join(','));
    }
    cursor = listed.cursor ?? undefined;
  } while (cursor);
  const body = `${lines.join('\r\n')}\r\n`;
  const filename = `receivables-${today.toISOString().slice(0, 10)}.csv`;
  const type = 'text/csv; charset=utf-8';
  if (Buffer.byteLength(body) > CSV_INLINE_BYTES) {
    const key = `exports/${randomUUID()}/${filename}`;
    await deps.files.put(key, new TextEncoder().encode(body), type);
    return redirect(await deps.files.downloadUrl(key, filename, type));
  }
  return { statusCode: 200, headers: { 'Content-Type': type, 'Content-Disposition': `attachment; filename="${filename}"`, ...apiHeaders }, body };
}
