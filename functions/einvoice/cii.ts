import type { EInvoice } from './model.js';
import { xmlDocument, XmlElement } from './xml.js';

/**
 * An EN 16931 invoice or credit note as UN/CEFACT Cross Industry Invoice (CII D16B), the syntax of
 * Factur-X and ZUGFeRD: this XML, as `factur-x.xml` inside the PDF, is the Factur-X "EN 16931"
 * profile. Elements come in the order the CII schema wants them, written with the builder of xml.ts.
 */
const ns = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};
/** The guideline EN 16931 names for CII; in Factur-X, the EN 16931 profile. */
export const CII_GUIDELINE = 'urn:cen.eu:en16931:2017';

/** 2026-12-01 as CII writes a date (format 102). */
const date102 = (iso: string) => iso.replaceAll('-', '');

export function toCii(invoice: EInvoice): string {
  const doc = new XmlElement('rsm:CrossIndustryInvoice', { 'xmlns:rsm': ns.rsm, 'xmlns:ram': ns.ram, 'xmlns:qdt': ns.qdt, 'xmlns:udt': ns.udt });
  const rsm = (parent: XmlElement, name: string) => parent.ele(`rsm:${name}`);
  const ram = (parent: XmlElement, name: string) => parent.ele(`ram:${name}`);
  const text = (parent: XmlElement, name: string, value: string, attributes: Record<string, string> = {}) => parent.ele(`ram:${name}`, attributes).txt(value);
  const dateTime = (parent: XmlElement, name: string, iso: string, type: 'udt' | 'qdt' = 'udt') => ram(parent, name).ele(`${type}:DateTimeString`, { format: '102' }).txt(date102(iso));

  text(ram(rsm(doc, 'ExchangedDocumentContext'), 'GuidelineSpecifiedDocumentContextParameter'), 'ID', CII_GUIDELINE);

  const header = rsm(doc, 'ExchangedDocument');
  text(header, 'ID', invoice.number);
  text(header, 'TypeCode', invoice.typeCode);
  dateTime(header, 'IssueDateTime', invoice.issueDate);
  for (const note of invoice.notes) text(ram(header, 'IncludedNote'), 'Content', note);

  const transaction = rsm(doc, 'SupplyChainTradeTransaction');
  const vat = invoice.vat[0]!;
  for (const line of invoice.lines) {
    const item = ram(transaction, 'IncludedSupplyChainTradeLineItem');
    text(ram(item, 'AssociatedDocumentLineDocument'), 'LineID', line.id);
    const product = ram(item, 'SpecifiedTradeProduct');
    if (line.sku) text(product, 'SellerAssignedID', line.sku);
    text(product, 'Name', line.name);
    text(ram(ram(item, 'SpecifiedLineTradeAgreement'), 'NetPriceProductTradePrice'), 'ChargeAmount', line.price);
    text(ram(item, 'SpecifiedLineTradeDelivery'), 'BilledQuantity', String(line.quantity), { unitCode: 'C62' });
    const settlement = ram(item, 'SpecifiedLineTradeSettlement');
    const tax = ram(settlement, 'ApplicableTradeTax');
    text(tax, 'TypeCode', 'VAT');
    text(tax, 'CategoryCode', vat.category);
    if (vat.category !== 'O') text(tax, 'RateApplicablePercent', vat.rate);
    text(ram(settlement, 'SpecifiedTradeSettlementLineMonetarySummation'), 'LineTotalAmount', line.net);
  }

  const agreement = ram(transaction, 'ApplicableHeaderTradeAgreement');
  if (invoice.buyerReference) text(agreement, 'BuyerReference', invoice.buyerReference);
  const postalAddress = (parent: XmlElement, address: EInvoice['buyer']['address']) => {
    const element = ram(parent, 'PostalTradeAddress');
    if (address.postalCode) text(element, 'PostcodeCode', address.postalCode);
    text(element, 'LineOne', address.line1);
    if (address.line2) text(element, 'LineTwo', address.line2);
    if (address.city) text(element, 'CityName', address.city);
    text(element, 'CountryID', address.country);
  };
  const party = (role: 'SellerTradeParty' | 'BuyerTradeParty', who: EInvoice['buyer'] & Partial<Pick<EInvoice['seller'], 'legalRegistration' | 'taxRegistration' | 'contact'>>) => {
    const p = ram(agreement, role);
    text(p, 'Name', who.name);
    if (who.legalRegistration) text(ram(p, 'SpecifiedLegalOrganization'), 'ID', who.legalRegistration);
    if (who.contact) {
      const contact = ram(p, 'DefinedTradeContact');
      text(contact, 'PersonName', who.contact.name);
      if (who.contact.phone) text(ram(contact, 'TelephoneUniversalCommunication'), 'CompleteNumber', who.contact.phone);
      text(ram(contact, 'EmailURIUniversalCommunication'), 'URIID', who.contact.email);
    }
    postalAddress(p, who.address);
    if (who.endpoint) {
      const [scheme, ...value] = who.endpoint.split(':');
      text(ram(p, 'URIUniversalCommunication'), 'URIID', value.join(':'), { schemeID: scheme! });
    }
    // CII names a VAT id's scheme VA (UBL: VAT), and a tax number's FC.
    for (const [id, scheme] of [[who.vatId, 'VA'], [who.taxRegistration, 'FC']] as const) {
      if (id) text(ram(p, 'SpecifiedTaxRegistration'), 'ID', id, { schemeID: scheme });
    }
  };
  party('SellerTradeParty', invoice.seller);
  party('BuyerTradeParty', invoice.buyer);
  text(ram(agreement, 'BuyerOrderReferencedDocument'), 'IssuerAssignedID', invoice.orderReference);

  // BG-13: where it went; schema-required even when empty, which buyers' checks warn of (PEPPOL-EN16931-R008).
  const delivery = ram(transaction, 'ApplicableHeaderTradeDelivery');
  if (invoice.deliverTo) postalAddress(ram(delivery, 'ShipToTradeParty'), invoice.deliverTo);
  if (invoice.deliveryDate) dateTime(ram(delivery, 'ActualDeliverySupplyChainEvent'), 'OccurrenceDateTime', invoice.deliveryDate);

  const settlement = ram(transaction, 'ApplicableHeaderTradeSettlement');
  text(settlement, 'PaymentReference', invoice.payment.reference);
  text(settlement, 'InvoiceCurrencyCode', invoice.currency);
  const means = ram(settlement, 'SpecifiedTradeSettlementPaymentMeans');
  text(means, 'TypeCode', invoice.payment.meansCode);
  if (invoice.payment.account) {
    const account = ram(means, 'PayeePartyCreditorFinancialAccount');
    text(account, 'IBANID', invoice.payment.account.iban);
    text(account, 'AccountName', invoice.payment.account.name);
    text(ram(means, 'PayeeSpecifiedCreditorFinancialInstitution'), 'BICID', invoice.payment.account.bic);
  }
  for (const entry of invoice.vat) {
    const tax = ram(settlement, 'ApplicableTradeTax');
    text(tax, 'CalculatedAmount', entry.amount);
    text(tax, 'TypeCode', 'VAT');
    if (entry.exemptionReason) text(tax, 'ExemptionReason', entry.exemptionReason);
    text(tax, 'BasisAmount', entry.base);
    text(tax, 'CategoryCode', entry.category);
    if (entry.category !== 'O') text(tax, 'RateApplicablePercent', entry.rate);
  }
  if (invoice.paymentTerms || invoice.dueDate) {
    const terms = ram(settlement, 'SpecifiedTradePaymentTerms');
    if (invoice.paymentTerms) text(terms, 'Description', invoice.paymentTerms);
    if (invoice.dueDate) dateTime(terms, 'DueDateDateTime', invoice.dueDate);
  }
  const totals = ram(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  text(totals, 'LineTotalAmount', invoice.totals.lines);
  text(totals, 'TaxBasisTotalAmount', invoice.totals.withoutVat);
  text(totals, 'TaxTotalAmount', invoice.totals.vat, { currencyID: invoice.currency });
  text(totals, 'GrandTotalAmount', invoice.totals.withVat);
  text(totals, 'TotalPrepaidAmount', invoice.totals.prepaid);
  text(totals, 'DuePayableAmount', invoice.totals.due);
  if (invoice.precedingInvoice) {
    const preceding = ram(settlement, 'InvoiceReferencedDocument');
    text(preceding, 'IssuerAssignedID', invoice.precedingInvoice.number);
    dateTime(preceding, 'FormattedIssueDateTime', invoice.precedingInvoice.issueDate, 'qdt');
  }
  return xmlDocument(doc);
}
