import { type Status, type Who, holdDescriptions } from '../../../contract/purchase-order.js';
import { type Page, type Session, layout, statusName } from './layout.js';
import { MAX_DIRECT_UPLOAD_BYTES } from '../../domain/attachments.js';
import type { CreditAccount } from '../../domain/credit.js';
import { formatMoney, toDecimalString } from '../../domain/money.js';
import { type Action, type PurchaseOrder, taxationOf, outstanding } from '../../domain/purchase-order/index.js';
import { formatRate } from '../../domain/tax.js';
import { SafeHtml, html } from '../../templates/html.js';
import type { XmlFormat } from '../../../contract/einvoice.js';

/** What each e-invoice format is called where people pick one. */
const formatNames: Record<XmlFormat, string> = { ubl: 'UBL', xrechnung: 'XRechnung', cii: 'CII' };

/** A PO's page (its facts, documents, timeline and the actions the person may take) and a customer's account. */

export const who = (by: Who | undefined, actor: string) => {
  if (!by) return actor;
  if (by.type === 'person') return by.email;
  if (by.type === 'link') return by.email ? `${by.email} (review link)` : 'review link';
  return by.type === 'key' ? `${by.name} system` : 'workflow';
};

/** The forms of the actions the signed-in person may take now (the domain's table decides which). */
function actionForms(base: string, po: PurchaseOrder, allowed: Action['type'][], session: Session): SafeHtml[] {
  const form = (action: string, label: string, fields: SafeHtml | string = '', kind = '') =>
    html`<form method="post" action="${base}/po/${po.id}/actions/${action}" class="action"><input type="hidden" name="csrf" value="${session.csrf}">${fields}<button type="submit" class="${kind}">${label}</button></form>`;
  const text = (action: string, name: string, label: string, required = false) =>
    html`<p><label for="${action}-${name}">${label}</label><input id="${action}-${name}" name="${name}" type="text" maxlength="2000"${required ? html` required` : ''}></p>`;
  const forms: SafeHtml[] = [];
  const can = (type: Action['type']) => allowed.includes(type);
  if (can('resume')) forms.push(form('resume', 'Resume workflow', html`<p class="hint">Once the cause is fixed: the workflow takes the PO’s next step from its status.</p>`, 'primary'));
  if (can('approve')) forms.push(form('approve', 'Approve', text('approve', 'comment', 'Comment (optional)'), 'primary'));
  if (can('reject')) forms.push(form('reject', 'Reject', text('reject', 'comment', 'Reason, sent to the buyer'), 'danger'));
  if (can('record_payment') && po.payment.amountPaid < po.payment.amountDue) {
    const due = toDecimalString(outstanding(po), po.currency);
    forms.push(
      form(
        'record-payment',
        'Record payment',
        html`<p><label for="record-payment-amount">Amount</label><input id="record-payment-amount" name="amount" type="text" inputmode="decimal" required value="${due}" aria-describedby="record-payment-hint"><span id="record-payment-hint" class="hint">${po.currency}, as printed (e.g. ${due})</span></p>
<p><label for="record-payment-reference">Reference</label><input id="record-payment-reference" name="reference" type="text" maxlength="200" required></p>`,
        'primary',
      ),
    );
  }
  if (can('verify_payment')) {
    forms.push(form('accept-payment', 'Accept payment', '', 'primary'));
    forms.push(form('reject-payment', 'Reject payment', text('reject-payment', 'reason', 'Why it could not be verified'), 'danger'));
  }
  if (can('resolve_dispute')) {
    forms.push(
      form(
        'resolve-dispute',
        'Resolve dispute',
        html`<p><label for="resolve-dispute-outcome">Outcome</label><select id="resolve-dispute-outcome" name="outcome"><option value="accept_payment">Accept the reported payment</option><option value="cancel">Cancel the order</option></select></p>${text('resolve-dispute', 'reason', 'Note (optional)')}`,
      ),
    );
  }
  if (can('convert_to_purchase_order') && po.paymentMethod === 'offline' && po.payment.amountPaid === 0) {
    forms.push(form('convert', 'Convert to purchase order'));
  }
  if (can('dispute')) forms.push(form('dispute', 'Open dispute', text('dispute', 'reason', 'What is disputed')));
  if (can('update_shipping')) {
    for (const order of po.shippingOrders) {
      if (order.status === 'pending') forms.push(form(`ship/${order.id}/shipped`, 'Mark shipped', html`<p class="hint">${order.id} (${order.seller})</p>`));
      if (order.status === 'shipped') forms.push(form(`ship/${order.id}/delivered`, 'Mark delivered', html`<p class="hint">${order.id} (${order.seller})</p>`));
    }
  }
  if (can('cancel')) forms.push(form('cancel', 'Cancel', text('cancel', 'reason', 'Reason for cancelling'), 'danger'));
  return forms;
}

export function poPage(page: Page, po: PurchaseOrder, allowed: Action['type'][], problem?: string): string {
  const session = page.session!;
  const money = (amount: number) => formatMoney(amount, po.currency);
  const address = po.shippingAddress ?? po.billingAddress;
  const forms = actionForms(page.base, po, allowed, session);
  return layout(
    { ...page, title: po.reference },
    html`<div class="title"><h1>${po.reference}</h1><span class="status s-${po.status}">${statusName(po.status as Status)}</span></div>
<p class="muted">${po.customer.company} · ${po.channel} · ${po.paymentMethod.replace(/_/g, ' ')}${po.delivery ? html` · ${po.delivery} delivery` : ''} · placed ${po.createdAt.slice(0, 10)}</p>
${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
${po.status === 'awaiting_review' ? holdNotice(po) : ''}${
  po.attention
    ? html`<p class="error" role="status"><strong>Needs attention since ${po.attention.since.slice(0, 16).replace('T', ' ')} UTC:</strong> the step “${po.attention.step}” failed (${po.attention.reason}). Nothing was lost; the workflow waits for you to resume it.</p>`
    : po.status === 'awaiting_review' && po.review.escalated
      ? html`<p class="warning" role="status"><strong>The review closes ${(po.reviewDeadline ?? '').slice(0, 16).replace('T', ' ')} UTC and nobody has decided yet.</strong> Approve or reject it before then, or it is cancelled and the buyer told.</p>`
      : ''
}
<div class="grid">
<section class="card" aria-labelledby="h-actions"><h2 id="h-actions">Actions</h2>${
      forms.length ? forms : html`<p class="muted">Nothing for the ${session.role} role to do in this status.</p>`
    }${
      po.review.approvalsRequired > 1 && po.status === 'awaiting_review'
        ? html`<p class="hint">Needs ${po.review.approvalsRequired} approvals from different people; ${po.review.approvals.length} so far.</p>`
        : ''
    }</section>
<section class="card" aria-labelledby="h-buyer"><h2 id="h-buyer">Buyer</h2><dl>
<dt>Company</dt><dd>${po.customer.company} (${po.customer.type})</dd><dt>Customer id</dt><dd>${
  page.session?.role === 'finance' ? html`<a href="${page.base}/customers/${encodeURIComponent(po.customer.id)}">${po.customer.id}</a> <span class="muted">(account)</span>` : po.customer.id
}</dd>
<dt>Email</dt><dd>${po.customer.email ?? '—'}</dd>${po.customer.endpointId ? html`<dt>E-invoice address</dt><dd>${po.customer.endpointId}</dd>` : ''}<dt>Buyer's PO number</dt><dd>${po.poNumber ?? '—'}</dd>
<dt>Ships to</dt><dd>${[address.line1, address.line2, address.postalCode, address.city, address.country].filter(Boolean).join(', ')}</dd></dl></section>
</div>
<section class="card" aria-labelledby="h-lines"><h2 id="h-lines">Lines</h2><table><thead><tr><th scope="col">Item</th><th scope="col" class="n">Qty</th><th scope="col" class="n">Unit</th><th scope="col" class="n">Amount</th></tr></thead>
<tbody>${po.lines.map((line) => html`<tr><td>${line.description}<br><span class="muted">${line.sku} · ${line.fulfilment}</span></td><td class="n">${line.quantity}</td><td class="n">${money(line.unitAmount)}</td><td class="n">${money(line.amount)}</td></tr>`)}</tbody>
<tfoot>${totalRows(po)}</tfoot></table></section>
<div class="grid">
<section class="card" aria-labelledby="h-payment"><h2 id="h-payment">Payment</h2><dl>
<dt>Status</dt><dd>${statusName(po.payment.status)}</dd><dt>Due</dt><dd>${money(po.payment.amountDue)}${po.payment.dueDate ? ` by ${po.payment.dueDate}` : ''}</dd>
<dt>Paid</dt><dd>${money(po.payment.amountPaid)}</dd><dt>Outstanding</dt><dd>${money(outstanding(po))}</dd>${po.payment.refundDue ? html`<dt>To refund</dt><dd>${money(po.payment.refundDue)}</dd>` : ''}${po.payment.shortfall ? html`<dt>Written off</dt><dd>${money(po.payment.shortfall)} <span class="muted">(credited: settled short)</span></dd>` : ''}</dl>
${
  po.payment.records.length
    ? html`<table><caption>Payments</caption><thead><tr><th scope="col">Date</th><th scope="col">Reference</th><th scope="col" class="n">Amount</th></tr></thead><tbody>${po.payment.records.map(
        (record) => html`<tr><td>${record.at.slice(0, 10)}</td><td>${record.reference}</td><td class="n">${money(record.amount)}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">No payment recorded yet.</p>`
}</section>
<section class="card" aria-labelledby="h-docs"><h2 id="h-docs">Documents</h2>${
      po.documents.length
        ? html`<ul class="plain">${po.documents.map(
            (doc) =>
              html`<li><a href="${page.base}/po/${po.id}/documents/${doc.id}">${doc.type.replace('_', ' ')} ${doc.number}</a> <span class="muted">${doc.issuedAt.slice(0, 10)} · ${money(doc.total)}</span>${
                doc.formats?.length
                  ? html` <span class="muted">· e-invoice: ${doc.formats.map(
                      (format, index) => html`${index ? ', ' : ''}<a href="${page.base}/po/${po.id}/documents/${doc.id}?format=${format}" download>${formatNames[format]}</a>`,
                    )}</span>`
                  : ''
              }</li>`,
          )}</ul>`
        : html`<p class="muted">No document issued yet.</p>`
    }
<h3 id="files">The buyer's signed PO</h3>${
      po.attachments.length
        ? html`<ul class="plain">${po.attachments.map(
            (attachment) =>
              html`<li><a href="${page.base}/po/${po.id}/attachments/${attachment.id}">${attachment.filename ?? 'signed purchase order'}</a> <span class="muted">${attachment.at.slice(0, 10)} · ${Math.ceil(attachment.size / 1024)} KB</span></li>`,
          )}</ul>`
        : html`<p class="muted">Not arrived yet.</p>`
    }${
      allowed.includes('attach')
        ? html`<form method="post" action="${page.base}/po/${po.id}/attachments" enctype="multipart/form-data"><input type="hidden" name="csrf" value="${session.csrf}"><p><label for="signed-po">Attach the signed PO (a scanned letter or fax)</label><input id="signed-po" name="file" type="file" accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg" required aria-describedby="signed-po-hint"><span class="hint" id="signed-po-hint">PDF, PNG or JPEG, up to ${String(MAX_DIRECT_UPLOAD_BYTES / 1024 / 1024)} MB.</span></p><p><button type="submit">Attach</button></p></form>`
        : ''
    }
<h3>Shipping orders</h3>${
      po.shippingOrders.length
        ? html`<ul class="plain">${po.shippingOrders.map((order) => html`<li>${order.id} (${order.seller}): ${order.status} · ${order.lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ')}</li>`)}</ul>`
        : html`<p class="muted">Nothing to ship.</p>`
    }</section>
</div>
<section class="card" aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2><ol class="timeline">${po.history.map(
      (entry) =>
        html`<li><time datetime="${entry.at}">${entry.at.slice(0, 16).replace('T', ' ')}</time> <strong>${entry.type.replace(/_/g, ' ')}</strong>${
          entry.from !== entry.to ? html` <span class="muted">${entry.from ? statusName(entry.from) : 'new'} → ${statusName(entry.to)}</span>` : ''
        } <span class="by">by ${who(entry.by, entry.actor)}</span>${entry.detail ? html`<br><span class="detail">${entry.detail}</span>` : ''}</li>`,
    )}</ol></section>`,
  );
}

/** The foot of a PO's lines table: with tax, the net subtotal and the tax per rate (and why none), then the total. */
export function totalRows(po: PurchaseOrder): SafeHtml {
  const money = (amount: number) => formatMoney(amount, po.currency);
  const { subtotal, tax } = taxationOf(po);
  return html`${
    tax.length ? html`<tr><th scope="row" colspan="3">Subtotal (net)</th><td class="n">${money(subtotal)}</td></tr>` : ''
  }${tax.map(
    (entry) =>
      html`<tr><th scope="row" colspan="3">${entry.name} ${formatRate(entry.rate)}${entry.note ? html`<br><span class="muted">${entry.note}</span>` : ''}</th><td class="n">${money(entry.amount)}</td></tr>`,
  )}<tr><th scope="row" colspan="3">Total</th><td class="n strong">${money(po.total)}</td></tr>`;
}

/** Why credit control held the PO for review, in words, for whoever decides on it. */
export function holdNotice(po: PurchaseOrder): SafeHtml | '' {
  const reasons = po.review.reasons ?? [];
  if (!reasons.length) return '';
  return html`<p class="notice" role="status"><strong>Held for review by credit control:</strong> ${reasons.map((reason) => holdDescriptions[reason]).join('; ')}. Check the customer's account before you release it.</p>`;
}

/** A customer's credit account: what they owe on open POs per currency, what is overdue, their limit and terms. */
export function customerPage(page: Page, account: CreditAccount, company: string | null): string {
  const currencies = [...new Set([...Object.keys(account.exposure), ...(account.creditLimit ? [account.creditLimit.currency] : [])])].sort();
  const limit = account.creditLimit;
  return layout(
    { ...page, title: `Customer ${account.customerId}` },
    html`<h1>${company ?? account.customerId}</h1><p class="muted">Customer ${account.customerId} · payment terms ${account.paymentTermsDays} days · ${
      limit ? html`credit limit ${formatMoney(limit.amount, limit.currency)}` : 'no credit limit'
    }</p>
<section class="card" aria-labelledby="h-owed"><h2 id="h-owed">Owed on open orders</h2>${
      currencies.length
        ? html`<table><thead><tr><th scope="col">Currency</th><th scope="col" class="n">Open</th><th scope="col" class="n">Overdue</th><th scope="col" class="n">Credit left</th></tr></thead><tbody>${currencies.map(
            (currency) =>
              html`<tr><th scope="row">${currency}</th><td class="n">${formatMoney(account.exposure[currency] ?? 0, currency)}</td><td class="n">${formatMoney(account.overdue[currency] ?? 0, currency)}</td><td class="n">${
                limit?.currency === currency ? formatMoney(limit.amount - (account.exposure[currency] ?? 0), currency) : '—'
              }</td></tr>`,
          )}</tbody></table>`
        : html`<p class="muted">Nothing is open.</p>`
    }</section>
<section class="card" aria-labelledby="h-open"><h2 id="h-open">Open orders</h2>${
      account.openPurchaseOrders.length
        ? html`<table><thead><tr><th scope="col">Reference</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col" class="n">Total</th><th scope="col" class="n">Outstanding</th></tr></thead><tbody>${account.openPurchaseOrders.map(
            (po) =>
              html`<tr><td><a href="${page.base}/po/${po.id}">${po.reference}</a></td><td><span class="status s-${po.status}">${statusName(po.status)}</span></td><td>${po.dueDate ?? '—'}</td><td class="n">${formatMoney(po.total, po.currency)}</td><td class="n">${formatMoney(po.outstanding, po.currency)}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="muted">No open order.</p>`
    }</section>`,
  );
}
