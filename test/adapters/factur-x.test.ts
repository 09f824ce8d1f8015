import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { orderRequestSchema } from '../../contract/order-request.js';
import { defaultPolicy } from '../../contract/policy.js';
import { renderDocumentPdf } from '../../functions/adapters/pdf.js';
import { documentContent } from '../../functions/domain/documents.js';
import { placePurchaseOrder } from '../../functions/domain/purchase-order/index.js';
import { exampleSellerProfile } from '../../functions/domain/seller.js';
import { toCii } from '../../functions/einvoice/cii.js';
import { einvoiceOf } from '../../functions/einvoice/model.js';
import { validate } from '../support/en16931.js';
import { schemaErrors } from '../support/xsd.js';
import { sampleOrder } from '../support/fakes.js';
import { inkOnFirstPage } from '../support/pdf-pixels.js';
import { pdfText } from '../support/pdf-text.js';

/**
 * A Factur-X invoice as a buyer's software and a PDF reader see it, through poppler's tools: the XML
 * is an embedded file named factur-x.xml (pdfdetach), the XMP says PDF/A-3 and the Factur-X profile
 * (pdfinfo -meta), every font is in the file (pdffonts), and the page looks as the plain invoice does.
 */
const at = new Date('2026-12-01T10:00:00Z');
const order = orderRequestSchema.parse({ ...sampleOrder, currency: 'EUR', billingAddress: { ...sampleOrder.billingAddress, country: 'DE', city: 'Köln', postalCode: '50667' }, customer: { ...sampleOrder.customer, company: 'Müller & Söhne GmbH', taxId: 'DE987654321' } });
const po = placePurchaseOrder({
  id: 'PO1',
  reference: 'PO-2026-000042',
  order,
  policy: { ...defaultPolicy, cartMinimum: { EUR: 0 }, tax: { mode: 'exclusive', name: 'VAT', sellerCountry: 'DE', sellerTaxId: 'DE123456789', rates: { DE: 1900 }, reverseCharge: true, exemptCustomerTypes: [] } },
  actor: 'checkout',
  at,
});
const content = documentContent(po, 'invoice', 'INV-2026-000042', at, '2026-12-31', exampleSellerProfile);
const cii = toCii(einvoiceOf(po, { type: 'invoice', number: 'INV-2026-000042', issuedAt: at, dueDate: '2026-12-31' }, exampleSellerProfile));

function poppler(pdf: Uint8Array) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'factur-x-'));
  const file = path.join(dir, 'invoice.pdf');
  writeFileSync(file, pdf);
  const run = (tool: string, ...args: string[]) => execFileSync(tool, [...args, file], { cwd: dir }).toString('utf8');
  return { dir, run };
}

describe('a Factur-X invoice', () => {
  it('carries its CII as factur-x.xml, the very XML, valid by the CEN CII rules and by Factur-X\'s own schema and rules', { timeout: 120_000 }, async () => {
    const pdf = await renderDocumentPdf(content, { facturX: cii });
    const { dir, run } = poppler(pdf);
    expect(run('pdfdetach', '-list')).toMatch(/^1 embedded files\n1: factur-x\.xml\n$/);
    run('pdfdetach', '-save', '1', '-o', path.join(dir, 'out.xml'));
    const embedded = readFileSync(path.join(dir, 'out.xml'), 'utf8');
    expect(embedded).toBe(cii);
    expect(validate('cen-cii', embedded).fatal).toEqual([]);
    // And by what Factur-X itself publishes for its EN 16931 profile: its schema and its rules.
    expect(await schemaErrors('factur-x', [embedded])).toEqual([]);
    expect(validate('factur-x', embedded)).toEqual({ fatal: [], warnings: [] });
    expect(embedded).toContain(`<ram:GrandTotalAmount>${(po.total / 100).toFixed(2)}</ram:GrandTotalAmount>`);
  });

  it('says in its XMP that it is PDF/A-3b and Factur-X EN 16931, agreeing with the document information, and embeds every font', async () => {
    const pdf = await renderDocumentPdf(content, { facturX: cii });
    const { run } = poppler(pdf);
    const xmp = run('pdfinfo', '-meta');
    expect(xmp).toMatch(/<pdfaid:part>3<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(xmp).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>');
    expect(xmp).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
    expect(xmp).toContain('<fx:DocumentType>INVOICE</fx:DocumentType>');
    expect(xmp).toContain('<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>');
    const info = run('pdfinfo');
    expect(info).toMatch(/Title:\s+Invoice INV-2026-000042/);
    expect(xmp).toContain('<rdf:li xml:lang="x-default">Invoice INV-2026-000042</rdf:li>');
    expect(info).toMatch(/Producer:\s+po-workflow/);
    expect(xmp).toContain('<pdf:Producer>po-workflow</pdf:Producer>');
    expect(info).toMatch(/PDF version:\s+1\.7/);
    // Every font in the file (PDF/A allows no other): the "emb" column says yes on each row.
    const fonts = run('pdffonts').split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const row of fonts) expect(row.split(/\s+/).at(-5), row).toBe('yes');
    // An sRGB output intent and a file identifier.
    const raw = Buffer.from(pdf).toString('latin1');
    expect(raw).toMatch(/\/OutputIntents \[\s*<<[^>]*\/S \/GTS_PDFA1/);
    expect(raw).toMatch(/\/ID \[ <[0-9A-F]{32}> <[0-9A-F]{32}> \]/i);
    expect(raw).toMatch(/\/AFRelationship \/Alternative/);
  });

  it('still looks and reads like the plain invoice', async () => {
    const plain = await renderDocumentPdf(content);
    const hybrid = await renderDocumentPdf(content, { facturX: cii });
    expect((await pdfText(hybrid)).replace(/\s+/g, ' ')).toBe((await pdfText(plain)).replace(/\s+/g, ' '));
    // The same layout in an embedded typeface (Noto Sans for Helvetica): about as much ink on the page.
    const ink = { plain: inkOnFirstPage(plain, 'invoice-plain'), hybrid: inkOnFirstPage(hybrid, 'invoice-factur-x') };
    expect(ink.hybrid / ink.plain).toBeGreaterThan(0.8);
    expect(ink.hybrid / ink.plain).toBeLessThan(1.25);
  });
});
