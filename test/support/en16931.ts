import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
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
} as const;
export type RuleSet = keyof typeof rules;
const schxslt = `${folder}/schxslt/pipeline-for-svrl.xsl`;

const compiled = new Map<RuleSet, unknown>();

/** Where a rule set's SEF is kept: named by its sources' hash, so new rules compile again. */
function sefFile(ruleSet: RuleSet): string {
  const rule = rules[ruleSet];
  const sources = 'xslt' in rule ? [rule.xslt] : [rule.schematron, ...rule.includes, schxslt];
  const hash = createHash('sha256');
  for (const source of sources) hash.update(readFileSync(path.join(root, source)));
  return path.join(root, 'node_modules', '.cache', 'en16931', `${ruleSet}-${hash.digest('hex').slice(0, 12)}.sef.json`);
}

const xslt3 = (args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [path.join(root, 'node_modules', 'xslt3', 'xslt3.js'), ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, _out, stderr) =>
      error ? reject(new Error(`xslt3 ${args.join(' ')}: ${stderr || error.message}`)) : resolve(),
    ),
  );

/** Compiles every rule set not compiled yet (each in a process of its own, side by side). */
export async function compileRules(): Promise<void> {
  await Promise.all(
    (Object.keys(rules) as RuleSet[]).map(async (ruleSet) => {
      const file = sefFile(ruleSet);
      if (existsSync(file)) return;
      mkdirSync(path.dirname(file), { recursive: true });
      const rule = rules[ruleSet];
      let stylesheet: string;
      if ('xslt' in rule) stylesheet = path.join(root, rule.xslt);
      else {
        // Schematron to XSLT with SchXslt (its includes resolve beside the source), then as any XSLT.
        stylesheet = file.replace(/\.sef\.json$/, '.xsl');
        await xslt3([`-xsl:${path.join(root, schxslt)}`, `-s:${path.join(root, rule.schematron)}`, `-o:${stylesheet}`]);
      }
      await xslt3([`-xsl:${stylesheet}`, `-export:${file}`, '-nogo', '-relocate:on']);
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
  const result = SaxonJS.transform({ stylesheetInternal: sef(ruleSet), sourceText: xml, destination: 'serialized' }, 'sync') as { principalResult: string };
  const verdict: Verdict = { fatal: [], warnings: [] };
  for (const match of result.principalResult.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(match[1]!)?.[1] ?? '';
    const text = /<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(match[2]!)?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
    (attribute('flag') === 'fatal' ? verdict.fatal : verdict.warnings).push(`${attribute('id')}: ${text}`);
  }
  return verdict;
}
