import { type Page, type Queue, layout, statusName } from './layout.js';
import { formatMoney } from '../../domain/money.js';
import type { PoSummary } from '../../domain/purchase-order/index.js';
import { type AgingBucket, type Receivable, agingBuckets } from '../../domain/receivables.js';
import { SafeHtml, html } from '../../templates/html.js';

/** The lists: a queue, search results, receivables by age. */

function poTable(base: string, items: readonly PoSummary[], empty: string): SafeHtml {
  if (!items.length) return html`<p class="muted">${empty}</p>`;
  return html`<table><thead><tr><th scope="col">Reference</th><th scope="col">Company</th><th scope="col">Buyer's PO</th><th scope="col">Status</th><th scope="col" class="n">Total</th><th scope="col">Placed</th></tr></thead><tbody>${items.map(
    (po) =>
      html`<tr><td><a href="${base}/po/${po.id}">${po.reference}</a></td><td>${po.customer.company}</td><td>${po.poNumber ?? '—'}</td><td><span class="status s-${po.status}">${statusName(po.status)}</span></td><td class="n">${formatMoney(po.total, po.currency)}</td><td>${po.createdAt.slice(0, 10)}</td></tr>`,
  )}</tbody></table>`;
}

export function queuePage(page: Page, queue: Queue, items: readonly PoSummary[], next: string | null): string {
  return layout(
    { ...page, title: queue.label },
    html`<h1>${queue.label} <span class="count big">${queue.count}</span></h1>
${poTable(page.base, items, 'Nothing here right now.')}
${next ? html`<p><a class="button" href="${page.base}/queues/${queue.id}?next=${next}">Older</a></p>` : ''}`,
  );
}

export function searchPage(page: Page, query: string, items: readonly PoSummary[], next: string | null = null): string {
  const said = next ? `The first ${items.length} purchase orders that match “${query}”.` : `${items.length} purchase order${items.length === 1 ? '' : 's'} match “${query}”.`;
  return layout(
    { ...page, title: `Search: ${query}`, search: query },
    html`<h1>Search</h1><p class="muted">${said}</p>${poTable(page.base, items, 'No purchase order matches.')}
${next ? html`<p><a class="button" href="${page.base}/search?q=${encodeURIComponent(query)}&amp;next=${next}">More</a></p>` : ''}`,
  );
}

export function receivablesPage(page: Page, rows: Receivable[], totals: Record<string, Record<AgingBucket, number>>, today: string, next: string | null = null): string {
  const currencies = Object.keys(totals).sort();
  return layout(
    { ...page, title: 'Receivables', current: 'receivables' },
    html`<div class="title"><h1>Receivables</h1><a class="button" href="${page.base}/receivables.csv" download>Download CSV</a></div>
<p class="muted">Open invoices on ${today}, by days past their due date.</p>
<section class="card" aria-labelledby="h-aging"><h2 id="h-aging">By age</h2>${
      currencies.length
        ? html`<table><thead><tr><th scope="col">Currency</th>${agingBuckets.map((bucket) => html`<th scope="col" class="n">${bucketLabel(bucket)}</th>`)}<th scope="col" class="n">Total</th></tr></thead>
<tbody>${currencies.map(
            (currency) =>
              html`<tr><th scope="row">${currency}</th>${agingBuckets.map((bucket) => html`<td class="n">${formatMoney(totals[currency]![bucket], currency)}</td>`)}<td class="n strong">${formatMoney(
                agingBuckets.reduce((sum, bucket) => sum + totals[currency]![bucket], 0),
                currency,
              )}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="muted">No open invoice.</p>`
    }</section>
<section class="card" aria-labelledby="h-open"><h2 id="h-open">Open invoices</h2>${
      rows.length
        ? html`<table><thead><tr><th scope="col">Invoice</th><th scope="col">Reference</th><th scope="col">Company</th><th scope="col">Due</th><th scope="col" class="n">Days past due</th><th scope="col" class="n">Outstanding</th></tr></thead><tbody>${rows.map(
            (row) =>
              html`<tr><td>${row.invoice}</td><td><a href="${page.base}/po/${row.po.id}">${row.po.reference}</a></td><td>${row.po.customer.company}</td><td>${row.dueDate ?? 'on delivery'}</td><td class="n">${row.daysPastDue}</td><td class="n">${formatMoney(row.outstanding, row.po.currency)}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="muted">Nothing is owed.</p>`
    }${next ? html`<p><a class="button" href="${page.base}/receivables?next=${next}">More</a></p>` : ''}</section>`,
  );
}

export const bucketLabel = (bucket: AgingBucket) => (bucket === 'current' ? 'Current' : `${bucket} days`);
