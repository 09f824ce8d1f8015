import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { DocumentContent } from '../domain/documents.js';

/** Lays out a document as an A4 PDF with pdf-lib's standard fonts. */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const GREY = rgb(0.4, 0.4, 0.4);

export async function renderDocumentPdf(content: DocumentContent): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${content.title} ${content.number}`);
  pdf.setSubject(`${content.title} for ${content.reference}`);
  pdf.setAuthor(content.seller.name);
  pdf.setCreator('po-workflow');
  pdf.setCreationDate(new Date(`${content.issueDate}T00:00:00Z`));
  pdf.setModificationDate(new Date(`${content.issueDate}T00:00:00Z`));
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);

  let page = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const write = (text: string, x: number, font: PDFFont, size: number, color = rgb(0, 0, 0)) => {
    page.drawText(encodable(text, font), { x, y, font, size, color });
  };
  const newPageIfNeeded = (space: number) => {
    if (y - space < MARGIN) {
      page = pdf.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };

  write(content.seller.name, MARGIN, bold, 12);
  write(content.title.toUpperCase(), A4[0] - MARGIN - bold.widthOfTextAtSize(content.title.toUpperCase(), 18), bold, 18);
  y -= 14;
  for (const line of content.seller.lines) {
    write(line, MARGIN, regular, 9, GREY);
    y -= 11;
  }

  y -= 20;
  const facts: [string, string | null][] = [
    ['Number', content.number],
    ['Issue date', content.issueDate],
    ['Due date', content.dueDate],
    ['Order reference', content.reference],
    ['Your PO number', content.poNumber],
  ];
  const factsTop = y;
  for (const [label, value] of facts) {
    if (value === null) continue;
    write(`${label}:`, 330, bold, 10);
    write(value, 440, regular, 10);
    y -= 14;
  }
  y = factsTop;
  write('Bill to', MARGIN, bold, 10);
  y -= 14;
  write(content.buyer.name, MARGIN, regular, 10);
  y -= 13;
  for (const line of content.buyer.lines) {
    write(line, MARGIN, regular, 10);
    y -= 13;
  }
  y = Math.min(y, factsTop - facts.length * 14) - 24;

  // Text columns start at their x; number columns end at it (right-aligned, so wide amounts never meet).
  const columns = { description: MARGIN, sku: 250, quantity: 360, unit: 455, amount: A4[0] - MARGIN };
  const header = (p: PDFPage) => {
    write('Description', columns.description, bold, 10);
    write('SKU', columns.sku, bold, 10);
    rightAlign('Qty', columns.quantity, bold, 10);
    rightAlign('Unit price', columns.unit, bold, 10);
    rightAlign('Amount', columns.amount, bold, 10);
    y -= 6;
    p.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.5, color: GREY });
    y -= 14;
  };
  const rightAlign = (text: string, right: number, font: PDFFont, size: number) => {
    const safe = encodable(text, font);
    write(safe, right - font.widthOfTextAtSize(safe, size), font, size);
  };

  header(page);
  for (const row of content.rows) {
    const wrapped = wrap(encodable(row.description, regular), regular, 10, columns.sku - columns.description - 10);
    newPageIfNeeded(wrapped.length * 12 + 10);
    write(fit(encodable(row.sku, regular), regular, 10, 70), columns.sku, regular, 10);
    rightAlign(row.quantity, columns.quantity, regular, 10);
    rightAlign(row.unit, columns.unit, regular, 10);
    rightAlign(row.amount, columns.amount, regular, 10);
    for (const line of wrapped) {
      write(line, columns.description, regular, 10);
      y -= 12;
    }
    y -= 4;
  }
  newPageIfNeeded(60 + content.taxRows.length * 14);
  page.drawLine({ start: { x: 330, y: y + 6 }, end: { x: A4[0] - MARGIN, y: y + 6 }, thickness: 0.5, color: GREY });
  y -= 8;
  if (content.subtotal !== null) {
    // Net, then tax per rate, then the gross total: the rows add up to the total.
    write('Subtotal (net)', 330, regular, 10);
    rightAlign(content.subtotal, columns.amount, regular, 10);
    y -= 14;
    for (const row of content.taxRows) {
      write(fit(encodable(row.label, regular), regular, 10, 150), 330, regular, 10);
      rightAlign(row.amount, columns.amount, regular, 10);
      y -= 14;
    }
    y -= 2;
  }
  write('Total', 330, bold, 12);
  rightAlign(content.total, columns.amount, bold, 12);
  y -= 30;

  for (const note of content.notes) {
    for (const line of wrap(encodable(note, regular), regular, 9, A4[0] - 2 * MARGIN)) {
      newPageIfNeeded(14);
      write(line, MARGIN, regular, 9, GREY);
      y -= 12;
    }
    y -= 4;
  }

  return pdf.save({ useObjectStreams: false });
}

/** Standard PDF fonts cover WinAnsi only; anything else prints as '?' rather than failing the document. */
function encodable(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  return Array.from(text.normalize('NFC'), (char) => (supported.has(char.codePointAt(0) ?? 0) ? char : '?')).join('');
}

/** Shortens text with an ellipsis to fit a column. */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let cut = text;
  while (cut.length > 1 && font.widthOfTextAtSize(`${cut}...`, size) > width) cut = cut.slice(0, -1);
  return `${cut}...`;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    const candidate = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !current) {
      current = candidate;
    } else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}
