import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

/**
 * The schemas of the syntaxes, vendored under test/einvoice/schemas/ (see the README there): the
 * UBL 2.1 Invoice and CreditNote schemas (OASIS) and the UN/CEFACT CII D16B schema as CEN publishes
 * it for EN 16931, and Factur-X's own schema of its EN 16931 profile (FNFE-MPE's, narrower: only the
 * elements the profile has). xmllint, compiled to WebAssembly, checks
 * what the rules do not: every element where the schema allows it, in its order, of its type.
 */
const folder = path.resolve(import.meta.dirname, '..', 'einvoice', 'schemas');
const schemas = {
  'ubl-invoice': { dir: 'ubl-2.1', main: 'maindoc/UBL-Invoice-2.1.xsd' },
  'ubl-credit-note': { dir: 'ubl-2.1', main: 'maindoc/UBL-CreditNote-2.1.xsd' },
  cii: { dir: 'cii-d16b', main: 'CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd' },
  'factur-x': { dir: 'factur-x-en16931', main: 'Factur-X_EN16931.xsd' },
} as const;
export type Schema = keyof typeof schemas;

const files = new Map<string, XMLFileInfo[]>();
function filesOf(dir: string): XMLFileInfo[] {
  let known = files.get(dir);
  if (!known) {
    const root = path.join(folder, dir);
    known = (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
      .filter((entry) => entry.isFile() && entry.name.endsWith('.xsd'))
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return { fileName: path.relative(root, file), contents: readFileSync(file, 'utf8') };
      });
    files.set(dir, known);
  }
  return known;
}

/** The schema errors of documents, each prefixed by its index in the list: none when all are valid. One schema load for all of them. */
export async function schemaErrors(schema: Schema, documents: readonly string[]): Promise<string[]> {
  const { dir, main } = schemas[schema];
  const all = filesOf(dir);
  const result = await validateXML({
    xml: documents.map((contents, index) => ({ fileName: path.posix.join(path.posix.dirname(main), `document-${index}.xml`), contents })),
    schema: all.find((file) => file.fileName === main)!,
    preload: all.filter((file) => file.fileName !== main),
    maxMemoryPages: 4096,
  });
  return result.errors.map((error) => error.rawMessage.replace(/^.*document-(\d+)\.xml/, 'document $1'));
}
