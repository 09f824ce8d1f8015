import { create } from 'xmlbuilder2';
import type { EInvoice } from './model.js';

/**
 * An EN 16931 invoice as UBL 2.1 (OASIS), the syntax Peppol and XRechnung build on: the elements in
 * the order the UBL schema wants them, written with xmlbuilder2 (escaping is the library's).
 */
const ns = {
  '': 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};
/** EN 16931's customization id: an invoice that claims conformance with the core standard. */
export const EN16931_CUSTOMIZATION = 'urn:cen.eu:en16931:2017';

export function toUbl(invoice: EInvoice): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(ns[''], 'Invoice', { 'xmlns:cac': ns.cac, 'xmlns:cbc': ns.cbc });
  const cbc = (parent: typeof doc, name: string, text: string, attributes: Record<string, string> = {}) => parent.ele(ns.cbc, `cbc:${name}`, attributes).txt(text).up();
  const cac = (parent: typeof doc, name: string) => parent.ele(ns.cac, `cac:${name}`);
  const amount = (parent: typeof doc, name: string, value: string) => cbc(parent, name, value, { currencyID: invoice.currency });

  cbc(doc, 'CustomizationID', EN16931_CUSTOMIZATION);
  cbc(doc, 'ID', invoice.number);
  cbc(doc, 'IssueDate', invoice.issueDate);
  if (invoice.dueDate) cbc(doc, 'DueDate', invoice.dueDate);
  cbc(doc, 'InvoiceTypeCode', invoice.typeCode);
  cbc(doc, 'DocumentCurrencyCode', invoice.currency);
  cbc(cac(doc, 'OrderReference'), 'ID', invoice.orderReference);

  const party = (role: 'AccountingSupplierParty' | 'AccountingCustomerParty', who: EInvoice['buyer'] & { legalRegistration?: string | null }) => {
    const p = cac(cac(doc, role), 'Party');
    const address = cac(p, 'PostalAddress');
    cbc(address, 'StreetName', who.address.line1);
    if (who.address.city) cbc(address, 'CityName', who.address.city);
    if (who.address.postalCode) cbc(address, 'PostalZone', who.address.postalCode);
    cbc(cac(address, 'Country'), 'IdentificationCode', who.address.country);
    if (who.vatId) {
      const scheme = cac(p, 'PartyTaxScheme');
      cbc(scheme, 'CompanyID', who.vatId);
      cbc(cac(scheme, 'TaxScheme'), 'ID', 'VAT');
    }
    const legal = cac(p, 'PartyLegalEntity');
    cbc(legal, 'RegistrationName', who.name);
    if (who.legalRegistration) cbc(legal, 'CompanyID', who.legalRegistration);
  };
  party('AccountingSupplierParty', invoice.seller);
  party('AccountingCustomerParty', invoice.buyer);

  const means = cac(doc, 'PaymentMeans');
  cbc(means, 'PaymentMeansCode', invoice.payment.meansCode);
  cbc(means, 'PaymentID', invoice.payment.reference);
  const account = cac(means, 'PayeeFinancialAccount');
  cbc(account, 'ID', invoice.payment.iban);
  cbc(account, 'Name', invoice.payment.accountName);
  cbc(cac(account, 'FinancialInstitutionBranch'), 'ID', invoice.payment.bic);
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

  for (const line of invoice.lines) {
    const l = cac(doc, 'InvoiceLine');
    cbc(l, 'ID', line.id);
    cbc(l, 'InvoicedQuantity', String(line.quantity), { unitCode: 'C62' });
    amount(l, 'LineExtensionAmount', line.net);
    const item = cac(l, 'Item');
    cbc(item, 'Name', line.name);
    cbc(cac(item, 'SellersItemIdentification'), 'ID', line.sku);
    const category = cac(item, 'ClassifiedTaxCategory');
    const vat = invoice.vat[0]!;
    cbc(category, 'ID', vat.category);
    if (vat.category !== 'O') cbc(category, 'Percent', vat.rate);
    cbc(cac(category, 'TaxScheme'), 'ID', 'VAT');
    amount(cac(l, 'Price'), 'PriceAmount', line.price);
  }
  return doc.end({ prettyPrint: true });
}
