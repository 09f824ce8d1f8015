import { formatMoney } from '../domain/money.js';
import type { PurchaseOrder } from '../domain/purchase-order/index.js';
import { layout } from '../console/views/layout.js';
import { holdNotice, totalRows } from '../console/views/purchase-order.js';
import { html } from './html.js';

/**
 * The reviewer's pages: the PO with an approve/reject form, and the outcome pages. They share the
 * back office's layout and stylesheet (`base` is where the console and its assets live). No scripts.
 */
export function reviewFormPage(base: string, po: PurchaseOrder, reviewId: string, token: string, expiresAt: string): string {
  const money = (amount: number) => formatMoney(amount, po.currency);
  const address = po.billingAddress;
  const who = (by: PurchaseOrder['review']['approvals'][number]['by']) =>
    by.type === 'person' || by.type === 'link' ? (by.email ?? 'a reviewer') : by.type === 'key' ? `the ${by.name} system` : 'the workflow';
  const attachments = po.attachments;
  return layout(
    { base, title: `Review ${po.reference}`, session: null },
    html`<h1>Review purchase order ${po.reference}</h1>
<p>Check the buyer's signed confirmation on company letterhead, then release or reject the order. Your decision is recorded in your name.</p>
${holdNotice(po)}${
  po.review.approvalsRequired > 1
    ? html`<p><strong>Approvals: ${po.review.approvals.length} of ${po.review.approvalsRequired}.</strong> ${
        po.review.approvals.length ? `Approved so far by ${po.review.approvals.map((approval) => who(approval.by)).join(', ')}. ` : ''
      }The order is released when ${po.review.approvalsRequired} different people have approved it; one rejection rejects it.</p>`
    : ''
}${
  attachments.length
    ? html`<p><strong>The buyer's signed PO:</strong> ${attachments.map(
        (attachment, i) =>
          html`${i ? ', ' : ''}<a href="${reviewId}/attachments/${attachment.id}?token=${token}">${attachment.filename ?? 'signed purchase order'}</a> (${attachment.contentType.replace('application/', '').replace('image/', '').toUpperCase()}, ${Math.ceil(attachment.size / 1024)} KB)`,
      )}</p>`
    : html`<p><strong>The buyer's signed PO has not arrived yet.</strong> Approve only once you have checked their confirmation.</p>`
}<section class="card" aria-labelledby="h-buyer"><h2 id="h-buyer">Buyer</h2><dl>
<dt>Company</dt><dd>${po.customer.company} (${po.customer.type})</dd>
<dt>Buyer</dt><dd>${po.customer.email ?? '—'}</dd>
<dt>Buyer's PO number</dt><dd>${po.poNumber ?? '—'}</dd>
<dt>Billing address</dt><dd>${[address.line1, address.line2, address.postalCode, address.city, address.country].filter(Boolean).join(', ')}</dd>
<dt>Delivery</dt><dd>${po.delivery === 'prepayment' ? 'after prepayment (proforma invoice)' : `on release; invoice due in ${po.paymentTermsDays} days`}</dd>
<dt>Placed</dt><dd>${po.createdAt.slice(0, 10)}</dd></dl></section>
<section class="card" aria-labelledby="h-lines"><h2 id="h-lines">Lines</h2>
<table><thead><tr><th scope="col">Item</th><th scope="col" class="n">Qty</th><th scope="col" class="n">Unit</th><th scope="col" class="n">Amount</th></tr></thead>
<tbody>${po.lines.map(
      (line) =>
        html`<tr><td>${line.description}<br><span class="muted">${line.sku} · ${line.fulfilment}</span></td><td class="n">${line.quantity}</td><td class="n">${money(line.unitAmount)}</td><td class="n">${money(line.amount)}</td></tr>`,
    )}</tbody><tfoot>${totalRows(po)}</tfoot></table></section>
<section class="card" aria-labelledby="h-decide"><h2 id="h-decide">Your decision</h2>
<form method="post" action="${reviewId}">
<input type="hidden" name="token" value="${token}">
<p><label for="comment">Comment (sent to the buyer on rejection)</label><textarea id="comment" name="comment" maxlength="2000" rows="3"></textarea></p>
<p class="decide"><button class="primary approve" type="submit" name="decision" value="approve">Approve and release</button>
<button class="danger reject" type="submit" name="decision" value="reject">Reject</button></p>
</form>
<p class="muted">This link works until ${expiresAt.slice(0, 10)}.</p></section>`,
  );
}

export function outcomePage(base: string, title: string, message: string): string {
  return layout({ base, title, session: null }, html`<section class="card narrow"><h1>${title}</h1><p>${message}</p></section>`);
}
