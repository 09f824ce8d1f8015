import { log } from '../runtime/log.js';
import { minorDigits, multiply, sum, toDecimalString } from '../domain/money.js';
import { supplyDateOf } from '../domain/documents.js';
import type { PurchaseOrder } from '../domain/purchase-order/index.js';
import type { SellerProfile } from '../domain/seller.js';
import { splitGross, type TaxEntry } from '../domain/tax.js';
import { NoEInvoiceError, type Party, sellerParty, vatCategoryOf, type VatCategory } from './parties.js';

export { NoEInvoiceError, type Party, type VatCategory } from './parties.js';

/**
 * An invoice or credit note as EN 16931 (the European standard for electronic invoices) describes
 * it, built once from a PO's document and kept with it; each syntax (UBL, CII) and each profile
 * (plain EN 16931, Peppol BIS, XRechnung) is written from here and from nothing else, so the
 * formats never disagree. Business terms are named by their BT/BG numbers where the names are not
 * plain. Amounts are decimal strings, as the standard writes them; a credit note's are positive.
 */
export interface EInvoice {
  kind: 'invoice' | 'credit_note';
  /** BT-1, BT-2, BT-9 */
  number: string;
  issueDate: string;
  dueDate: string | null;
  /** BT-3: 380 commercial invoice, 381 credit note. */
  typeCode: '380' | '381';
  /** BT-5 */
  currency: string;
  /** BT-10: the buyer's own routing reference (a German public buyer's Leitweg-ID), else its PO number, by which buyers route invoices too. */
  buyerReference: string | null;
  /** Whether BT-10 is the reference the customer gave (customer.buyerReference): XRechnung needs that one, a Leitweg-ID. */
  buyerReferenceGiven?: boolean;
  /** BT-13: the buyer's PO number (or the order's reference when the buyer gave none). */
  orderReference: string;
  /** BT-22: why a credit note is issued. */
  notes: string[];
  /** BG-3: the invoice a credit note corrects. */
  precedingInvoice: { number: string; issueDate: string } | null;
  /** BT-20 */
  paymentTerms: string | null;
  seller: Party & {
    /** BT-31 (an EU VAT id) or, for another tax registration such as a US state's, BT-32. */
    vatId: string | null;
    taxRegistration: string | null;
    /** BT-30: with no VAT id on the invoice, the buyer's system finds the seller by it (BR-CO-26). */
    legalRegistration: string | null;
    /** BG-6 */
    contact: { name: string; phone: string | null; email: string };
  };
  buyer: Party & { vatId: string | null };
  /** BT-72: when the goods or licences went out (supplyDateOf). Absent from e-invoices kept before it was written. */
  deliveryDate?: string;
  /** BG-15: where the goods or services went (the shipping address, else the billing address). Absent from e-invoices kept before it was written. */
  deliverTo?: Party['address'];
  /** BG-16: credit transfer (58: SEPA) to the seller's account; a credit note settles by other means (1). */
  payment: { meansCode: '58' | '1'; reference: string; account: { iban: string; bic: string; name: string } | null };
  lines: { id: string; name: string; sku: string | null; quantity: number; price: string; net: string }[];
  /** BG-23: one entry per VAT category and rate. */
  vat: { category: VatCategory; rate: string; base: string; amount: string; exemptionReason: string | null }[];
  /** BG-22 */
  totals: { lines: string; withoutVat: string; vat: string; withVat: string; prepaid: string; due: string };
}

/** The e-invoice of a document, or none when one cannot be made (see NoEInvoiceError): logged, never thrown. */
export function einvoiceOrNone(...args: Parameters<typeof einvoiceOf>): EInvoice | null {
  try {
    return einvoiceOf(...args);
  } catch (error) {
    if (!(error instanceof NoEInvoiceError)) throw error;
    log.warn('no e-invoice for this document', { reason: error.message });
    return null;
  }
}

interface Line {
  id: string;
  name: string;
  sku: string;
  quantity: number;
  unit: number;
  net: number;
}

interface Issued {
  type: 'invoice' | 'credit_note';
  number: string;
  issuedAt: Date;
  dueDate: string | null;
}

export function einvoiceOf(po: PurchaseOrder, document: Issued, seller: SellerProfile): EInvoice {
  const money = (amount: number) => decimal(amount, po.currency);
  const category = vatCategoryOf(po.tax[0]);
  const invoice = po.documents.find((doc) => doc.type === 'invoice');
  const credit = document.type === 'credit_note' ? creditOf(po, invoice?.number ?? '') : null;
  const entries: readonly TaxEntry[] = credit ? credit.tax : po.tax;
  const lines: Line[] = credit?.line
    ? [credit.line]
    : po.lines.map((line, index) => ({ id: String(index + 1), name: line.description, sku: line.sku, quantity: line.quantity, unit: line.unitAmount, net: multiply(line.unitAmount, line.quantity) }));
  const net = sum(lines.map((line) => line.net));
  const vatAmount = sum(entries.map((tax) => tax.amount));
  const gross = net + vatAmount;
  const prepaid = credit ? 0 : po.payment.amountPaid;
  const result: EInvoice = {
    kind: document.type,
    number: document.number,
    issueDate: document.issuedAt.toISOString().slice(0, 10),
    dueDate: credit ? null : document.dueDate,
    typeCode: credit ? '381' : '380',
    currency: po.currency,
    buyerReference: po.customer.buyerReference ?? po.poNumber ?? null,
    buyerReferenceGiven: po.customer.buyerReference !== undefined,
    orderReference: po.poNumber ?? po.reference,
    notes: credit ? [credit.reason] : [],
    precedingInvoice: credit && invoice ? { number: invoice.number, issueDate: invoice.issuedAt.slice(0, 10) } : null,
    paymentTerms: credit ? null : `${po.paymentTermsDays} days net`,
    seller: sellerParty(seller, po.taxIds?.seller ?? null, category),
    buyer: {
      name: po.customer.company,
      // Not subject to VAT (O): the standard allows no VAT ids on the invoice (BR-O-02).
      vatId: category === 'O' ? null : (po.customer.taxId ?? null),
      endpoint: po.customer.endpointId ?? null,
      address: addressOf(po.billingAddress),
    },
    deliveryDate: supplyDateOf(po, document.type, document.issuedAt)!,
    deliverTo: addressOf(po.shippingAddress ?? po.billingAddress),
    payment: credit
      ? { meansCode: '1', reference: `${document.number} ${po.reference}`, account: null }
      : { meansCode: '58', reference: `${document.number} ${po.reference}`, account: { iban: seller.bank.iban.replace(/\s/g, ''), bic: seller.bank.bic, name: seller.bank.accountHolder } },
    lines: lines.map((line) => ({ id: line.id, name: line.name, sku: line.sku || null, quantity: line.quantity, price: money(line.unit), net: money(line.net) })),
    vat: (entries.length ? entries : [{ rate: 0, base: net, amount: 0, note: undefined }]).map((tax) => ({
      category,
      rate: (tax.rate / 100).toFixed(2),
      base: money(tax.base),
      amount: money(tax.amount),
      exemptionReason: category === 'S' ? null : (tax.note ?? 'Not subject to VAT'),
    })),
    totals: { lines: money(net), withoutVat: money(net), vat: money(vatAmount), withVat: money(gross), prepaid: money(prepaid), due: money(gross - prepaid) },
  };
  return result;
}

const addressOf = (address: PurchaseOrder['billingAddress']): Party['address'] => ({
  line1: address.line1,
  line2: address.line2 ?? null,
  city: address.city,
  postalCode: address.postalCode ?? null,
  country: address.country,
});

/** What a credit note credits: the whole invoice when the PO was cancelled, else a dispute's shortfall as one line. */
function creditOf(po: PurchaseOrder, invoiceNumber: string): { reason: string; tax: readonly TaxEntry[]; line: Line | null } {
  const shortfall = po.status !== 'cancelled' ? (po.payment.shortfall ?? 0) : 0;
  if (!shortfall) return { reason: `Cancels invoice ${invoiceNumber} of order ${po.reference} in full.`, tax: po.tax, line: null };
  const split = splitGross(shortfall, po.tax);
  return {
    reason: `Reduces invoice ${invoiceNumber} of order ${po.reference}, as agreed when the payment dispute was resolved.`,
    tax: split.tax,
    line: { id: '1', name: `Reduction of invoice ${invoiceNumber} agreed on resolving the payment dispute`, sku: '', quantity: 1, unit: split.net, net: split.net },
  };
}

/**
 * An amount as EN 16931 writes it: at most 2 decimals (BR-DEC). In a currency of 3 (KWD, BHD, OMR)
 * an amount in whole tens of its minor unit is exact with 2; any other would have to be rounded, and
 * an e-invoice that says another amount than the PDF is worse than none.
 */
function decimal(amount: number, currency: string): string {
  const extra = minorDigits(currency) - 2;
  if (extra <= 0) return toDecimalString(amount, currency);
  const text = toDecimalString(amount, currency);
  if (amount % 10 ** extra !== 0) throw new NoEInvoiceError(`EN 16931 writes amounts with at most 2 decimals, and ${text} ${currency} has ${2 + extra}`);
  return text.slice(0, -extra);
}
