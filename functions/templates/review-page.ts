import { formatMoney } from '../domain/money.js';
import type { PurchaseOrder } from '../domain/purchase-order.js';
import { escapeHtml } from './render.js';

/** The reviewer's pages: the PO with an approve/reject form, and the outcome pages. No scripts. */

const style = `body{font-family:Arial,sans-serif;max-width:760px;margin:32px auto;padding:0 16px;color:#111}
table{border-collapse:collapse;width:100%}td,th{padding:6px 8px;border-bottom:1px solid #ddd;text-align:left}
td.n,th.n{text-align:right}.actions{display:flex;gap:12px;margin-top:16px}
button{padding:10px 18px;font-size:15px;border:0;border-radius:4px;cursor:pointer;color:#fff}
.approve{background:#15803d}.reject{background:#b91c1c}textarea{width:100%;min-height:70px;box-sizing:border-box}
.muted{color:#555}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>${body}</body></html>`;
}

export function reviewFormPage(po: PurchaseOrder, reviewId: string, token: string, expiresAt: string): string {
  const money = (amount: number) => escapeHtml(formatMoney(amount, po.currency));
  const rows = po.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(line.description)}<br><span class="muted">${escapeHtml(line.sku)} · ${line.fulfilment}</span></td><td class="n">${line.quantity}</td><td class="n">${money(line.unitAmount)}</td><td class="n">${money(line.amount)}</td></tr>`,
    )
    .join('');
  const address = po.billingAddress;
  const who = (by: PurchaseOrder['review']['approvals'][number]['by']) =>
    by.type === 'person' || by.type === 'link' ? (by.email ?? 'a reviewer') : by.type === 'key' ? `the ${by.name} system` : 'the workflow';
  const approvals =
    po.review.approvalsRequired > 1
      ? `<p><strong>Approvals: ${po.review.approvals.length} of ${po.review.approvalsRequired}.</strong> ${
          po.review.approvals.length ? `Approved so far by ${po.review.approvals.map((approval) => escapeHtml(who(approval.by))).join(', ')}. ` : ''
        }The order is released when ${po.review.approvalsRequired} different people have approved it; one rejection rejects it.</p>`
      : '';
  return page(
    `Review ${po.reference}`,
    `<h1>Review purchase order ${escapeHtml(po.reference)}</h1>
<p>Check the buyer's signed confirmation on company letterhead, then release or reject the order. Your decision is recorded in your name.</p>
${approvals}${
      (po.attachments ?? []).length
        ? `<p><strong>The buyer's signed PO:</strong> ${po.attachments
            .map(
              (attachment) =>
                `<a href="${escapeHtml(encodeURIComponent(reviewId))}/attachments/${escapeHtml(attachment.id)}?token=${escapeHtml(encodeURIComponent(token))}">${escapeHtml(attachment.filename ?? 'signed purchase order')}</a> (${escapeHtml(attachment.contentType.replace('application/', '').replace('image/', '').toUpperCase())}, ${Math.ceil(attachment.size / 1024)} KB)`,
            )
            .join(', ')}</p>`
        : `<p><strong>The buyer's signed PO has not arrived yet.</strong> Approve only once you have checked their confirmation.</p>`
    }<table>
<tr><th>Company</th><td>${escapeHtml(po.customer.company)} (${escapeHtml(po.customer.type)})</td></tr>
<tr><th>Buyer</th><td>${escapeHtml(po.customer.email)}</td></tr>
<tr><th>Buyer's PO number</th><td>${escapeHtml(po.poNumber ?? '—')}</td></tr>
<tr><th>Billing address</th><td>${escapeHtml([address.line1, address.line2, address.postalCode, address.city, address.country].filter(Boolean).join(', '))}</td></tr>
<tr><th>Delivery</th><td>${po.delivery === 'prepayment' ? 'after prepayment (proforma invoice)' : `on release; invoice due in ${po.paymentTermsDays} days`}</td></tr>
<tr><th>Placed</th><td>${escapeHtml(po.createdAt.slice(0, 10))}</td></tr>
</table>
<h2>Lines</h2>
<table><thead><tr><th>Item</th><th class="n">Qty</th><th class="n">Unit</th><th class="n">Amount</th></tr></thead>
<tbody>${rows}</tbody><tfoot><tr><th colspan="3">Total</th><th class="n">${money(po.total)}</th></tr></tfoot></table>
<form method="post" action="${escapeHtml(encodeURIComponent(reviewId))}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><label for="comment">Comment (sent to the buyer on rejection)</label><br><textarea id="comment" name="comment" maxlength="2000"></textarea></p>
<div class="actions"><button class="approve" type="submit" name="decision" value="approve">Approve and release</button>
<button class="reject" type="submit" name="decision" value="reject">Reject</button></div>
</form>
<p class="muted">This link works until ${escapeHtml(expiresAt.slice(0, 10))}.</p>`,
  );
}

export function outcomePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
