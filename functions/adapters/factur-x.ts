import { createHash } from 'node:crypto';
import { AFRelationship, PDFHexString, PDFName, PDFString, type PDFDocument } from 'pdf-lib';
import { XmlElement } from '../einvoice/xml.js';
import { srgbProfile } from './srgb-profile.js';

/**
 * Makes a PDF being laid out a Factur-X (= ZUGFeRD 2) invoice: PDF/A-3b with the invoice's CII as
 * the associated file `factur-x.xml`, and the XMP metadata that says both. pdf-lib writes the PDF
 * structure (the embedded file, its filespec and the catalog's /AF); this adds what PDF/A asks of
 * the file as a whole: every font embedded (the caller's Typesetter, in `embedded` mode), the XMP
 * stream agreeing with the document information, an sRGB output intent, and a file identifier.
 */
export interface FacturXInfo {
  title: string;
  subject: string;
  author: string;
  /** Creation and modification date, as the document information has them. */
  date: Date;
  /** The document's CII (EN 16931), embedded as factur-x.xml. */
  xml: string;
}

export const FACTUR_X_FILENAME = 'factur-x.xml';
const PRODUCER = 'po-workflow';

export async function makeFacturX(pdf: PDFDocument, info: FacturXInfo): Promise<void> {
  pdf.setProducer(PRODUCER);
  pdf.setCreator(PRODUCER);
  const xml = new TextEncoder().encode(info.xml);
  await pdf.attach(xml, FACTUR_X_FILENAME, {
    mimeType: 'text/xml',
    description: 'Factur-X invoice (EN 16931 profile), the structured data of this document',
    creationDate: info.date,
    modificationDate: info.date,
    // The XML says what the PDF shows: Factur-X's recommended relationship for the EN 16931 profile.
    afRelationship: AFRelationship.Alternative,
  });

  const metadata = pdf.context.stream(xmp(info), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(metadata));

  const profile = pdf.context.flateStream(srgbProfile(), { N: 3 });
  const intent = pdf.context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: pdf.context.register(profile),
  });
  pdf.catalog.set(PDFName.of('OutputIntents'), pdf.context.obj([intent]));

  // PDF/A wants a file identifier; the same document gives the same one.
  const id = PDFHexString.of(createHash('md5').update(info.title).update(xml).digest('hex'));
  pdf.context.trailerInfo.ID = pdf.context.obj([id, id]);
}

/** The XMP packet: PDF/A-3b, the Dublin Core and PDF properties as in the document information, and Factur-X's extension schema and values. */
function xmp(info: FacturXInfo): string {
  const date = info.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const meta = new XmlElement('x:xmpmeta', { 'xmlns:x': 'adobe:ns:meta/' });
  const rdf = meta.ele('rdf:RDF', { 'xmlns:rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#' });
  const description = (namespaces: Record<string, string>) => rdf.ele('rdf:Description', { 'rdf:about': '', ...Object.fromEntries(Object.entries(namespaces).map(([prefix, uri]) => [`xmlns:${prefix}`, uri])) });
  const pdfaid = description({ pdfaid: 'http://www.aiim.org/pdfa/ns/id/' });
  pdfaid.ele('pdfaid:part').txt('3');
  pdfaid.ele('pdfaid:conformance').txt('B');
  const dc = description({ dc: 'http://purl.org/dc/elements/1.1/' });
  dc.ele('dc:format').txt('application/pdf');
  dc.ele('dc:title').ele('rdf:Alt').ele('rdf:li', { 'xml:lang': 'x-default' }).txt(info.title);
  dc.ele('dc:creator').ele('rdf:Seq').ele('rdf:li').txt(info.author);
  dc.ele('dc:description').ele('rdf:Alt').ele('rdf:li', { 'xml:lang': 'x-default' }).txt(info.subject);
  description({ pdf: 'http://ns.adobe.com/pdf/1.3/' }).ele('pdf:Producer').txt(PRODUCER);
  const x = description({ xmp: 'http://ns.adobe.com/xap/1.0/' });
  x.ele('xmp:CreatorTool').txt(PRODUCER);
  x.ele('xmp:CreateDate').txt(date);
  x.ele('xmp:ModifyDate').txt(date);

  // PDF/A allows only known properties: Factur-X's fx: ones are declared by this extension schema.
  const schema = description({ pdfaExtension: 'http://www.aiim.org/pdfa/ns/extension/', pdfaSchema: 'http://www.aiim.org/pdfa/ns/schema#', pdfaProperty: 'http://www.aiim.org/pdfa/ns/property#' })
    .ele('pdfaExtension:schemas')
    .ele('rdf:Bag')
    .ele('rdf:li', { 'rdf:parseType': 'Resource' });
  schema.ele('pdfaSchema:schema').txt('Factur-X PDFA Extension Schema');
  schema.ele('pdfaSchema:namespaceURI').txt(FX_NS);
  schema.ele('pdfaSchema:prefix').txt('fx');
  const properties = schema.ele('pdfaSchema:property').ele('rdf:Seq');
  for (const [name, text] of [
    ['DocumentFileName', 'The name of the embedded XML document'],
    ['DocumentType', 'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER'],
    ['Version', 'The actual version of the standard applying to the embedded XML document'],
    ['ConformanceLevel', 'The conformance level of the embedded XML document'],
  ] as const) {
    const property = properties.ele('rdf:li', { 'rdf:parseType': 'Resource' });
    property.ele('pdfaProperty:name').txt(name);
    property.ele('pdfaProperty:valueType').txt('Text');
    property.ele('pdfaProperty:category').txt('external');
    property.ele('pdfaProperty:description').txt(text);
  }
  const fx = description({ fx: FX_NS });
  fx.ele('fx:DocumentType').txt('INVOICE');
  fx.ele('fx:DocumentFileName').txt(FACTUR_X_FILENAME);
  fx.ele('fx:Version').txt('1.0');
  fx.ele('fx:ConformanceLevel').txt('EN 16931');

  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n${meta.render()}\n<?xpacket end="w"?>`;
}

const FX_NS = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
