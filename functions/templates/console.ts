import type { StaffMember } from '../app/staff.js';
import type { Who } from '../../contract/purchase-order.js';
import { agingBuckets, type AgingBucket, type Receivable } from '../domain/receivables.js';
import { formatMoney, toDecimalString } from '../domain/money.js';
import { taxationOf, type Action, type PurchaseOrder } from '../domain/purchase-order/index.js';
import { type Status } from '../../contract/purchase-order.js';
import { formatRate } from '../domain/tax.js';
import { type CreditAccount } from '../domain/credit.js';
import { holdDescriptions } from '../../contract/purchase-order.js';
import { html, type SafeHtml } from './html.js';

/**
 * The back office's pages, rendered on the server: one layout (header with who is signed in, search
 * and sign-out; the queues; the page), one stylesheet, no scripts. Every form posts with the
 * session's CSRF token; every field has a label; buttons say what they do.
 */

export interface Session {
  email: string;
  role: 'finance' | 'reviewer';
  csrf: string;
}

export interface Queue {
  id: string;
  label: string;
  count: number;
}

/** Where the console lives on this host (`/console`, or `/v1/console` behind an API Gateway stage). */
export interface Page {
  base: string;
  title: string;
  session: Session | null;
  queues?: Queue[];
  current?: string;
  search?: string;
}

const statusName = (status: string) => status.replace(/_/g, ' ');

export function layout(page: Page, main: SafeHtml): string {
  const { base, session } = page;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${page.title} · Purchase orders</title><link rel="stylesheet" href="${base}/assets/console.css"></head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="${base}">Purchase orders</a>
${
  session
    ? html`<form class="search" method="get" action="${base}/search" role="search"><label for="search">Search</label>
<input id="search" name="q" type="search" value="${page.search ?? ''}" placeholder="Reference, PO number, company, customer id or email" maxlength="200">
<button type="submit">Find</button></form>
<div class="who"><span>${session.email} <span class="role">${session.role}</span></span>
<form method="post" action="${base}/sign-out"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit" class="link">Sign out</button></form></div>`
    : ''
}</header>
<div class="frame">${
    page.queues
      ? html`<nav aria-label="Work queues"><h2>Queues</h2><ul>${page.queues.map(
          (queue) =>
            html`<li><a href="${base}/queues/${queue.id}"${queue.id === page.current ? html` aria-current="page"` : ''}>${queue.label}<span class="count">${queue.count}</span></a></li>`,
        )}</ul>${
          session?.role === 'finance'
            ? html`<h2>Finance</h2><ul>${[
                ['receivables', 'Receivables'],
                ['policy', 'Policy'],
                ['staff', 'Staff'],
                ['webhooks', 'Webhooks'],
              ].map(([id, label]) => html`<li><a href="${base}/${id}"${id === page.current ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul>`
            : ''
        }</nav>`
      : ''
  }<main id="main">${main}</main></div></body></html>`}`;
}

export function signInPage(base: string, options: { csrf: string; email?: string; error?: string }): string {
  return layout(
    { base, title: 'Sign in', session: null },
    html`<section class="card narrow"><h1>Sign in</h1>
<p class="muted">The back office for purchase orders: reviews, payments, documents and queues.</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<form method="post" action="${base}/sign-in">
<input type="hidden" name="csrf" value="${options.csrf}">
<p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${options.email ?? ''}"></p>
<p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit" class="primary">Sign in</button></p>
</form></section>`,
  );
}

function poTable(base: string, items: PurchaseOrder[], empty: string): SafeHtml {
  if (!items.length) return html`<p class="muted">${empty}</p>`;
  return html`<table><thead><tr><th scope="col">Reference</th><th scope="col">Company</th><th scope="col">Buyer's PO</th><th scope="col">Status</th><th scope="col" class="n">Total</th><th scope="col">Placed</th></tr></thead><tbody>${items.map(
    (po) =>
      html`<tr><td><a href="${base}/po/${po.id}">${po.reference}</a></td><td>${po.customer.company}</td><td>${po.poNumber ?? '—'}</td><td><span class="status s-${po.status}">${statusName(po.status)}</span></td><td class="n">${formatMoney(po.total, po.currency)}</td><td>${po.createdAt.slice(0, 10)}</td></tr>`,
  )}</tbody></table>`;
}

export function queuePage(page: Page, queue: Queue, items: PurchaseOrder[], next: string | null): string {
  return layout(
    { ...page, title: queue.label },
    html`<h1>${queue.label} <span class="count big">${queue.count}</span></h1>
${poTable(page.base, items, 'Nothing here right now.')}
${next ? html`<p><a class="button" href="${page.base}/queues/${queue.id}?next=${next}">Older</a></p>` : ''}`,
  );
}

export function searchPage(page: Page, query: string, items: PurchaseOrder[]): string {
  return layout(
    { ...page, title: `Search: ${query}`, search: query },
    html`<h1>Search</h1><p class="muted">${items.length} purchase order${items.length === 1 ? '' : 's'} match “${query}”.</p>${poTable(page.base, items, 'No purchase order matches.')}`,
  );
}

export function receivablesPage(page: Page, rows: Receivable[], totals: Record<string, Record<AgingBucket, number>>, today: string): string {
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
    }</section>`,
  );
}

/** The policy form: every field labelled, each problem next to its field and in a summary on top. */
export function policyPage(page: Page, fields: Record<string, string>, errors: Record<string, string>, saved: boolean): string {
  const session = page.session!;
  const problem = (name: string) => (errors[name] ? html`<span class="field-error" id="${name}-error">${errors[name]}</span>` : '');
  const invalid = (name: string) => (errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '');
  const text = (name: string, label: string, hint = '') =>
    html`<p><label for="${name}">${label}</label><input id="${name}" name="${name}" type="text" value="${fields[name] ?? ''}"${invalid(name)}>${hint ? html`<span class="hint">${hint}</span>` : ''}${problem(name)}</p>`;
  const area = (name: string, label: string, hint: string, rows = 3) =>
    html`<p><label for="${name}">${label}</label><textarea id="${name}" name="${name}" rows="${rows}"${invalid(name)}>${fields[name] ?? ''}</textarea><span class="hint">${hint}</span>${problem(name)}</p>`;
  const types = (fields.offlineTypes ?? '').split(',');
  const labels: Record<string, string> = {
    trustedCustomers: 'Trusted customers',
    reviewerEmails: 'Reviewers',
    reviewTimeoutDays: 'Review expires after',
    reviewReminderDays: 'Remind reviewers',
    approvalRules: 'Approval rules',
    paymentTermsDays: 'Payment terms',
    defaultDelivery: 'Default delivery',
    cartMinimum: 'Cart minimum',
    financeEmails: 'Finance team',
    beforeDueDays: 'Reminders before the due date',
    afterDueDays: 'Reminders after the due date',
    autoCancelAfterDueDays: 'Cancel automatically',
    offlineTypes: 'Eligible customer types',
    offlineMinimum: 'Offline minimum',
    offlineMaximum: 'Offline maximum',
    unpaidReminderDays: 'Remind unpaid orders and proformas',
    unpaidCancelAfterDays: 'Cancel unpaid orders and proformas',
    partners: 'Partners',
    customers: 'Customers',
    tax: 'Tax',
  };
  return layout(
    { ...page, title: 'Policy', current: 'policy' },
    html`<h1>Policy</h1><p class="muted">Who may pay by purchase order, when a PO is reviewed, and the calendar of payment. Changes apply to POs placed from now on.</p>
${saved ? html`<p class="notice" role="status">The policy is saved.</p>` : ''}
${Object.keys(errors).length ? html`<div class="error" role="alert"><p>The policy was not saved. Please correct:</p><ul>${Object.entries(errors).map(([name, message]) => html`<li><a href="#${name === 'offlineTypes' ? 'offlineType-business' : name}">${labels[name] ?? name}</a>: ${message}</li>`)}</ul></div>` : ''}
<form method="post" action="${page.base}/policy" class="policy"><input type="hidden" name="csrf" value="${session.csrf}">
<fieldset class="card"><legend>Review</legend>
<p class="check"><input id="reviewByDefault" name="reviewByDefault" type="checkbox"${fields.reviewByDefault === 'on' ? html` checked` : ''}><label for="reviewByDefault">Review cart purchase orders unless the customer is trusted</label></p>
${area('trustedCustomers', 'Trusted customers', 'Customer ids, one a line: their cart POs are released without review.')}
${area('reviewerEmails', 'Reviewers', 'Email addresses, one a line: each gets a review link of their own.')}
${text('reviewTimeoutDays', 'Review expires after (days)')}
${text('reviewReminderDays', 'Remind reviewers (days before the review expires)', 'Leave empty for no reminder.')}
${area('approvalRules', 'Approval rules (JSON)', 'For example [{"minTotal": {"USD": 1000000}, "approvals": 2}]: at or above that amount (minor units), that many different approvers.', 4)}
</fieldset>
<fieldset class="card"><legend>Payment</legend>
${text('paymentTermsDays', 'Payment terms (days)')}
<p><label for="defaultDelivery">Default delivery</label><select id="defaultDelivery" name="defaultDelivery">${[
      ['instant', 'Instant: deliver on release, invoice on net terms'],
      ['prepayment', 'After prepayment: proforma first'],
    ].map(([value, label]) => html`<option value="${value}"${fields.defaultDelivery === value ? html` selected` : ''}>${label}</option>`)}</select></p>
${area('cartMinimum', 'Cart minimum per currency', 'One a line, as “USD 150.00”. A currency not listed has no PO option in the cart.')}
${area('financeEmails', 'Finance team', 'Email addresses, one a line: told of reported payments, disputes and automatic cancellations.')}
${text('beforeDueDays', 'Reminders before the due date (days)', 'For example 7, 3')}
${text('afterDueDays', 'Reminders after the due date (days)', 'For example 7, 14')}
${text('autoCancelAfterDueDays', 'Cancel automatically (days after the due date)', 'Leave empty never to cancel automatically.')}
${area('customers', 'Customers (JSON)', 'Terms, trust and credit limit per customer id, for example {"cust-1": {"paymentTermsDays": 60, "trusted": true, "creditLimit": {"amount": 5000000, "currency": "USD"}}} (amounts in minor units).', 4)}
${area('tax', 'Tax (JSON)', 'Prices are net. {"mode": "none"}, or for example {"mode": "exclusive", "sellerCountry": "DE", "sellerTaxId": "DE123456789", "rates": {"DE": 1900, "US-CA": 725}, "reverseCharge": true, "exemptCustomerTypes": ["education"]}: rates in basis points (1900 = 19 %) by the buyer\'s country, or country and state.', 6)}
</fieldset>
<fieldset class="card"><legend>Offline purchase orders</legend>
<fieldset class="inline"><legend>Eligible customer types</legend>${['business', 'government', 'education', 'consumer'].map(
      (type) =>
        html`<span class="check"><input id="offlineType-${type}" name="offlineType" value="${type}" type="checkbox"${types.includes(type) ? html` checked` : ''}><label for="offlineType-${type}">${type}</label></span>`,
    )}${problem('offlineTypes')}</fieldset>
${area('offlineMinimum', 'Minimum per currency', 'One a line, as “USD 500.00”.')}
${area('offlineMaximum', 'Maximum per currency', 'One a line, as “USD 100,000.00”.')}
${text('unpaidReminderDays', 'Remind unpaid offline orders and proformas (days after the buyer was asked to pay)', 'For example 7, 14')}
${text('unpaidCancelAfterDays', 'Cancel them (days after the buyer was asked to pay)', 'Leave empty never to cancel them.')}
${area('partners', 'Partners (JSON)', 'For example {"partner-1": {"poEnabled": true, "limit": 500000, "currency": "USD"}} (limit in minor units).', 4)}
</fieldset>
<p><button type="submit" class="primary">Save policy</button></p>
</form>`,
  );
}

/** Finance manages the staff: invite, group, disable. A new person's temporary password is shown once. */
export function staffPage(page: Page, members: StaffMember[], notice?: { text: string; password?: string }, problem?: string): string {
  const session = page.session!;
  const groupSelect = (id: string, selected: string | null) =>
    html`<select id="${id}" name="group">${['finance', 'reviewer'].map((group) => html`<option value="${group}"${group === selected ? html` selected` : ''}>${group}</option>`)}</select>`;
  return layout(
    { ...page, title: 'Staff', current: 'staff' },
    html`<h1>Staff</h1><p class="muted">The people who sign in to the back office. Finance may do everything; reviewers approve or reject purchase orders.</p>
${notice ? html`<p class="notice" role="status">${notice.text}${notice.password ? html` Temporary password: <code>${notice.password}</code> (shown once; Cognito also emails it). They choose their own at first sign-in.` : ''}</p>` : ''}
${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
<section class="card" aria-labelledby="h-invite"><h2 id="h-invite">Invite someone</h2>
<form method="post" action="${page.base}/staff/invite" class="row"><input type="hidden" name="csrf" value="${session.csrf}">
<p><label for="invite-email">Email</label><input id="invite-email" name="email" type="email" required></p>
<p><label for="invite-group">Group</label>${groupSelect('invite-group', 'reviewer')}</p>
<p><button type="submit" class="primary">Invite</button></p></form></section>
<section class="card" aria-labelledby="h-people"><h2 id="h-people">People</h2>
<table><thead><tr><th scope="col">Email</th><th scope="col">Group</th><th scope="col">Sign-in</th><th scope="col">Change</th></tr></thead><tbody>${members.map((member, i) => {
      const self = member.email.toLowerCase() === session.email.toLowerCase();
      return html`<tr><td>${member.email}</td><td>${member.group ?? 'none'}</td><td>${member.enabled ? (member.status === 'FORCE_CHANGE_PASSWORD' ? 'invited' : 'active') : 'disabled'}</td><td>${
        self
          ? html`<span class="muted">you</span>`
          : html`<form method="post" action="${page.base}/staff/group" class="inline-form"><input type="hidden" name="csrf" value="${session.csrf}"><input type="hidden" name="email" value="${member.email}"><label for="group-${i}" class="visually-hidden">Group of ${member.email}</label>${groupSelect(`group-${i}`, member.group)}<button type="submit">Set group</button></form>
<form method="post" action="${page.base}/staff/${member.enabled ? 'disable' : 'enable'}" class="inline-form"><input type="hidden" name="csrf" value="${session.csrf}"><input type="hidden" name="email" value="${member.email}"><button type="submit" class="${member.enabled ? 'danger' : ''}" aria-label="${member.enabled ? 'Disable' : 'Enable'} ${member.email}">${member.enabled ? 'Disable' : 'Enable'}</button></form>`
      }</td></tr>`;
    })}</tbody></table></section>`,
  );
}

/** First sign-in with a temporary password: the person chooses their own. */
export function newPasswordPage(base: string, options: { csrf: string; email: string; error?: string }): string {
  return layout(
    { base, title: 'Choose your password', session: null },
    html`<section class="card narrow"><h1>Choose your password</h1>
<p class="muted">You signed in with a temporary password. Choose your own: at least 12 characters.</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<form method="post" action="${base}/new-password"><input type="hidden" name="csrf" value="${options.csrf}">
<p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${options.email}"></p>
<p><label for="current">Temporary password</label><input id="current" name="current" type="password" autocomplete="current-password" required></p>
<p><label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required></p>
<p><label for="repeat">New password again</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="12" required></p>
<p><button type="submit" class="primary">Set password and sign in</button></p></form></section>`,
  );
}

export const bucketLabel = (bucket: AgingBucket) => (bucket === 'current' ? 'Current' : `${bucket} days`);

export function messagePage(page: Page, title: string, message: string): string {
  return layout({ ...page, title }, html`<h1>${title}</h1><p>${message}</p><p><a href="${page.base}">Back to the queues</a></p>`);
}

const who = (by: Who | undefined, actor: string) => {
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
    const outstanding = toDecimalString(po.payment.amountDue - po.payment.amountPaid, po.currency);
    forms.push(
      form(
        'record-payment',
        'Record payment',
        html`<p><label for="record-payment-amount">Amount</label><input id="record-payment-amount" name="amount" type="text" inputmode="decimal" required value="${outstanding}" aria-describedby="record-payment-hint"><span id="record-payment-hint" class="hint">${po.currency}, as printed (e.g. ${outstanding})</span></p>
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
<dt>Company</dt><dd>${po.customer.company} (${po.customer.type})</dd><dt>Customer id</dt><dd><a href="${page.base}/customers/${encodeURIComponent(po.customer.id)}">${po.customer.id}</a> <span class="muted">(account)</span></dd>
<dt>Email</dt><dd>${po.customer.email}</dd><dt>Buyer's PO number</dt><dd>${po.poNumber ?? '—'}</dd>
<dt>Ships to</dt><dd>${[address.line1, address.line2, address.postalCode, address.city, address.country].filter(Boolean).join(', ')}</dd></dl></section>
</div>
<section class="card" aria-labelledby="h-lines"><h2 id="h-lines">Lines</h2><table><thead><tr><th scope="col">Item</th><th scope="col" class="n">Qty</th><th scope="col" class="n">Unit</th><th scope="col" class="n">Amount</th></tr></thead>
<tbody>${po.lines.map((line) => html`<tr><td>${line.description}<br><span class="muted">${line.sku} · ${line.fulfilment}</span></td><td class="n">${line.quantity}</td><td class="n">${money(line.unitAmount)}</td><td class="n">${money(line.amount)}</td></tr>`)}</tbody>
<tfoot>${totalRows(po)}</tfoot></table></section>
<div class="grid">
<section class="card" aria-labelledby="h-payment"><h2 id="h-payment">Payment</h2><dl>
<dt>Status</dt><dd>${statusName(po.payment.status)}</dd><dt>Due</dt><dd>${money(po.payment.amountDue)}${po.payment.dueDate ? ` by ${po.payment.dueDate}` : ''}</dd>
<dt>Paid</dt><dd>${money(po.payment.amountPaid)}</dd><dt>Outstanding</dt><dd>${money(po.payment.amountDue - po.payment.amountPaid)}</dd>${po.payment.refundDue ? `<dt>To refund</dt><dd>${money(po.payment.refundDue)}</dd>` : ''}</dl>
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
              html`<li><a href="${page.base}/po/${po.id}/documents/${doc.id}">${doc.type.replace('_', ' ')} ${doc.number}</a> <span class="muted">${doc.issuedAt.slice(0, 10)} · ${money(doc.total)}</span></li>`,
          )}</ul>`
        : html`<p class="muted">No document issued yet.</p>`
    }
<h3>The buyer's signed PO</h3>${
      (po.attachments ?? []).length
        ? html`<ul class="plain">${po.attachments.map(
            (attachment) =>
              html`<li><a href="${page.base}/po/${po.id}/attachments/${attachment.id}">${attachment.filename ?? 'signed purchase order'}</a> <span class="muted">${attachment.at.slice(0, 10)} · ${Math.ceil(attachment.size / 1024)} KB</span></li>`,
          )}</ul>`
        : html`<p class="muted">Not arrived yet.</p>`
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

export const consoleCss = `*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2933;background:#f5f7fa}
a{color:#1d4ed8}a:focus,button:focus,input:focus,select:focus{outline:3px solid #93c5fd;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:2}
.top{display:flex;gap:20px;align-items:center;padding:10px 24px;background:#102a43;color:#fff;flex-wrap:wrap}
.top a.brand{color:#fff;font-weight:700;text-decoration:none;font-size:17px}
.search{display:flex;gap:8px;align-items:center;flex:1;min-width:280px}.search label{font-size:13px;color:#d9e2ec}
.search input{flex:1;padding:7px 10px;border:1px solid #486581;border-radius:6px;background:#fff;color:#102a43}
.who{display:flex;gap:12px;align-items:center;font-size:14px}.who form{margin:0}.role{background:#334e68;border-radius:10px;padding:1px 8px;margin-left:4px;font-size:12px}
button{font:inherit;padding:7px 14px;border-radius:6px;border:1px solid #9fb3c8;background:#fff;color:#102a43;cursor:pointer}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}button.danger{background:#fff;border-color:#b91c1c;color:#b91c1c}
button.link{background:none;border:1px solid #829ab1;color:#fff}
.frame{display:flex;gap:24px;padding:24px;max-width:1280px;margin:0 auto}
nav{width:230px;flex-shrink:0}nav h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#52606d;margin:0 0 8px}
nav ul{list-style:none;margin:0;padding:0}nav a{display:flex;justify-content:space-between;padding:8px 10px;border-radius:6px;text-decoration:none;color:#243b53}
nav a[aria-current=page],nav a:hover{background:#dbeafe;color:#1e3a8a}
.count{background:#e4e7eb;border-radius:10px;padding:0 8px;font-size:13px;color:#243b53}.count.big{font-size:16px;vertical-align:middle}
main{flex:1;min-width:0}h1{font-size:24px;margin:0 0 6px}h2{font-size:17px;margin:0 0 12px}h3{font-size:15px;margin:16px 0 8px}
.title{display:flex;gap:12px;align-items:center}.title .button{margin-left:auto}
a.button{display:inline-block;padding:7px 14px;border-radius:6px;border:1px solid #1d4ed8;color:#1d4ed8;text-decoration:none;background:#fff}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:10px;padding:18px 20px;margin:16px 0}.card.narrow{max-width:420px;margin:40px auto}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:0 16px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:8px;border-bottom:1px solid #e4e7eb;vertical-align:top}
caption{text-align:left;font-weight:600;padding:8px 0}.n{text-align:right}.strong{font-weight:700}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#52606d}dd{margin:0}
.muted,.hint{color:#52606d}.hint{font-size:13px;display:block}.error{background:#fef2f2;border:1px solid #fca5a5;color:#991b1b;padding:10px 12px;border-radius:6px}
.status{display:inline-block;border-radius:12px;padding:1px 10px;font-size:13px;background:#e4e7eb;color:#243b53;white-space:nowrap}
.s-awaiting_review,.s-payment_submitted{background:#fef3c7;color:#78350f}.s-overdue,.s-disputed,.s-payment_rejected{background:#fee2e2;color:#7f1d1d}
.s-ordered,.s-deferred,.s-awaiting_payment{background:#dbeafe;color:#1e3a8a}.s-completed{background:#dcfce7;color:#14532d}.s-rejected,.s-cancelled{background:#e5e7eb;color:#374151}
form.action{border-top:1px solid #e4e7eb;padding:10px 0}form.action:first-of-type{border-top:0;padding-top:0}
label{display:block;font-size:13px;color:#334e68;margin-bottom:2px}input[type=text],input[type=email],input[type=password],select{width:100%;padding:7px 10px;border:1px solid #9fb3c8;border-radius:6px;font:inherit}
form p{margin:6px 0}.decide{display:flex;gap:12px}form.row{display:flex;gap:12px;align-items:flex-end;flex-wrap:wrap}form.row p{flex:1;min-width:180px}
.inline-form{display:inline-flex;gap:6px;align-items:center;margin:2px 8px 2px 0}.inline-form select{width:auto}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}code{background:#f0f4f8;padding:1px 6px;border-radius:4px}fieldset{border:1px solid #d9e2ec}legend{font-weight:600;padding:0 6px}fieldset.inline{border:0;padding:0;margin:8px 0}
.check{display:inline-flex;gap:6px;align-items:center;margin-right:16px}input[type=url]{width:100%;max-width:36rem}.check label{display:inline;margin:0;font-size:15px;color:#1f2933}
textarea{width:100%;padding:7px 10px;border:1px solid #9fb3c8;border-radius:6px;font:13px/1.4 ui-monospace,monospace}
.field-error{display:block;color:#991b1b;font-size:13px}[aria-invalid=true]{border-color:#b91c1c}.notice{background:#ecfdf5;border:1px solid #6ee7b7;color:#065f46;padding:10px 12px;border-radius:6px}ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:4px 0}
ol.timeline{list-style:none;margin:0;padding:0}ol.timeline li{padding:8px 0;border-bottom:1px solid #f0f4f8}time{color:#52606d;font-variant-numeric:tabular-nums}.by{color:#334e68}.detail{color:#52606d}
@media (max-width:800px){.frame{flex-direction:column}nav{width:auto}}`;

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

const endpointStatus = (endpoint: WebhookView) =>
  endpoint.status === 'enabled' ? (endpoint.failingSince ? `enabled, failing since ${endpoint.failingSince.slice(0, 16).replace('T', ' ')}` : 'enabled') : 'disabled';

/** An endpoint as the console shows it (the API's view: no secrets). */
export interface WebhookView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: 'enabled' | 'disabled';
  disabled: { at: string; reason: string; by: Who } | null;
  failingSince: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

/** Finance's webhook endpoints: where the seller's systems hear of every change, and a form to add one. */
export function webhooksPage(page: Page, endpoints: WebhookView[], eventTypes: readonly string[], notice?: { text: string; secret?: string }, problem?: string): string {
  const session = page.session!;
  return layout(
    { ...page, title: 'Webhooks', current: 'webhooks' },
    html`<h1>Webhooks</h1><p class="muted">The seller's systems (shop, ERP, warehouse) hear of every change of a purchase order here: each event is POSTed to each endpoint that hears its type, signed (Standard Webhooks), and tried again for about a day and a half until it is taken.</p>
${notice ? html`<p class="notice" role="status">${notice.text}${notice.secret ? html` Signing secret: <code>${notice.secret}</code> (shown this once: give it to the receiver now).` : ''}</p>` : ''}
${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
<section class="card" aria-labelledby="h-endpoints"><h2 id="h-endpoints">Endpoints</h2>${
      endpoints.length
        ? html`<table><thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Added</th></tr></thead><tbody>${endpoints.map(
            (endpoint) =>
              html`<tr><td><a href="${page.base}/webhooks/${endpoint.id}">${endpoint.url}</a>${endpoint.description ? html`<br><span class="muted">${endpoint.description}</span>` : ''}</td><td>${endpoint.events.length ? endpoint.events.join(', ') : 'all'}</td><td>${endpointStatus(endpoint)}</td><td>${endpoint.createdAt.slice(0, 10)}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="muted">No endpoints yet.</p>`
    }</section>
<section class="card" aria-labelledby="h-add"><h2 id="h-add">Add an endpoint</h2>
<form method="post" action="${page.base}/webhooks/create"><input type="hidden" name="csrf" value="${session.csrf}">
<p><label for="webhook-url">URL (https, or http to 127.0.0.1)</label><input id="webhook-url" name="url" type="url" required maxlength="2000" placeholder="https://erp.example/hooks"></p>
<p><label for="webhook-description">Description</label><input id="webhook-description" name="description" maxlength="200" placeholder="ERP"></p>
<fieldset><legend>Events (none ticked: all of them)</legend><div class="checks">${eventTypes.map(
      (type) => html`<label class="check"><input type="checkbox" name="events" value="${type}"> ${type}</label>`,
    )}</div></fieldset>
<p><button type="submit" class="primary">Add endpoint</button></p></form></section>`,
  );
}

/** One endpoint: what it hears, its state, its delivery log, and what finance may do with it. */
export function webhookPage(
  page: Page,
  endpoint: WebhookView,
  deliveries: { id: string; eventId: string; eventType: string; poId: string; status: string; attempts: number; lastAttempt: { at: string; status: number | null; error: string | null } | null; nextAttemptAt: string | null; reason: string | null }[],
  notice?: { text: string; secret?: string },
): string {
  const session = page.session!;
  const post = (action: string, label: string, kind = '', fields: SafeHtml | string = '') =>
    html`<form method="post" action="${page.base}/webhooks/${endpoint.id}/${action}" class="action"><input type="hidden" name="csrf" value="${session.csrf}">${fields}<button type="submit" class="${kind}">${label}</button></form>`;
  const answer = (attempt: { status: number | null; error: string | null } | null) => (attempt ? (attempt.status === null ? (attempt.error ?? 'no answer') : `HTTP ${attempt.status}`) : '');
  return layout(
    { ...page, title: `Webhook ${endpoint.url}`, current: 'webhooks' },
    html`<p><a href="${page.base}/webhooks">All webhooks</a></p><h1>${endpoint.url}</h1>
${notice ? html`<p class="notice" role="status">${notice.text}${notice.secret ? html` New signing secret: <code>${notice.secret}</code> (shown this once; the old one signs beside it for 24 hours).` : ''}</p>` : ''}
<section class="card" aria-labelledby="h-endpoint"><h2 id="h-endpoint">Endpoint</h2><dl class="facts">
<dt>Status</dt><dd>${endpointStatus(endpoint)}</dd>
${endpoint.disabled ? html`<dt>Disabled</dt><dd>${endpoint.disabled.at.slice(0, 16).replace('T', ' ')}: ${endpoint.disabled.reason}</dd>` : ''}
<dt>Events</dt><dd>${endpoint.events.length ? endpoint.events.join(', ') : 'all'}</dd>
${endpoint.description ? html`<dt>Description</dt><dd>${endpoint.description}</dd>` : ''}
${endpoint.previousSecretExpiresAt ? html`<dt>Previous secret</dt><dd>signs until ${endpoint.previousSecretExpiresAt.slice(0, 16).replace('T', ' ')}</dd>` : ''}
</dl><div class="actions">${[
      endpoint.status === 'enabled' ? post('disable', 'Disable', 'danger') : post('enable', 'Enable', 'primary'),
      post('rotate', 'Rotate secret'),
      post('replay', 'Replay', '', html`<label for="replay-since">Events published since (UTC)</label><input id="replay-since" name="since" type="datetime-local" required>`),
      post('delete', 'Delete endpoint', 'danger'),
    ]}</div></section>
<section class="card" aria-labelledby="h-deliveries"><h2 id="h-deliveries">Deliveries</h2>${
      deliveries.length
        ? html`<table><thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">Next attempt</th><th scope="col"></th></tr></thead><tbody>${deliveries.map(
            (delivery) =>
              html`<tr><td>${delivery.eventType}<br><a class="muted" href="${page.base}/po/${delivery.poId}">${delivery.eventId}</a></td><td>${delivery.status}${delivery.reason && delivery.status !== 'delivered' ? html`<br><span class="muted">${delivery.reason}</span>` : ''}</td><td>${delivery.attempts}</td><td>${answer(delivery.lastAttempt)}</td><td>${delivery.nextAttemptAt ? delivery.nextAttemptAt.slice(0, 16).replace('T', ' ') : ''}</td><td>${post(`deliveries/${delivery.id}/redeliver`, 'Send again')}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="muted">Nothing delivered yet.</p>`
    }</section>`,
  );
}
