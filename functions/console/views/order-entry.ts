import { html, type SafeHtml } from '../../templates/html.js';
import { LINE_ROWS } from '../order-form.js';
import { type Page, layout } from './layout.js';

/**
 * "Enter an order": the order that arrived by letter, email or fax, typed in as an offline purchase
 * order. Every field labelled; each problem next to its field and in a summary on top that links to
 * it. The letter itself is attached on the PO's page afterwards.
 */
export function orderEntryPage(page: Page, fields: Record<string, string>, errors: Record<string, string>, entry: string): string {
  const session = page.session!;
  const problem = (name: string) => (errors[name] ? html`<span class="field-error" id="${name}-error">${errors[name]}</span>` : '');
  const invalid = (name: string) => (errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '');
  const input = (name: string, label: string, options: { type?: string; required?: boolean; hint?: string; size?: 'short' } = {}): SafeHtml =>
    html`<p${options.size ? html` class="${options.size}"` : ''}><label for="${name}">${label}${options.required ? '' : html` <span class="muted">(optional)</span>`}</label><input id="${name}" name="${name}" type="${options.type ?? 'text'}" value="${fields[name] ?? ''}"${options.required ? html` required` : ''}${invalid(name)}>${options.hint ? html`<span class="hint">${options.hint}</span>` : ''}${problem(name)}</p>`;
  const select = (name: string, label: string, choices: [string, string][]) =>
    html`<p><label for="${name}">${label}</label><select id="${name}" name="${name}"${invalid(name)}>${choices.map(([value, text]) => html`<option value="${value}"${(fields[name] ?? '') === value ? html` selected` : ''}>${text}</option>`)}</select>${problem(name)}</p>`;
  const addressFields = (prefix: 'billing' | 'shipping', required: boolean) => html`<div class="row">
${input(`${prefix}-name`, 'Name or department')}${input(`${prefix}-line1`, 'Street and number', { required })}${input(`${prefix}-line2`, 'Address line 2')}</div>
<div class="row">${input(`${prefix}-postalCode`, 'Postal code', { size: 'short' })}${input(`${prefix}-city`, 'City', { required })}${input(`${prefix}-region`, 'State or region', { hint: 'US states as CA, NY' })}${input(`${prefix}-country`, 'Country', { required, hint: 'Two letters: DE, US', size: 'short' })}</div>`;
  const labels = Object.keys(errors);
  return layout(
    { ...page, title: 'Enter an order', current: 'enter-order' },
    html`<h1>Enter an order</h1>
<p class="muted">An order that arrived by letter, email or fax, entered as an offline purchase order. The offline rules apply (eligible customer types, minimum and maximum), it is always reviewed, and the history names you. Finance attaches the scanned letter on its page afterwards.</p>
${labels.length ? html`<div class="error" role="alert"><p>The order was not entered. Please correct:</p><ul>${labels.map((name) => html`<li><a href="#${name === 'lines' ? 'line-0-sku' : name === 'form' ? 'customer-id' : name}">${describe(name)}</a>: ${errors[name]}</li>`)}</ul></div>` : ''}
<form method="post" action="${page.base}/orders" class="policy order-entry"><input type="hidden" name="csrf" value="${session.csrf}"><input type="hidden" name="entry" value="${entry}">
<fieldset class="card"><legend>Customer</legend><div class="row">
${input('customer-company', 'Company', { required: true })}${input('customer-id', 'Customer id', { required: true, hint: 'Your id for this customer' })}
${select('customer-type', 'Customer type', [['business', 'Business'], ['government', 'Government'], ['education', 'Education'], ['consumer', 'Consumer']])}</div><div class="row">
${input('customer-name', 'Contact name')}${input('customer-email', 'Email for invoices', { type: 'email', hint: 'Needed unless the customer receives e-invoices at a Peppol address' })}${input('customer-taxId', 'VAT or tax id')}${input('customer-partnerId', 'Partner id', { hint: 'Registered partners only' })}</div><div class="row">
${input('customer-taxExemptionId', 'Tax exemption certificate', { hint: 'For an exempt school or public body' })}</div></fieldset>
<fieldset class="card"><legend>E-invoice <span class="muted">(if the customer receives them)</span></legend><div class="row">
${input('customer-endpointId', 'Peppol address', { hint: 'scheme:value, as 0208:0123456749 or 0204 and a Leitweg-ID' })}${input('customer-buyerReference', 'Buyer reference', { hint: "A German public buyer's Leitweg-ID" })}
${select('customer-einvoiceFormat', 'Format with the emails', [['', 'As the policy says'], ['peppol', 'Peppol (UBL)'], ['xrechnung', 'XRechnung (UBL)'], ['cii', 'CII'], ['factur-x', 'Factur-X PDF'], ['none', 'None, the PDF only']])}</div></fieldset>
<fieldset class="card"><legend>Order</legend><div class="row">
${input('poNumber', "Buyer's PO number", { hint: 'As on the letter; printed on the documents' })}${input('currency', 'Currency', { required: true, hint: 'USD, EUR, …', size: 'short' })}
${select('delivery', 'Delivery', [['', 'As the policy says'], ['instant', 'On release, invoice on terms'], ['prepayment', 'After prepayment (proforma first)']])}</div>
<table class="lines"><caption>Lines${errors.lines ? html` <span class="field-error" id="lines-error">${errors.lines}</span>` : ''}</caption>
<thead><tr><th scope="col">Product code</th><th scope="col">Description</th><th scope="col">Quantity</th><th scope="col">Unit price</th><th scope="col">Delivered</th></tr></thead><tbody>${Array.from(
      { length: LINE_ROWS },
      (_, row) => html`<tr>${(['sku', 'description', 'quantity', 'unitAmount'] as const).map((part) => {
        const name = `line-${row}-${part}`;
        const label = { sku: 'Product code', description: 'Description', quantity: 'Quantity', unitAmount: 'Unit price' }[part];
        return html`<td><label class="visually-hidden" for="${name}">${label}, line ${row + 1}</label><input id="${name}" name="${name}" type="text" value="${fields[name] ?? ''}"${part === 'quantity' || part === 'unitAmount' ? html` inputmode="decimal" class="n"` : ''}${invalid(name)}>${problem(name)}</td>`;
      })}<td><label class="visually-hidden" for="line-${row}-fulfilment">Delivered, line ${row + 1}</label><select id="line-${row}-fulfilment" name="line-${row}-fulfilment">${[
        ['digital', 'by email (licence)'],
        ['physical', 'shipped'],
      ].map(([value, text]) => html`<option value="${value}"${(fields[`line-${row}-fulfilment`] ?? 'digital') === value ? html` selected` : ''}>${text}</option>`)}</select></td></tr>`,
    )}</tbody></table></fieldset>
<fieldset class="card"><legend>Billing address</legend>${addressFields('billing', true)}</fieldset>
<fieldset class="card"><legend>Delivery address <span class="muted">(only if other than billing)</span></legend>${addressFields('shipping', false)}</fieldset>
<p><button type="submit" class="primary">Enter the order</button></p>
</form>`,
  );
}

function describe(name: string): string {
  const line = /^line-(\d+)-(\w+)$/.exec(name);
  if (line) return `Line ${Number(line[1]) + 1}, ${({ sku: 'product code', description: 'description', quantity: 'quantity', unitAmount: 'unit price', fulfilment: 'delivery' } as Record<string, string>)[line[2]!] ?? line[2]}`;
  const [group, part] = name.split('-');
  const parts: Record<string, string> = {
    id: 'id',
    type: 'type',
    company: 'company',
    email: 'email',
    name: 'name',
    taxId: 'tax id',
    taxExemptionId: 'tax exemption certificate',
    partnerId: 'partner id',
    endpointId: 'Peppol address',
    buyerReference: 'buyer reference',
    einvoiceFormat: 'e-invoice format', line1: 'street', line2: 'line 2', postalCode: 'postal code', city: 'city', region: 'region', country: 'country' };
  if (group === 'customer') return `Customer ${parts[part!] ?? part}`;
  if (group === 'billing' || group === 'shipping') return `${group === 'billing' ? 'Billing' : 'Delivery'} address, ${parts[part!] ?? part}`;
  return ({ poNumber: "Buyer's PO number", currency: 'Currency', delivery: 'Delivery', lines: 'Lines', form: 'The order' } as Record<string, string>)[name] ?? name;
}
