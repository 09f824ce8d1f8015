import { PDFDocument, rgb, type Color, type PDFPage } from 'pdf-lib';
import type { DocumentContent } from '../domain/documents.js';
import { Typesetter, type Weight } from './fonts.js';

/** Lays out a document as an A4 PDF, in the fonts its text needs (fonts.ts). */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const GREY = rgb(0.4, 0.4, 0.4);
const BLACK = rgb(0, 0, 0);

/** How a document is printed: plain, or as a Factur-X invoice carrying its CII (PDF/A-3, fonts embedded). */
export interface PdfOptions {
  facturX?: string;
}

export async function renderDocumentPdf(content: DocumentContent, options: PdfOptions = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${content.title} ${content.number}`);
  pdf.setSubject(`${content.title} for ${content.reference}`);
  pdf.setAuthor(content.seller.name);
  pdf.setCreator('po-workflow');
  const issued = new Date(`${content.issueDate}T00:00:00Z`);
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);
  const type = await Typesetter.for(pdf, allText(content), content.buyer.country, { embedded: options.facturX !== undefined });

  let page = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const write = (text: string, x: number, weight: Weight, size: number, color: Color = BLACK) => type.draw(page, text, { x, y, size, weight, color });
  const rightAlign = (text: string, right: number, weight: Weight, size: number) => write(text, right - type.width(text, size, weight), weight, size);
  const newPageIfNeeded = (space: number) => {
    if (y - space < MARGIN) {
      page = pdf.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };

  const title = content.title.toUpperCase();
  const titleX = A4[0] - MARGIN - type.width(title, 18, 'bold');
  write(type.fit(content.seller.name, 12, 'bold', titleX - MARGIN - 10), MARGIN, 'bold', 12);
  write(title, titleX, 'bold', 18);
  y -= 14;
  for (const line of content.seller.lines) {
    write(type.fit(line, 9, 'regular', 260), MARGIN, 'regular', 9, GREY);
    y -= 11;
  }

  y -= 20;
  const facts: [string, string | null][] = [
    ['Number', content.number],
    ['Issue date', content.issueDate],
    ['Date of supply', content.supplyDate],
    ['Due date', content.dueDate],
    ['Order reference', content.reference],
    ['Your PO number', content.poNumber],
  ];
  const factsTop = y;
  let factsBottom = y;
  for (const [label, value] of facts) {
    if (value === null) continue;
    write(`${label}:`, 330, 'bold', 10);
    for (const line of type.wrap(value, 10, 'regular', A4[0] - MARGIN - 440)) {
      write(line, 440, 'regular', 10);
      y -= 12;
    }
    y -= 2;
  }
  factsBottom = y;
  y = factsTop;
  // The buyer's block keeps left of the facts: long names and addresses wrap.
  const buyerWidth = 330 - MARGIN - 15;
  write('Bill to', MARGIN, 'bold', 10);
  y -= 14;
  for (const line of type.wrap(content.buyer.name, 10, 'regular', buyerWidth)) {
    write(line, MARGIN, 'regular', 10);
    y -= 13;
  }
  for (const text of content.buyer.lines) {
    for (const line of type.wrap(text, 10, 'regular', buyerWidth)) {
      write(line, MARGIN, 'regular', 10);
      y -= 13;
    }
  }
  y = Math.min(y, factsBottom) - 24;

  // Text columns start at their x; number columns end at it (right-aligned, so wide amounts never meet).
  const columns = { description: MARGIN, sku: 250, quantity: 360, unit: 455, amount: A4[0] - MARGIN };
  const header = (p: PDFPage) => {
    write('Description', columns.description, 'bold', 10);
    write('SKU', columns.sku, 'bold', 10);
    rightAlign('Qty', columns.quantity, 'bold', 10);
    rightAlign('Unit price', columns.unit, 'bold', 10);
    rightAlign('Amount', columns.amount, 'bold', 10);
    y -= 6;
    p.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.5, color: GREY });
    y -= 14;
  };

  header(page);
  for (const row of content.rows) {
    const wrapped = type.wrap(row.description, 10, 'regular', columns.sku - columns.description - 10);
    newPageIfNeeded(wrapped.length * 12 + 10);
    write(type.fit(row.sku, 10, 'regular', 70), columns.sku, 'regular', 10);
    rightAlign(row.quantity, columns.quantity, 'regular', 10);
    rightAlign(row.unit, columns.unit, 'regular', 10);
    rightAlign(row.amount, columns.amount, 'regular', 10);
    for (const line of wrapped) {
      newPageIfNeeded(12);
      write(line, columns.description, 'regular', 10);
      y -= 12;
    }
    y -= 4;
  }
  newPageIfNeeded(60 + content.taxRows.length * 14);
  page.drawLine({ start: { x: 330, y: y + 6 }, end: { x: A4[0] - MARGIN, y: y + 6 }, thickness: 0.5, color: GREY });
  y -= 8;
  if (content.subtotal !== null) {
    // Net, then tax per rate, then the gross total: the rows add up to the total.
    write('Subtotal (net)', 330, 'regular', 10);
    rightAlign(content.subtotal, columns.amount, 'regular', 10);
    y -= 14;
    for (const row of content.taxRows) {
      write(type.fit(row.label, 10, 'regular', 150), 330, 'regular', 10);
      rightAlign(row.amount, columns.amount, 'regular', 10);
      y -= 14;
    }
    y -= 2;
  }
  write('Total', 330, 'bold', 12);
  rightAlign(content.total, columns.amount, 'bold', 12);
  y -= 30;

  for (const note of content.notes) {
    for (const line of type.wrap(note, 9, 'regular', A4[0] - 2 * MARGIN)) {
      newPageIfNeeded(14);
      write(line, MARGIN, 'regular', 9, GREY);
      y -= 12;
    }
    y -= 4;
  }

  if (options.facturX !== undefined) {
    // Loaded with the first Factur-X document: a plain PDF never loads the XML library.
    const { makeFacturX } = await import('./factur-x.js');
    await makeFacturX(pdf, { title: `${content.title} ${content.number}`, subject: `${content.title} for ${content.reference}`, author: content.seller.name, date: issued, xml: options.facturX });
  }
  return pdf.save({ useObjectStreams: false });
}

/** Every text the document prints: which scripts (and so which fonts) it needs. */
function allText(content: DocumentContent): string {
  return [
    content.title,
    content.number,
    content.reference,
    content.poNumber ?? '',
    content.seller.name,
    ...content.seller.lines,
    content.buyer.name,
    ...content.buyer.lines,
    ...content.rows.flatMap((row) => [row.description, row.sku, row.unit, row.amount]),
    ...content.taxRows.flatMap((row) => [row.label, row.amount]),
    content.total,
    ...content.notes,
  ].join('\n');
}
