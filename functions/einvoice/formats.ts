import { type EInvoiceFormat, xmlFormat, type XmlFormat } from '../../contract/einvoice.js';
import type { Policy } from '../../contract/policy.js';
import { toCii } from './cii.js';
import type { EInvoice } from './model.js';
import { NoEInvoiceError } from './parties.js';
import { defaultUblProfile, toUbl, unavailableIn } from './ubl.js';

/**
 * The XML a document is offered in, by the name the API's `?format=` and the links use:
 * - `ubl`: UBL 2.1, as Peppol BIS Billing 3.0 where both parties have a Peppol address, else plain EN 16931;
 * - `xrechnung`: UBL 2.1 as XRechnung 3.0 (a German public buyer's Leitweg-ID as the buyer reference);
 * - `cii`: UN/CEFACT CII, as Factur-X and ZUGFeRD carry it.
 */
export const xmlFormats = xmlFormat.options;
export type { XmlFormat };

export interface WrittenXml {
  xml: string;
  filename: string;
}

/** The document in that format, or a NoEInvoiceError that says why it has none. */
export function writeXml(invoice: EInvoice, format: XmlFormat): WrittenXml {
  switch (format) {
    case 'ubl':
      return { xml: toUbl(invoice), filename: `${invoice.number}.xml` };
    case 'xrechnung':
      return { xml: toUbl(invoice, 'xrechnung'), filename: `${invoice.number}-xrechnung.xml` };
    case 'cii':
      return { xml: toCii(invoice), filename: `${invoice.number}-cii.xml` };
  }
}

/** The formats this document has: what the console and the events link. */
export function formatsOf(invoice: EInvoice): XmlFormat[] {
  return xmlFormats.filter((format) => format !== 'xrechnung' || !unavailableIn(invoice, 'xrechnung'));
}

/** The XML a customer's email carries for their chosen format; Factur-X and none carry no separate XML. */
export function xmlForCustomer(invoice: EInvoice, format: EInvoiceFormat): WrittenXml | null {
  if (format === 'peppol') return writeXml(invoice, 'ubl');
  if (format === 'xrechnung' || format === 'cii') return writeXml(invoice, format);
  return null;
}

/** The e-invoice a customer asked for: on their order, else as the policy has it for them, else none. */
export function customerFormat(customer: { id: string; einvoiceFormat?: EInvoiceFormat | undefined }, policy: Pick<Policy, 'customers'>): EInvoiceFormat {
  return customer.einvoiceFormat ?? policy.customers[customer.id]?.einvoiceFormat ?? 'none';
}

/** Whether a document's PDF is the Factur-X hybrid: the seller prints all so, or the customer asked for it. */
export function printsFacturX(policy: Pick<Policy, 'einvoicing'>, format: EInvoiceFormat): boolean {
  return policy.einvoicing.pdf === 'factur-x' || format === 'factur-x';
}

export { defaultUblProfile, NoEInvoiceError };
