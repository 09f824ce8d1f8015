import { MoneyOverflowError } from './errors.js';
import { sum } from './money.js';
import type { Address, Customer } from '../../contract/order-request.js';
import type { TaxPolicy } from '../../contract/policy.js';

/**
 * Tax on a PO, computed once when it is placed and kept on it: the documents print what the PO says.
 *
 * Prices are net (tax-exclusive). The rounding rule, the only one: tax is computed per rate on the
 * sum of the net lines at that rate (never per line), as base x rate / 10,000, and rounded half up to
 * the currency's minor unit (amounts are already in minor units, so this holds for currencies with 0,
 * 2 or 3 decimals alike). The total is the subtotal plus the rounded tax amounts: nothing is lost or
 * invented, and the document's rows add up to the total it prints.
 */

export interface TaxEntry {
  /** What the tax is called ("VAT"). */
  name: string;
  /** Basis points (1900 = 19 %); 0 for reverse charge, exemption or no tax where the buyer is. */
  rate: number;
  /** The net amount taxed at this rate. */
  base: number;
  amount: number;
  /** Why nothing is charged (reverse charge, exemption), printed on the documents. */
  note?: string;
}

export interface Taxation {
  subtotal: number;
  tax: TaxEntry[];
  total: number;
  /** The tax ids documents print: the seller's registration and the buyer's VAT id, if any. */
  taxIds: { seller: string | null; buyer: string | null };
}

export const euCountries: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]);

/** base x rate (basis points), rounded half up to the minor unit; exact for any safe amount. */
export function taxOn(base: number, rate: number): number {
  const product = BigInt(base) * BigInt(rate);
  const rounded = (product * 2n + 10_000n) / 20_000n;
  const amount = Number(rounded);
  if (!Number.isSafeInteger(amount)) throw new MoneyOverflowError();
  return amount;
}

/** "19 %", "7.25 %". */
export function formatRate(rate: number): string {
  const whole = Math.floor(rate / 100);
  const fraction = (rate % 100).toString().padStart(2, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} %`;
}

/** The tax on an order of this subtotal for this buyer, under the seller's tax policy. */
export function taxFor(subtotal: number, buyer: { customer: Customer; billingAddress: Address }, policy: TaxPolicy | undefined): Taxation {
  const buyerTaxId = buyer.customer.taxId ?? null;
  if (!policy || policy.mode === 'none') return { subtotal, tax: [], total: subtotal, taxIds: { seller: null, buyer: buyerTaxId } };
  const taxIds = { seller: policy.sellerTaxId, buyer: buyerTaxId };
  const zero = (note: string): Taxation => ({ subtotal, tax: [{ name: policy.name, rate: 0, base: subtotal, amount: 0, note }], total: subtotal, taxIds });
  const { customer, billingAddress } = buyer;
  if (policy.exemptCustomerTypes.includes(customer.type) && customer.taxExemptionId) {
    return zero(`Exempt from ${policy.name}: ${customer.type} customer, exemption certificate ${customer.taxExemptionId}.`);
  }
  const where = billingAddress.country;
  if (
    policy.reverseCharge &&
    customer.type !== 'consumer' &&
    customer.taxId &&
    where !== policy.sellerCountry &&
    euCountries.has(where) &&
    euCountries.has(policy.sellerCountry)
  ) {
    return zero(`Reverse charge: ${policy.name} is to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC). Buyer's VAT ID ${customer.taxId}.`);
  }
  const region = billingAddress.region?.trim().toUpperCase();
  const rate = (region !== undefined ? policy.rates[`${where}-${region}`] : undefined) ?? policy.rates[where];
  if (rate === undefined) return zero(`No ${policy.name} charged: the seller charges no tax for buyers in ${where}.`);
  const entry: TaxEntry = { name: policy.name, rate, base: subtotal, amount: taxOn(subtotal, rate) };
  return { subtotal, tax: [entry], total: sum([subtotal, entry.amount]), taxIds };
}

/**
 * A gross amount (tax included) taken back from a PO, e.g. what a credit note credits, split into its
 * net part and its tax per entry: each entry gets its share of the gross amount by its gross weight
 * (largest remainder, so the shares add up exactly), and within a share the net part is rounded half
 * up and the tax is the rest. net + the tax amounts always equal the gross amount.
 */
export function splitGross(gross: number, entries: readonly TaxEntry[]): { net: number; tax: TaxEntry[] } {
  if (entries.length === 0) return { net: gross, tax: [] };
  const weights = entries.map((entry) => BigInt(entry.base + entry.amount));
  const whole = weights.reduce((a, b) => a + b, 0n) || 1n;
  const exact = weights.map((weight) => BigInt(gross) * weight);
  const shares = exact.map((value) => value / whole);
  let left = BigInt(gross) - shares.reduce((a, b) => a + b, 0n);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value % whole })).sort((a, b) => (b.remainder > a.remainder ? 1 : b.remainder < a.remainder ? -1 : a.index - b.index));
  for (const { index } of byRemainder) {
    if (left <= 0n) break;
    shares[index]! += 1n;
    left -= 1n;
  }
  const tax = entries.map((entry, index) => {
    const share = shares[index]!;
    const net = (share * 20_000n + BigInt(10_000 + entry.rate)) / BigInt(2 * (10_000 + entry.rate));
    return { ...entry, base: Number(net), amount: Number(share - net) };
  });
  return { net: gross - sum(tax.map((entry) => entry.amount)), tax };
}
