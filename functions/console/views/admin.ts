import type { StaffMember } from '../../app/staff.js';
import { type Page, layout } from './layout.js';
import { html } from '../../templates/html.js';

/** Finance's settings: the policy and the staff. */

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
    reviewEscalationEmail: 'Escalate undecided reviews to',
    verifyReminderDays: 'Remind finance of reported payments',
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
    einvoicingPdf: 'Invoice PDFs',
  };
  return layout(
    { ...page, title: 'Policy', current: 'policy' },
    html`<h1>Policy</h1><p class="muted">Who may pay by purchase order, when a PO is reviewed, and the calendar of payment. Changes apply to POs placed from now on.</p>
${saved ? html`<p class="notice" role="status">The policy is saved.</p>` : ''}
${fields.reviewByDefault !== 'on' ? html`<p class="warning" role="note"><strong>Review is off:</strong> every cart purchase order is released without checking the buyer's confirmation, which risks orders that are never paid. We strongly recommend review for everyone but trusted B2B customers: turn it on and list those customers under Trusted customers.</p>` : ''}
${Object.keys(errors).length ? html`<div class="error" role="alert"><p>The policy was not saved. Please correct:</p><ul>${Object.entries(errors).map(([name, message]) => html`<li><a href="#${name === 'offlineTypes' ? 'offlineType-business' : name}">${labels[name] ?? name}</a>: ${message}</li>`)}</ul></div>` : ''}
<form method="post" action="${page.base}/policy" class="policy"><input type="hidden" name="csrf" value="${session.csrf}">
<fieldset class="card"><legend>Review</legend>
<p class="check"><input id="reviewByDefault" name="reviewByDefault" type="checkbox" aria-describedby="reviewByDefault-hint"${fields.reviewByDefault === 'on' ? html` checked` : ''}><label for="reviewByDefault">Review cart purchase orders unless the customer is trusted</label><span class="hint" id="reviewByDefault-hint">Recommended. Without review, POs are released unchecked: use that for trusted B2B customers only.</span></p>
${area('trustedCustomers', 'Trusted customers', 'Customer ids, one a line: their cart POs are released without review.')}
${area('reviewerEmails', 'Reviewers', 'Email addresses, one a line: each gets a review link of their own.')}
${text('reviewTimeoutDays', 'Review expires after (days)')}
${text('reviewReminderDays', 'Remind reviewers (days before the review expires)', 'Leave empty to remind them halfway to the deadline; 0 for no reminder.')}
${text('reviewEscalationEmail', 'Escalate undecided reviews to (email)', 'A day before a review closes undecided, finance is told; this person also gets a review link. Leave empty for finance only.')}
<p class="check"><input id="mfaForReviewers" name="mfaForReviewers" type="checkbox" aria-describedby="mfaForReviewers-hint"${fields.mfaForReviewers === 'on' ? html` checked` : ''}><label for="mfaForReviewers">Reviewers sign in with an authenticator app too</label><span class="hint" id="mfaForReviewers-hint">Finance always does. Reviewers without one set it up at their next sign-in.</span></p>
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
${area('customers', 'Customers (JSON)', 'Terms, trust, credit limit and e-invoice format per customer id, for example {"cust-1": {"paymentTermsDays": 60, "trusted": true, "creditLimit": {"amount": 5000000, "currency": "USD"}, "einvoiceFormat": "peppol"}} (amounts in minor units).', 4)}
${area('tax', 'Tax (JSON)', 'Prices are net. {"mode": "none"}, or for example {"mode": "exclusive", "sellerCountry": "DE", "sellerTaxId": "DE123456789", "rates": {"DE": 1900, "US-CA": 725}, "reverseCharge": true, "exemptCustomerTypes": ["education"]}: rates in basis points (1900 = 19 %) by the buyer\'s country, or country and state.', 6)}
</fieldset>
<fieldset class="card"><legend>E-invoices</legend>
<p><label for="einvoicingPdf">Invoice PDFs</label><select id="einvoicingPdf" name="einvoicingPdf" aria-describedby="einvoicingPdf-hint"${invalid('einvoicingPdf')}>${[
      ['plain', 'Plain PDF'],
      ['factur-x', 'Factur-X: the PDF carries its EN 16931 data (PDF/A-3)'],
    ].map(([value, label]) => html`<option value="${value}"${fields.einvoicingPdf === value ? html` selected` : ''}>${label}</option>`)}</select><span class="hint" id="einvoicingPdf-hint">For every invoice and credit note. A customer who wants another format (peppol, xrechnung, cii, factur-x or none) has it as "einvoiceFormat" under Customers.</span>${problem('einvoicingPdf')}</p>
</fieldset>
<fieldset class="card"><legend>Offline purchase orders</legend>
<fieldset class="inline"><legend>Eligible customer types</legend>${['business', 'government', 'education', 'consumer'].map(
      (type) =>
        html`<span class="check"><input id="offlineType-${type}" name="offlineType" value="${type}" type="checkbox"${types.includes(type) ? html` checked` : ''}><label for="offlineType-${type}">${type}</label></span>`,
    )}${problem('offlineTypes')}</fieldset>
${area('offlineMinimum', 'Minimum per currency', 'One a line, as “USD 500.00”.')}
${area('offlineMaximum', 'Maximum per currency', 'One a line, as “USD 100,000.00”.')}
${text('unpaidReminderDays', 'Remind unpaid offline orders and proformas (days after the buyer was asked to pay)', 'For example 7, 14')}
${text('unpaidCancelAfterDays', 'Cancel them (days after the buyer was asked to pay)', 'Leave empty never to cancel them. Days a reported payment waits for verification do not count, and after a rejection the buyer has at least until the first reminder to pay again.')}
${text('verifyReminderDays', 'Remind finance of a reported payment not verified (days)', 'Leave empty for no reminder.')}
${area('partners', 'Partners (JSON)', 'For example {"partner-1": {"poEnabled": true, "limit": 500000, "currency": "USD"}} (limit in minor units).', 4)}
</fieldset>
<p><button type="submit" class="primary">Save policy</button></p>
</form>`,
  );
}

/** Finance manages the staff: invite, group, disable, reset a lost authenticator app. A new person's temporary password is shown once. */
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
<form method="post" action="${page.base}/staff/${member.enabled ? 'disable' : 'enable'}" class="inline-form"><input type="hidden" name="csrf" value="${session.csrf}"><input type="hidden" name="email" value="${member.email}"><button type="submit" class="${member.enabled ? 'danger' : ''}" aria-label="${member.enabled ? 'Disable' : 'Enable'} ${member.email}">${member.enabled ? 'Disable' : 'Enable'}</button></form>
<form method="post" action="${page.base}/staff/reset-authenticator" class="inline-form"><input type="hidden" name="csrf" value="${session.csrf}"><input type="hidden" name="email" value="${member.email}"><button type="submit" aria-label="Reset authenticator of ${member.email}" title="For a lost or replaced phone: they set up a new app at their next sign-in">Reset authenticator</button></form>`
      }</td></tr>`;
    })}</tbody></table></section>`,
  );
}
