import { log } from '../runtime/log.js';
import { multiply, sum, toDecimalString } from '../domain/money.js';
import type { PurchaseOrder } from '../domain/purchase-order/index.js';
import type { SellerProfile } from '../domain/seller.js';

/**
 * An invoice as EN 16931 (the European standard for electronic invoices) describes it, built once
 * from a PO's document and serialized from here to each syntax (UBL today). Business terms are
 * named by their BT/BG numbers where the names are not plain. Amounts are decimal strings in the
 * currency's minor unit, as the standard writes them.
 */
export interface EInvoice {
  /** BT-1, BT-2, BT-9 */
  number: string;
  issueDate: string;
  dueDate: string | null;
  /** BT-3: 380 commercial invoice. */
  typeCode: '380';
  /** BT-5 */
  currency: string;
  /** BT-13: the buyer's PO number (or the order's reference when the buyer gave none). */
  orderReference: string;
  /** BT-20 */
  paymentTerms: string | null;
  /** BT-30: the seller's legal registration; with no VAT id on the invoice, the buyer's system finds the seller by it (BR-CO-26). */
  seller: Party & { vatId: string | null; legalRegistration: string | null };
  buyer: Party & { vatId: string | null };
  /** BG-16: credit transfer (58: SEPA) to the seller's account. */
  payment: { meansCode: '58' | '30'; reference: string; iban: string; bic: string; accountName: string };
  lines: { id: string; name: string; sku: string; quantity: number; price: string; net: string }[];
  /** BG-23: one entry per VAT category and rate. */
  vat: { category: VatCategory; rate: string; base: string; amount: string; exemptionReason: string | null }[];
  /** BG-22 */
  totals: { lines: string; withoutVat: string; vat: string; withVat: string; prepaid: string; due: string };
}

export interface Party {
  name: string;
  address: { line1: string; city: string | null; postalCode: string | null; country: string };
}

/** UNCL5305: standard rate, reverse charge (intra-EU), exempt, not subject to VAT. */
export type VatCategory = 'S' | 'AE' | 'E' | 'O';

/** The seller's country: as the profile says it, else the prefix of an EU VAT id. */
function sellerCountry(seller: SellerProfile, vatId: string | null): string {
  const country = seller.country ?? (vatId && /^[A-Z]{2}/.test(vatId) ? vatId.slice(0, 2) : null);
  if (!country) throw new Error('the seller profile needs a country (ISO 3166-1 alpha-2) for electronic invoices');
  return country;
}

/** The VAT category of the PO's tax entry: charged, reverse charge, exempt, or none where the buyer is. */
function categoryOf(entry: { rate: number; note?: string | undefined } | undefined): VatCategory {
  if (!entry) return 'O';
  if (entry.rate > 0) return 'S';
  if (entry.note?.startsWith('Reverse charge')) return 'AE';
  if (entry.note?.startsWith('Exempt')) return 'E';
  return 'O';
}

/** The e-invoice of a document, or none when the seller's profile cannot make one (no country): the PDF is issued either way. */
export function einvoiceOrNone(...args: Parameters<typeof einvoiceOf>): EInvoice | null {
  try {
    return einvoiceOf(...args);
  } catch (error) {
    log.warn('no e-invoice for this document', { reason: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

export function einvoiceOf(po: PurchaseOrder, document: { number: string; issuedAt: Date; dueDate: string | null }, seller: SellerProfile): EInvoice {
  const money = (amount: number) => toDecimalString(amount, po.currency);
  const sellerVat = po.taxIds?.seller ?? seller.taxId ?? null;
  const [line1 = seller.name, ...rest] = seller.addressLines;
  const entry = po.tax[0];
  const category = categoryOf(entry);
  if (category === 'O' && !seller.legalRegistration) throw new Error('the seller profile needs its legal registration for an electronic invoice without VAT');
  const lineNets = po.lines.map((line) => multiply(line.unitAmount, line.quantity));
  const vatAmount = sum(po.tax.map((tax) => tax.amount));
  const paid = po.payment.amountPaid;
  return {
    number: document.number,
    issueDate: document.issuedAt.toISOString().slice(0, 10),
    dueDate: document.dueDate,
    typeCode: '380',
    currency: po.currency,
    orderReference: po.poNumber ?? po.reference,
    paymentTerms: `${po.paymentTermsDays} days net`,
    seller: {
      name: seller.name,
      // Not subject to VAT (O): the standard allows no VAT ids on the invoice (BR-O-02).
      vatId: category === 'O' ? null : sellerVat,
      legalRegistration: seller.legalRegistration ?? null,
      address: { line1, city: rest.length ? rest.join(', ') : null, postalCode: null, country: sellerCountry(seller, sellerVat) },
    },
    buyer: {
      name: po.customer.company,
      vatId: category === 'O' ? null : (po.customer.taxId ?? null),
      address: { line1: po.billingAddress.line1, city: po.billingAddress.city, postalCode: po.billingAddress.postalCode ?? null, country: po.billingAddress.country },
    },
    payment: { meansCode: '58', reference: `${document.number} ${po.reference}`, iban: seller.bank.iban.replace(/\s/g, ''), bic: seller.bank.bic, accountName: seller.bank.accountHolder },
    lines: po.lines.map((line, index) => ({ id: String(index + 1), name: line.description, sku: line.sku, quantity: line.quantity, price: money(line.unitAmount), net: money(lineNets[index]!) })),
    vat: (po.tax.length ? po.tax : [{ rate: 0, base: po.subtotal, amount: 0, note: undefined }]).map((tax) => ({
      category,
      rate: (tax.rate / 100).toFixed(2),
      base: money(tax.base),
      amount: money(tax.amount),
      exemptionReason: category === 'S' ? null : (tax.note ?? 'Not subject to VAT'),
    })),
    totals: { lines: money(sum(lineNets)), withoutVat: money(po.subtotal), vat: money(vatAmount), withVat: money(po.total), prepaid: money(paid), due: money(po.total - paid) },
  };
}
