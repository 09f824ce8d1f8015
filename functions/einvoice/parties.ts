import type { SellerProfile } from '../domain/seller.js';
import type { TaxEntry } from '../domain/tax.js';

/** Why a document has no e-invoice: the PDF is issued either way. */
export class NoEInvoiceError extends Error {}

/** A seller or buyer as EN 16931 names it (BG-4/BG-7): name, postal address, electronic address. */
export interface Party {
  name: string;
  /** BT-34/BT-49: where the party receives e-invoices, as `scheme:value` (a Peppol participant id). */
  endpoint: string | null;
  address: { line1: string; line2: string | null; city: string | null; postalCode: string | null; country: string };
}

/** UNCL5305: standard rate, reverse charge (intra-EU), exempt, not subject to VAT. */
export type VatCategory = 'S' | 'AE' | 'E' | 'O';

/** The VAT category of the PO's tax entry: charged, reverse charge, exempt, or none where the buyer is. */
export function vatCategoryOf(entry: Pick<TaxEntry, 'rate' | 'note'> | undefined): VatCategory {
  if (!entry) return 'O';
  if (entry.rate > 0) return 'S';
  if (entry.note?.startsWith('Reverse charge')) return 'AE';
  if (entry.note?.startsWith('Exempt')) return 'E';
  return 'O';
}

/** An EU-style VAT id: a country prefix and 2 to 13 letters or digits (BR-CO-09); others are tax registrations (BT-32). */
const vatIdPattern = /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/;

/** The seller as the e-invoice names it, from its profile and the tax id the PO was placed under. */
export function sellerParty(seller: SellerProfile, poTaxId: string | null, category: VatCategory) {
  const taxId = poTaxId ?? seller.taxId ?? null;
  const structured = seller.address;
  const [line1 = seller.name, ...rest] = seller.addressLines;
  const country = structured?.country ?? seller.country ?? (taxId && vatIdPattern.test(taxId) ? taxId.slice(0, 2) : null);
  if (!country) throw new NoEInvoiceError('the seller profile needs a country (ISO 3166-1 alpha-2) for electronic invoices');
  // Not subject to VAT (O): the standard allows no VAT ids on the invoice (BR-O-02).
  const vatId = category !== 'O' && taxId && vatIdPattern.test(taxId) ? taxId : null;
  // With no VAT id, the buyer's system finds the seller by its legal registration (BR-CO-26).
  if (!vatId && !seller.legalRegistration) throw new NoEInvoiceError('the seller profile needs its legal registration (legalRegistration) for an electronic invoice without a VAT id');
  return {
    name: seller.name,
    endpoint: seller.endpointId ?? null,
    vatId,
    taxRegistration: category !== 'O' && taxId && !vatId ? taxId : null,
    legalRegistration: seller.legalRegistration ?? null,
    contact: { name: seller.contactName ?? 'Accounts receivable', phone: seller.phone ?? null, email: seller.email },
    address: structured
      ? { line1: structured.line1, line2: structured.line2 ?? null, city: structured.city, postalCode: structured.postalCode ?? null, country }
      : { line1, line2: null, city: rest.length ? rest.join(', ') : null, postalCode: null, country },
  };
}
