import type { EInvoice } from './model.js';
import { xmlDocument, XmlElement } from './xml.js';
import { NoEInvoiceError } from './parties.js';
import { defaultUblProfile, unavailableIn, type UblProfile } from './profiles.js';

export { defaultUblProfile, unavailableIn };

/**
 * An EN 16931 invoice or credit note as UBL 2.1 (OASIS), in one of three profiles that differ only in
 * what they claim and require: plain EN 16931; Peppol BIS Billing 3.0, which needs both parties'
 * electronic addresses; XRechnung 3.0, the German CIUS, which needs the buyer reference (the
 * Leitweg-ID) and the seller's contact. Elements come in the order the UBL schema wants them,
 * written with the small builder of xml.ts (which escapes).
 */
export type { UblProfile } from './profiles.js';

const customization: Record<UblProfile, string> = {
  en16931: 'urn:cen.eu:en16931:2017',
  peppol: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
  xrechnung: 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0',
};
/** Peppol's billing process, which XRechnung names too. */
const PEPPOL_BILLING = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const ns = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

export function toUbl(invoice: EInvoice, profile: UblProfile = defaultUblProfile(invoice)): string {
  const unavailable = unavailableIn(invoice, profile);
  if (unavailable) throw new NoEInvoiceError(unavailable);
  const credit = invoice.kind === 'credit_note';
  const root = credit ? 'CreditNote' : 'Invoice';
  const doc = new XmlElement(root, { xmlns: credit ? ns.creditNote : ns.invoice, 'xmlns:cac': ns.cac, 'xmlns:cbc': ns.cbc });
  const cbc = (parent: XmlElement, name: string, text: string, attributes: Record<string, string> = {}) => parent.ele(`cbc:${name}`, attributes).txt(text);
  const cac = (parent: XmlElement, name: string) => parent.ele(`cac:${name}`);
  const amount = (parent: XmlElement, name: string, value: string) => cbc(parent, name, value, { currencyID: invoice.currency });

  cbc(doc, 'CustomizationID', customization[profile]);
  if (profile !== 'en16931') cbc(doc, 'ProfileID', PEPPOL_BILLING);
  cbc(doc, 'ID', invoice.number);
  cbc(doc, 'IssueDate', invoice.issueDate);
  if (invoice.dueDate && !credit) cbc(doc, 'DueDate', invoice.dueDate);
  cbc(doc, credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode', invoice.typeCode);
  for (const note of invoice.notes) cbc(doc, 'Note', note);
  cbc(doc, 'DocumentCurrencyCode', invoice.currency);
  if (invoice.buyerReference) cbc(doc, 'BuyerReference', invoice.buyerReference);
  cbc(cac(doc, 'OrderReference'), 'ID', invoice.orderReference);
  if (invoice.precedingInvoice) {
    const preceding = cac(cac(doc, 'BillingReference'), 'InvoiceDocumentReference');
    cbc(preceding, 'ID', invoice.precedingInvoice.number);
    cbc(preceding, 'IssueDate', invoice.precedingInvoice.issueDate);
  }

  const postalAddress = (element: XmlElement, address: EInvoice['buyer']['address']) => {
    cbc(element, 'StreetName', address.line1);
    if (address.line2) cbc(element, 'AdditionalStreetName', address.line2);
    if (address.city) cbc(element, 'CityName', address.city);
    if (address.postalCode) cbc(element, 'PostalZone', address.postalCode);
    cbc(cac(element, 'Country'), 'IdentificationCode', address.country);
  };
  const party = (role: 'AccountingSupplierParty' | 'AccountingCustomerParty', who: EInvoice['buyer'] & Partial<Pick<EInvoice['seller'], 'legalRegistration' | 'taxRegistration' | 'contact'>>) => {
    const p = cac(cac(doc, role), 'Party');
    if (who.endpoint) {
      const [scheme, ...value] = who.endpoint.split(':');
      cbc(p, 'EndpointID', value.join(':'), { schemeID: scheme! });
    }
    postalAddress(cac(p, 'PostalAddress'), who.address);
    for (const [id, scheme] of [[who.vatId, 'VAT'], [who.taxRegistration, 'FC']] as const) {
      if (!id) continue;
      const tax = cac(p, 'PartyTaxScheme');
      cbc(tax, 'CompanyID', id);
      cbc(cac(tax, 'TaxScheme'), 'ID', scheme);
    }
    const legal = cac(p, 'PartyLegalEntity');
    cbc(legal, 'RegistrationName', who.name);
    if (who.legalRegistration) cbc(legal, 'CompanyID', who.legalRegistration);
    if (who.contact) {
      const contact = cac(p, 'Contact');
      cbc(contact, 'Name', who.contact.name);
      if (who.contact.phone) cbc(contact, 'Telephone', who.contact.phone);
      cbc(contact, 'ElectronicMail', who.contact.email);
    }
  };
  party('AccountingSupplierParty', invoice.seller);
  party('AccountingCustomerParty', invoice.buyer);
  if (invoice.deliveryDate || invoice.deliverTo) {
    const delivery = cac(doc, 'Delivery');
    if (invoice.deliveryDate) cbc(delivery, 'ActualDeliveryDate', invoice.deliveryDate);
    if (invoice.deliverTo) postalAddress(cac(cac(delivery, 'DeliveryLocation'), 'Address'), invoice.deliverTo);
  }

  const means = cac(doc, 'PaymentMeans');
  cbc(means, 'PaymentMeansCode', invoice.payment.meansCode);
  cbc(means, 'PaymentID', invoice.payment.reference);
  if (invoice.payment.account) {
    const account = cac(means, 'PayeeFinancialAccount');
    cbc(account, 'ID', invoice.payment.account.iban);
    cbc(account, 'Name', invoice.payment.account.name);
    cbc(cac(account, 'FinancialInstitutionBranch'), 'ID', invoice.payment.account.bic);
  }
  if (invoice.paymentTerms) cbc(cac(doc, 'PaymentTerms'), 'Note', invoice.paymentTerms);

  const taxTotal = cac(doc, 'TaxTotal');
  amount(taxTotal, 'TaxAmount', invoice.totals.vat);
  for (const vat of invoice.vat) {
    const subtotal = cac(taxTotal, 'TaxSubtotal');
    amount(subtotal, 'TaxableAmount', vat.base);
    amount(subtotal, 'TaxAmount', vat.amount);
    const category = cac(subtotal, 'TaxCategory');
    cbc(category, 'ID', vat.category);
    if (vat.category !== 'O') cbc(category, 'Percent', vat.rate);
    if (vat.exemptionReason) cbc(category, 'TaxExemptionReason', vat.exemptionReason);
    cbc(cac(category, 'TaxScheme'), 'ID', 'VAT');
  }

  const totals = cac(doc, 'LegalMonetaryTotal');
  amount(totals, 'LineExtensionAmount', invoice.totals.lines);
  amount(totals, 'TaxExclusiveAmount', invoice.totals.withoutVat);
  amount(totals, 'TaxInclusiveAmount', invoice.totals.withVat);
  amount(totals, 'PrepaidAmount', invoice.totals.prepaid);
  amount(totals, 'PayableAmount', invoice.totals.due);

  const vat = invoice.vat[0]!;
  for (const line of invoice.lines) {
    const l = cac(doc, credit ? 'CreditNoteLine' : 'InvoiceLine');
    cbc(l, 'ID', line.id);
    cbc(l, credit ? 'CreditedQuantity' : 'InvoicedQuantity', String(line.quantity), { unitCode: 'C62' });
    amount(l, 'LineExtensionAmount', line.net);
    const item = cac(l, 'Item');
    cbc(item, 'Name', line.name);
    if (line.sku) cbc(cac(item, 'SellersItemIdentification'), 'ID', line.sku);
    const category = cac(item, 'ClassifiedTaxCategory');
    cbc(category, 'ID', vat.category);
    if (vat.category !== 'O') cbc(category, 'Percent', vat.rate);
    cbc(cac(category, 'TaxScheme'), 'ID', 'VAT');
    amount(cac(l, 'Price'), 'PriceAmount', line.price);
  }
  return xmlDocument(doc);
}
