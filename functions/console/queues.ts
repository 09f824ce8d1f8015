import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Status } from '../../contract/purchase-order.js';
import type { PurchaseOrderStore } from '../app/ports.js';
import { toDecimalString } from '../domain/money.js';
import { fulfilment, type PurchaseOrder } from '../domain/purchase-order/index.js';
import { agingTotals, csvField, receivables } from '../domain/receivables.js';
import { apiHeaders } from '../http/headers.js';
import { both, finance, html, notFound, redirect, type ConsoleRoute, type Role } from './router.js';
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

const unshipped = (po: PurchaseOrder) => po.shippingOrders.some((order) => order.status !== 'delivered');

async function allInStatus(pos: PurchaseOrderStore, status: Status): Promise<PurchaseOrder[]> {
  const all: PurchaseOrder[] = [];
  let cursor: string | undefined;
  do {
    const listed = await pos.listByStatus(status, 100, cursor);
    all.push(...listed.items);
    cursor = listed.cursor ?? undefined;
  } while (cursor && all.length < 10_000);
  return all;
}

async function toShip(pos: PurchaseOrderStore): Promise<PurchaseOrder[]> {
  return (await Promise.all(fulfilment.map((status) => allInStatus(pos, status))))
    .flat()
    .filter(unshipped)
    .sort((a, b) => (`${b.createdAt}#${b.id}` > `${a.createdAt}#${a.id}` ? 1 : -1));
}

/** The queues this role sees, each with its count. */
export async function queuesFor(pos: PurchaseOrderStore, role: Role): Promise<Queue[]> {
  return Promise.all(
    queueDefinitions
      .filter((queue) => queue.roles.includes(role))
      .map(async (queue) => ({
        id: queue.id,
        label: queue.label,
        count: queue.attention ? (await pos.needingAttention(100)).length : queue.toShip ? (await toShip(pos)).length : await pos.countByStatus(queue.statuses[0]!),
      })),
  );
}

export const queueRoutes: ConsoleRoute[] = [
  { method: 'GET', path: /^\/(?:queues)?$/, roles: both, handle: async ({ base }) => redirect(`${base}/queues/to-review`) },
  {
    method: 'GET',
    path: /^\/queues\/([a-z-]+)$/,
    roles: both,
    handle: async (request, [id]) => {
      const { deps, session, event } = request;
      const definition = queueDefinitions.find((queue) => queue.id === id && queue.roles.includes(session.role));
      if (!definition) return notFound(request, 'There is no such queue.');
      const page = await request.page(definition.id);
      const queue = page.queues!.find((q) => q.id === definition.id)!;
      if (definition.toShip) return html(200, queuePage(page, queue, await toShip(deps.pos), null));
      if (definition.attention) return html(200, queuePage(page, queue, await deps.pos.needingAttention(100), null));
      const next = event.queryStringParameters?.next;
      let listed;
      try {
        listed = await deps.pos.listByStatus(definition.statuses[0]!, 25, next && /^[A-Za-z0-9_-]{1,2048}$/.test(next) ? next : undefined);
      } catch {
        listed = await deps.pos.listByStatus(definition.statuses[0]!, 25);
      }
      return html(200, queuePage(page, queue, listed.items, listed.cursor));
    },
  },
  {
    method: 'GET',
    path: /^\/search$/,
    roles: both,
    handle: async (request) => {
      const query = (request.event.queryStringParameters?.q ?? '').trim().slice(0, 200);
      const found = query.length >= 2 ? await request.deps.pos.search(query, 50) : [];
      const page = await request.page();
      if (found.length === 1 && found[0]!.reference.toLowerCase() === query.toLowerCase()) return redirect(`${request.base}/po/${found[0]!.id}`);
      return html(200, searchPage(page, query, found));
    },
  },
  {
    method: 'GET',
    path: /^\/receivables(\.csv)?$/,
    roles: finance,
    handle: async (request, [csv]) => {
      const outstanding = (await Promise.all(fulfilment.map((status) => allInStatus(request.deps.pos, status)))).flat();
      const today = request.deps.clock.now();
      const rows = receivables(outstanding, today);
      if (!csv) return html(200, receivablesPage(await request.page('receivables'), rows, agingTotals(rows), today.toISOString().slice(0, 10)));
      return receivablesCsv(rows, today);
    },
  },
];

function receivablesCsv(rows: ReturnType<typeof receivables>, today: Date): APIGatewayProxyResult {
  const lines = [
    ['Invoice', 'Reference', 'Company', 'Customer id', 'Currency', 'Due date', 'Days past due', 'Age', 'Outstanding'],
    ...rows.map((row) => [row.invoice, row.po.reference, row.po.customer.company, row.po.customer.id, row.po.currency, row.dueDate ?? '', row.daysPastDue, bucketLabel(row.bucket), toDecimalString(row.outstanding, row.po.currency)]),
  ];
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="receivables-${today.toISOString().slice(0, 10)}.csv"`, ...apiHeaders },
    body: `${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`,
  };
}
