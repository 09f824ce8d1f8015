import type { Policy } from '../../contract/policy.js';
import { formatMoney } from './money.js';
import type { PurchaseOrder } from './purchase-order/index.js';
import type { SellerProfile } from './seller.js';

/**
 * What buyers are told to do: after placing a PO (the seed's confirmation page shows "reference
 * number, invoice, and instructions"), and before, on the seller's website ("PO instructions on
 * website": who may order by PO, what a letter must contain, where to send it).
 */

export interface SendTo {
  email: string;
  fax: string | null;
  postalAddress: string[];
}

const sendTo = (seller: SellerProfile): SendTo => ({ email: seller.email, fax: seller.fax ?? null, postalAddress: [seller.name, ...seller.addressLines] });

export interface PlacementInstructions {
  /** One sentence: where the order stands and what the buyer does next. */
  summary: string;
  /** What to do, in order (empty when nothing is asked of the buyer). */
  steps: string[];
  /** The reference to quote in every letter and payment. */
  quote: string;
  /** Where a confirmation or a question goes. */
  sendTo: SendTo;
}

export function placementInstructions(po: PurchaseOrder, seller: SellerProfile): PlacementInstructions {
  const base = { quote: po.reference, sendTo: sendTo(seller) };
  const where = `to ${seller.email}${seller.fax ? `, by fax to ${seller.fax}` : ''} or by post to ${[seller.name, ...seller.addressLines].join(', ')}`;
  if (po.status === 'awaiting_review' && po.review.confirmation === 'letterhead') {
    return {
      ...base,
      summary: `Your order ${po.reference} is placed and waits for your confirmation; we release it once we have checked it.`,
      steps: [
        `Send your purchase order on company letterhead, signed, quoting ${po.reference}, ${where}.`,
        'We check it and release your order; you then receive the invoice (or, with prepayment, a proforma invoice) by email.',
      ],
    };
  }
  if (po.status === 'awaiting_review') {
    return { ...base, summary: `Your order ${po.reference} is placed; we check it before we release it, and you need to do nothing more.`, steps: [] };
  }
  if (po.status === 'awaiting_payment') {
    const pay = `Pay ${formatMoney(po.total, po.currency)} by bank transfer to ${seller.bank.accountHolder}, IBAN ${seller.bank.iban}, BIC ${seller.bank.bic}, quoting ${po.reference}.`;
    return po.paymentMethod === 'offline'
      ? { ...base, summary: `Your order ${po.reference} waits for your payment; we process it once the payment has arrived.`, steps: [pay, 'Tell us through the shop once you have paid, so that we can verify it.'] }
      : { ...base, summary: `Your order ${po.reference} is released; the proforma invoice follows by email, and we deliver once it is paid.`, steps: ['Pay the proforma invoice you receive by email, quoting its number.'] };
  }
  if (po.status === 'deferred') {
    return { ...base, summary: `Your order ${po.reference} is confirmed; we deliver first, and the invoice with its due date comes by email.`, steps: [] };
  }
  return { ...base, summary: `Your order ${po.reference} is confirmed; the invoice${po.paymentMethod === 'online' ? ', marked paid,' : ''} and the delivery come by email.`, steps: [] };
}

/** The seller's page of PO instructions, as content: the page renders it. */
export interface PoInstructionsContent {
  seller: { name: string; email: string; fax: string | null; phone: string | null; postalAddress: string[] };
  eligibleCustomerTypes: string[];
  /** Per currency, the least and most an order by letter may total (formatted), or null where there is no bound. */
  limits: { currency: string; minimum: string | null; maximum: string | null }[];
  /** In the shop, per currency, the least a cart PO may total. */
  cartMinimums: { currency: string; minimum: string }[];
  letterMustContain: string[];
  paymentTermsDays: number;
  reviewTimeoutDays: number;
}

export function poInstructions(policy: Policy, seller: SellerProfile): PoInstructionsContent {
  const currencies = [...new Set([...Object.keys(policy.offline.minimum), ...Object.keys(policy.offline.maximum)])].sort();
  const amount = (value: number | undefined, currency: string) => (value === undefined ? null : formatMoney(value, currency));
  return {
    seller: { name: seller.name, email: seller.email, fax: seller.fax ?? null, phone: seller.phone ?? null, postalAddress: [seller.name, ...seller.addressLines] },
    eligibleCustomerTypes: policy.offline.eligibleCustomerTypes,
    limits: currencies.map((currency) => ({ currency, minimum: amount(policy.offline.minimum[currency], currency), maximum: amount(policy.offline.maximum[currency], currency) })),
    cartMinimums: Object.entries(policy.cartMinimum)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, minimum]) => ({ currency, minimum: formatMoney(minimum, currency) })),
    letterMustContain: [
      'Your company name, and your customer number if you have one',
      'The products (name or product code) and the quantity of each',
      'The billing currency',
      'The billing address, and the delivery address if it is another',
      'Your purchase order number, if you use them',
      'The email address we send the invoice and licences to',
      'The name and signature of the person ordering, on company letterhead',
    ],
    paymentTermsDays: policy.paymentTermsDays,
    reviewTimeoutDays: policy.reviewTimeoutDays,
  };
}
