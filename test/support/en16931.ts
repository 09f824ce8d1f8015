import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import SaxonJS from 'saxon-js';

/**
 * The official EN 16931 validation artefacts, run as their authors run them (vendored under
 * test/einvoice/rules/ with their licences, see its README):
 * - the CEN rules (ConnectingEurope/eInvoicing-EN16931) for UBL and CII, published as XSLT;
 * - the Peppol BIS Billing 3.0 rules (OpenPEPPOL) and the XRechnung rules (KoSIT), published as
 *   Schematron: SchXslt's pipeline turns each into XSLT first.
 * All answer SVRL. SaxonJS runs them; `xslt3` compiles each XSLT to a SEF once per version (about
 * 30 s for CEN), kept in node_modules/.cache: the test run's global setup does it, beside `cdk synth`,
 * so no test waits on it. A failed assert flagged `fatal` makes the invoice invalid; `warning` ones
 * are reported apart.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const folder = 'test/einvoice/rules';
const rules = {
  'cen-ubl': { xslt: `${folder}/cen/EN16931-UBL-validation.xslt` },
  'cen-cii': { xslt: `${folder}/cen/EN16931-CII-validation.xslt` },
  peppol: { schematron: `${folder}/peppol/PEPPOL-EN16931-UBL.sch`, includes: [] },
  xrechnung: { schematron: `${folder}/xrechnung/ubl/XRechnung-UBL-validation.sch`, includes: [`${folder}/xrechnung/common.sch`] },
  // FNFE-MPE's rules of the Factur-X EN 16931 profile, published as XSLT; they read their code lists
  // from a file beside them, and flag nothing fatal: every failed assert but a `warning` is an error.
  'factur-x': { xslt: `${folder}/factur-x/Factur-X_1.09_EN16931.xsl`, beside: [`${folder}/factur-x/FACTUR-X_EN16931_codedb.xml`], unflaggedIsFatal: true },
} as const;
export type RuleSet = keyof typeof rules;
const schxslt = `${folder}/schxslt/pipeline-for-svrl.xsl`;

const compiled = new Map<RuleSet, unknown>();

const xslt3Version = (JSON.parse(readFileSync(path.join(root, 'node_modules', 'xslt3', 'package.json'), 'utf8')) as { version: string }).version;

/** A rule set's SEF is named by the hash of its sources and of the compiler, so new rules compile again. */
function sefName(ruleSet: RuleSet): string {
  const rule = rules[ruleSet];
  const sources = 'xslt' in rule ? [rule.xslt, ...besideOf(ruleSet)] : [rule.schematron, ...rule.includes, schxslt];
  const hash = createHash('sha256').update(`xslt3 ${xslt3Version}\n`);
  for (const source of sources) hash.update(readFileSync(path.join(root, source)));
  return `${ruleSet}-${hash.digest('hex').slice(0, 12)}.sef.json`;
}
/** Files the rules read as they run (document()), kept beside the SEF. */
const besideOf = (ruleSet: RuleSet): readonly string[] => {
  const rule = rules[ruleSet];
  return 'beside' in rule ? rule.beside : [];
};
/** Where the tests read it from. */
const sefFile = (ruleSet: RuleSet) => path.join(root, 'node_modules', '.cache', 'en16931', sefName(ruleSet));
/**
 * The SEFs as the repository keeps them, gzipped (about 580 KB for all five): compiling them takes
 * about 120 s of CPU, which every clean checkout would pay. `npm run einvoice:rules` writes them again
 * after the rules change; a test checks that each matches its sources.
 */
export const committedSef = (ruleSet: RuleSet) => path.join(root, folder, 'compiled', `${sefName(ruleSet)}.gz`);
export const ruleSets = () => Object.keys(rules) as RuleSet[];

const xslt3 = (args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [path.join(root, 'node_modules', 'xslt3', 'xslt3.js'), ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, _out, stderr) =>
      error ? reject(new Error(`xslt3 ${args.join(' ')}: ${stderr || error.message}`)) : resolve(),
    ),
  );

/**
 * Makes every rule set's SEF ready: from the repository's compiled copy when it matches the sources,
 * else compiled (each in a process of its own, side by side). `commit` also writes the compiled copies.
 */
export async function compileRules(options: { commit?: boolean } = {}): Promise<void> {
  await Promise.all(
    ruleSets().map(async (ruleSet) => {
      const file = sefFile(ruleSet);
      mkdirSync(path.dirname(file), { recursive: true });
      if (!existsSync(file) && existsSync(committedSef(ruleSet)) && !options.commit) writeFileSync(file, gunzipSync(readFileSync(committedSef(ruleSet))));
      if (!existsSync(file) || options.commit) {
        const rule = rules[ruleSet];
        let stylesheet: string;
        if ('xslt' in rule) stylesheet = path.join(root, rule.xslt);
        else {
          // Schematron to XSLT with SchXslt (its includes resolve beside the source), then as any XSLT.
          stylesheet = file.replace(/\.sef\.json$/, '.xsl');
          await xslt3([`-xsl:${path.join(root, schxslt)}`, `-s:${path.join(root, rule.schematron)}`, `-o:${stylesheet}`]);
        }
        await xslt3([`-xsl:${stylesheet}`, `-export:${file}`, '-nogo', '-relocate:on']);
      }
      for (const source of besideOf(ruleSet)) copyFileSync(path.join(root, source), path.join(path.dirname(file), path.basename(source)));
      if (options.commit) {
        mkdirSync(path.dirname(committedSef(ruleSet)), { recursive: true });
        writeFileSync(committedSef(ruleSet), gzipSync(readFileSync(file), { level: 9 }));
      }
    }),
  );
}

function sef(ruleSet: RuleSet): unknown {
  const known = compiled.get(ruleSet);
  if (known) return known;
  const file = sefFile(ruleSet);
  if (!existsSync(file)) throw new Error(`the ${ruleSet} rules are not compiled: the test run's global setup compiles them (compileRules)`);
  const loaded = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  compiled.set(ruleSet, loaded);
  return loaded;
}

export interface Verdict {
  /** Rule ids and texts of the fatal asserts that failed: none for a valid invoice. */
  fatal: string[];
  warnings: string[];
}

export function validate(ruleSet: RuleSet, xml: string): Verdict {
  const result = SaxonJS.transform({ stylesheetInternal: sef(ruleSet), stylesheetBaseURI: pathToFileURL(sefFile(ruleSet)).href, sourceText: xml, destination: 'serialized' }, 'sync') as {
    principalResult: string;
  };
  const rule = rules[ruleSet];
  const fatalFlag = (flag: string) => flag === 'fatal' || ('unflaggedIsFatal' in rule && rule.unflaggedIsFatal && flag !== 'warning');
  const verdict: Verdict = { fatal: [], warnings: [] };
  for (const match of result.principalResult.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(match[1]!)?.[1] ?? '';
    const text = /<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(match[2]!)?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
    (fatalFlag(attribute('flag')) ? verdict.fatal : verdict.warnings).push(`${attribute('id')}: ${text}`);
  }
  return verdict;
}
