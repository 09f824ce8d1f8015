import type { PoInstructionsContent } from '../domain/instructions.js';
import { html } from './html.js';

/**
 * The seller's page of PO instructions, for their website (a link, or a frame): who may order by
 * purchase order, the amounts, what a letter must contain, where to send it, and the terms. It uses
 * the back office's stylesheet (at `assets`), and no scripts.
 */
export function poInstructionsPage(assets: string, content: PoInstructionsContent): string {
  const { seller } = content;
  const types = content.eligibleCustomerTypes.map((type) => ({ business: 'businesses', government: 'government bodies', education: 'schools, colleges and universities', consumer: 'consumers' })[type] ?? type);
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Ordering by purchase order · ${seller.name}</title><link rel="stylesheet" href="${assets}/console.css"></head>
<body><header class="top"><span class="brand">${seller.name}</span></header>
<main id="main" class="instructions">
<h1>Ordering by purchase order</h1>
<p class="lead">${types.length ? html`${capitalized(listText(types))} may order from ${seller.name} by purchase order (PO) and pay by bank transfer on ${content.paymentTermsDays} days' terms.` : html`${seller.name} does not take orders by letter at the moment; please order in our shop.`}</p>
<section class="card" aria-labelledby="h-ways"><h2 id="h-ways">Two ways to order</h2>
<ol><li><strong>In our shop:</strong> choose “Purchase order” as the payment method at checkout${content.cartMinimums.length ? html` (for orders of at least ${listText(content.cartMinimums.map((entry) => entry.minimum))})` : ''}. Then send us your PO on company letterhead, quoting the order reference the shop shows you.</li>
<li><strong>By letter, email or fax:</strong> send us your official order on company letterhead, with everything listed below. We enter it for you and confirm it by email.</li></ol></section>
${
  content.limits.length
    ? html`<section class="card" aria-labelledby="h-amounts"><h2 id="h-amounts">Order amounts by letter</h2>
<table><thead><tr><th scope="col">Currency</th><th scope="col" class="n">At least</th><th scope="col" class="n">At most</th></tr></thead><tbody>${content.limits.map(
        (limit) => html`<tr><td>${limit.currency}</td><td class="n">${limit.minimum ?? 'no minimum'}</td><td class="n">${limit.maximum ?? 'no maximum'}</td></tr>`,
      )}</tbody></table><p class="muted">We bill in these currencies. For larger orders, please contact us first.</p></section>`
    : ''
}<section class="card" aria-labelledby="h-letter"><h2 id="h-letter">What your order must contain</h2>
<ul>${content.letterMustContain.map((item) => html`<li>${item}</li>`)}</ul></section>
<section class="card" aria-labelledby="h-send"><h2 id="h-send">Where to send it</h2><dl>
<dt>By email</dt><dd><a href="mailto:${seller.email}">${seller.email}</a>, your order on letterhead as an attachment</dd>
${seller.fax ? html`<dt>By fax, signed</dt><dd>${seller.fax}</dd>` : ''}
<dt>By post, signed</dt><dd>${seller.postalAddress.map((line, i) => html`${i ? html`<br>` : ''}${line}`)}</dd>
${seller.phone ? html`<dt>Questions</dt><dd>${seller.phone}</dd>` : ''}</dl></section>
<section class="card" aria-labelledby="h-next"><h2 id="h-next">What happens next</h2>
<ol><li>We check your order and confirm it by email, with its reference, within ${content.reviewTimeoutDays} days.</li>
<li>Once it is released you receive the invoice and the licences or shipment, or, if you asked to pay first, a proforma invoice to pay before we deliver.</li>
<li>Pay the invoice by bank transfer within ${content.paymentTermsDays} days, quoting the invoice number.</li></ol></section>
</main></body></html>`}`;
}

function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  // "Businesses, government bodies and schools": the caller capitalizes where a sentence starts.
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
