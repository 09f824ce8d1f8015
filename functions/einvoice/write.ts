import type { EInvoiceFormat, XmlFormat } from '../../contract/einvoice.js';
import { toCii } from './cii.js';
import type { EInvoice } from './model.js';
import { toUbl } from './ubl.js';

/** A document written in one XML format, with the name its file goes by. */
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

/** The XML a customer's email carries for their chosen format; Factur-X and none carry no separate XML. */
export function xmlForCustomer(invoice: EInvoice, format: EInvoiceFormat): WrittenXml | null {
  if (format === 'peppol') return writeXml(invoice, 'ubl');
  if (format === 'xrechnung' || format === 'cii') return writeXml(invoice, format);
  return null;
}

export { toCii, toUbl };
