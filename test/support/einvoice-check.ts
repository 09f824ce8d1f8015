import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { minorDigits, toDecimalString } from '../../functions/domain/money.js';
import type { EInvoice } from '../../functions/einvoice/model.js';
import { formatsOf } from '../../functions/einvoice/formats.js';
import { writeXml } from '../../functions/einvoice/write.js';
import { validate, type RuleSet } from './en16931.js';

/**
 * Every invoice and credit note a running stack has issued, checked in every format it has by the
 * official rules: the UBL by CEN (and Peppol when it claims Peppol), the XRechnung by XRechnung and
 * CEN, the CII by CEN's CII rules, and the CII inside a Factur-X PDF the same way and by Factur-X's
 * own rules of its EN 16931 profile (FNFE-MPE's); and each says the
 * total the PO recorded for the document. The e2e files' stacks run it as they stop (LocalStack.stop),
 * so whatever documents their tests made are checked, and a document checked once is not again.
 */
export async function checkIssuedEInvoices(dynamodb: string, checked: Set<string>): Promise<number> {
  const client = new DynamoDBClient({ endpoint: dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const [table] = (await client.send(new ListTablesCommand({}))).TableNames!;
    const db = DynamoDBDocumentClient.from(client);
    const totals = new Map<string, number>();
    const documents: { key: string; number: string; einvoice: EInvoice | null; pdf: Uint8Array }[] = [];
    for await (const page of paginateScan({ client: db }, { TableName: table!, FilterExpression: 'begins_with(sk, :doc) OR sk = :po', ExpressionAttributeValues: { ':doc': 'DOC#', ':po': 'PO' } })) {
      for (const item of page.Items ?? []) {
        if (item.sk === 'PO') for (const doc of (item.po as { documents: { id: string; total: number }[] }).documents) totals.set(`${item.pk}/${doc.id}`, doc.total);
        else if (item.type !== 'proforma' && !checked.has(`${item.pk}/${item.id}`)) documents.push({ key: `${item.pk}/${item.id}`, number: item.number, einvoice: item.einvoice ?? null, pdf: item.pdf });
      }
    }
    const failures: string[] = [];
    for (const doc of documents) {
      checked.add(doc.key);
      if (!doc.einvoice) continue;
      const verdicts: [string, RuleSet, string][] = [];
      for (const format of formatsOf(doc.einvoice)) {
        const { xml } = writeXml(doc.einvoice, format);
        if (format === 'cii') verdicts.push([format, 'cen-cii', xml]);
        else {
          verdicts.push([format, 'cen-ubl', xml]);
          if (format === 'xrechnung') verdicts.push([format, 'xrechnung', xml]);
          else if (xml.includes('urn:fdc:peppol.eu:2017:poacc:billing:3.0')) verdicts.push([format, 'peppol', xml]);
        }
      }
      const facturX = await embeddedFacturX(doc.pdf);
      if (facturX) verdicts.push(['factur-x', 'cen-cii', facturX], ['factur-x', 'factur-x', facturX]);
      for (const [format, rules, xml] of verdicts) {
        const { fatal } = validate(rules, xml);
        if (fatal.length) failures.push(`${doc.number} as ${format} by ${rules}: ${fatal.join('; ')}`);
      }
      const total = totals.get(doc.key);
      if (total !== undefined) {
        // As the e-invoice writes it: a 3-decimal currency with 2 (only exact amounts have an e-invoice).
        const extra = minorDigits(doc.einvoice.currency) - 2;
        const written = toDecimalString(total, doc.einvoice.currency);
        const expected = extra > 0 ? written.slice(0, -extra) : written;
        if (doc.einvoice.totals.withVat !== expected) failures.push(`${doc.number}: its e-invoice says ${doc.einvoice.totals.withVat} ${doc.einvoice.currency}, the PO ${expected}`);
      }
    }
    if (failures.length) throw new Error(`e-invoices that fail the official rules or disagree with their PO:\n${failures.join('\n')}`);
    return documents.length;
  } finally {
    client.destroy();
  }
}

/** The factur-x.xml inside a PDF, if it has one. */
async function embeddedFacturX(pdf: Uint8Array): Promise<string | null> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)?.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (!names) return null;
  const spec = names.lookup(1, PDFDict);
  const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F')) as PDFRawStream;
  return new TextDecoder().decode(decodePDFRawStream(stream).decode());
}
