import type { EInvoice } from './model.js';

/**
 * What each UBL profile asks of a document, apart from writing it (ubl.ts): plain EN 16931; Peppol
 * BIS Billing 3.0, which needs both parties' electronic addresses; XRechnung 3.0, the German CIUS,
 * which needs the Leitweg-ID as buyer reference and the seller's contact. Kept apart from the XML
 * writer so that deciding which formats a document has loads no XML library.
 */
export type UblProfile = 'en16931' | 'peppol' | 'xrechnung';

/** The UBL profile a document goes out in by default: Peppol where both parties have a Peppol address, else plain EN 16931. */
export function defaultUblProfile(invoice: EInvoice): UblProfile {
  return unavailableIn(invoice, 'peppol') ? 'en16931' : 'peppol';
}

/** Why a document cannot go out in a profile, or null when it can. */
export function unavailableIn(invoice: EInvoice, profile: UblProfile): string | null {
  if (profile === 'peppol' && !(invoice.seller.endpoint && invoice.buyer.endpoint)) {
    return `Peppol needs both parties' Peppol addresses: ${invoice.seller.endpoint ? 'the customer has no endpointId' : 'the seller profile has no endpointId'}`;
  }
  // Peppol's German rules (DE-R-015), like XRechnung, need BT-10 between German parties.
  if (profile === 'peppol' && !invoice.buyerReference && countryOf(invoice.seller) === 'DE' && countryOf(invoice.buyer) === 'DE') {
    return 'Peppol between German parties needs the buyer reference (customer.buyerReference, or the PO number)';
  }
  if (profile === 'xrechnung') {
    if (!invoice.buyerReferenceGiven || !invoice.buyer.endpoint) return 'XRechnung needs the customer\'s buyer reference (its Leitweg-ID, customer.buyerReference) and its electronic address (customer.endpointId)';
    if (invoice.vat.some((vat) => vat.category === 'O')) return 'XRechnung has no category for an invoice not subject to VAT';
    if (!invoice.seller.contact.phone) return 'XRechnung needs the seller\'s phone (the seller profile\'s phone)';
    if (!invoice.seller.address.city || !invoice.seller.address.postalCode) return 'XRechnung needs the seller\'s city and postal code (the seller profile\'s address)';
    if (!invoice.buyer.address.postalCode) return 'XRechnung needs the buyer\'s postal code';
  }
  return null;
}

/** A party's country as Peppol's rules take it: its VAT id's prefix, else its address. */
const countryOf = (party: { vatId: string | null; address: { country: string } }) => party.vatId?.slice(0, 2) ?? party.address.country;

