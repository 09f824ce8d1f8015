import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `npm run bench -- --documents [source]`: what printing an invoice costs, bundled as a function is
 * (minified CommonJS, fonts in `fonts/` beside the bundle). For a Latin-script buyer and a Japanese
 * one: a fresh process loading the bundle and printing its first invoice (the cold start plus the
 * first document), and the median of warm invoices after it; where the checkout has e-invoices, also
 * with the EN 16931 data built and written as UBL and CII, and as the Factur-X PDF. `source` is another checkout of the
 * product (e.g. a worktree of an older commit), to compare before and after a change.
 */
const buyers = {
  latin: { company: 'Müller Maschinenbau GmbH', country: 'DE', city: 'Köln', line1: 'Hauptstraße 5', description: 'Team licence, 1 year' },
  japanese: { company: '株式会社山田製作所', country: 'JP', city: '東京都千代田区', line1: '丸の内一丁目1番1号', description: '年間ライセンス（チーム版）' },
} as const;

/** The module at the first of these paths that exists in that checkout (modules moved between versions). */
const at = (source: string, ...candidates: string[]) => JSON.stringify(path.join(source, candidates.find((file) => existsSync(path.join(source, file))) ?? candidates[0]!));

/** What the invoice step does: print the PDF as before; also build the EN 16931 data kept with it (and decide its formats); print the Factur-X PDF (the CII written and embedded). */
type Mode = 'plain' | 'einvoice' | 'factur-x';
const hasEInvoices = (source: string) => existsSync(path.join(source, 'functions/einvoice/cii.ts'));

const entry = (source: string) => `
${hasEInvoices(source) ? `import { einvoiceOf } from ${JSON.stringify(path.join(source, 'functions/einvoice/model.ts'))};
import { formatsOf, writers } from ${JSON.stringify(path.join(source, 'functions/einvoice/formats.ts'))};` : ''}
import { documentContent } from ${at(source, 'functions/domain/documents.ts')};
import { placePurchaseOrder } from ${at(source, 'functions/domain/purchase-order/index.ts', 'functions/domain/purchase-order.ts')};
import { defaultPolicy } from ${at(source, 'contract/policy.ts', 'functions/domain/policy.ts')};
import { orderRequestSchema } from ${at(source, 'contract/order-request.ts', 'functions/domain/order-request.ts')};
import { exampleSellerProfile } from ${JSON.stringify(path.join(source, 'functions/domain/seller.ts'))};
import { renderDocumentPdf } from ${JSON.stringify(path.join(source, 'functions/adapters/pdf.ts'))};
const buyers = ${JSON.stringify(buyers)};
export async function invoice(kind, mode) {
  const b = buyers[kind];
  const order = orderRequestSchema.parse({ channel: 'cart', paymentMethod: 'purchase_order', customer: { id: 'c', type: 'business', company: b.company, email: 'ap@buyer.example' }, currency: 'EUR',
    lines: [{ sku: 'LIC-TEAM', description: b.description, quantity: 2, unitAmount: 10000, fulfilment: 'digital' }, { sku: 'SUP-1', description: 'Priority support', quantity: 1, unitAmount: 9950, fulfilment: 'digital' }],
    billingAddress: { line1: b.line1, city: b.city, postalCode: '10115', country: b.country } });
  const at = new Date('2026-11-23T10:00:00Z');
  const po = placePurchaseOrder({ id: 'P', reference: 'PO-2026-000042', order, policy: { ...defaultPolicy, reviewByDefault: false, cartMinimum: { EUR: 100 } }, actor: 'checkout', at });
  const content = documentContent(po, 'invoice', 'INV-2026-000042', at, po.payment.dueDate, exampleSellerProfile);
  if (mode === 'plain') return renderDocumentPdf(content);
  const data = einvoiceOf(po, { type: 'invoice', number: 'INV-2026-000042', issuedAt: at, dueDate: po.payment.dueDate }, exampleSellerProfile);
  if (mode === 'einvoice') return [await renderDocumentPdf(content), formatsOf(data)];
  return renderDocumentPdf(content, { facturX: (await writers()).toCii(data) });
}`;

async function bundle(source: string): Promise<{ file: string; kb: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'po-doc-bench-'));
  writeFileSync(path.join(dir, 'entry.ts'), entry(source));
  const noBrotli = path.join(source, 'functions/adapters/no-brotli');
  const result = await build({
    entryPoints: [path.join(dir, 'entry.ts')],
    outfile: path.join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    define: { 'import.meta.dirname': '__dirname' },
    ...(existsSync(noBrotli) ? { alias: { brotli: noBrotli }, external: ['fontkit'] } : {}),
    nodePaths: [path.join(source, 'node_modules')],
    metafile: true,
    logLevel: 'error',
  });
  // The fonts the function's asset carries, if this version prints in them.
  const fontList = path.join(source, 'functions/adapters/font-files.ts');
  if (existsSync(fontList)) {
    const { allFontFiles } = (await import(fontList)) as { allFontFiles: { pkg: string; file: string }[] };
    mkdirSync(path.join(dir, 'fonts'));
    for (const { pkg, file } of allFontFiles) copyFileSync(path.join(source, 'node_modules', pkg, 'fonts', file), path.join(dir, 'fonts', file));
    // The font engine as a file of its own beside the bundle, built as the function's asset builds it.
    const { fontkitBuildArgs } = (await import(path.join(source, 'infra/constructs/po-function.ts'))) as { fontkitBuildArgs: (root: string) => string[] };
    const built = spawnSync(path.join(source, 'node_modules/.bin/esbuild'), [path.join(source, 'node_modules/fontkit/dist/main.cjs'), ...fontkitBuildArgs(source), `--outfile=${path.join(dir, 'fontkit.cjs')}`], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(built.stderr);
  }
  const bytes = Object.values(result.metafile.outputs).reduce((total, output) => total + output.bytes, 0);
  return { file: path.join(dir, 'index.js'), kb: bytes / 1024 };
}

/** A fresh process: load the bundle, print one invoice; then `warm` more. Milliseconds. */
function run(file: string, kind: keyof typeof buyers, mode: Mode, warm: number): { load: number; first: number; warm: number[] } {
  const script = `
    const t0 = performance.now();
    const m = require(${JSON.stringify(file)});
    const t1 = performance.now();
    (async () => {
      await m.invoice(${JSON.stringify(kind)}, ${JSON.stringify(mode)});
      const t2 = performance.now();
      const times = [];
      for (let i = 0; i < ${warm}; i++) { const a = performance.now(); await m.invoice(${JSON.stringify(kind)}, ${JSON.stringify(mode)}); times.push(performance.now() - a); }
      console.log(JSON.stringify({ load: t1 - t0, first: t2 - t1, warm: times }));
    })();`;
  const out = spawnSync(process.execPath, ['-e', script], { cwd: path.dirname(file), encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as { load: number; first: number; warm: number[] };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function documentsBench(source: string): Promise<void> {
  const { file, kb } = await bundle(source);
  console.log(`documents bundle (pdf and its fonts' code): ${kb.toFixed(0)} KB, from ${source}`);
  console.log('buyer     printed as   load ms  first invoice ms  cold total ms  warm p50 ms   (median of 5 fresh processes; warm: 30 invoices each)');
  const modes: Mode[] = hasEInvoices(source) ? ['plain', 'einvoice', 'factur-x'] : ['plain'];
  for (const kind of Object.keys(buyers) as (keyof typeof buyers)[]) {
    for (const mode of modes) {
      const runs = Array.from({ length: 5 }, () => run(file, kind, mode, 30));
      const load = median(runs.map((r) => r.load));
      const first = median(runs.map((r) => r.first));
      const cold = median(runs.map((r) => r.load + r.first));
      const warm = median(runs.flatMap((r) => r.warm));
      console.log(`${kind.padEnd(9)} ${mode.padEnd(10)}  ${load.toFixed(0).padStart(7)}  ${first.toFixed(0).padStart(16)}  ${cold.toFixed(0).padStart(13)}  ${warm.toFixed(1).padStart(11)}`);
    }
  }
}
