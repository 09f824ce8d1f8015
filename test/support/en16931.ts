import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import SaxonJS from 'saxon-js';

/**
 * The official EN 16931 validation artefacts, run as their authors run them: the CEN rules
 * (ConnectingEurope/eInvoicing-EN16931, vendored under test/einvoice/rules/ with their licence) are
 * XSLT that answer SVRL. SaxonJS runs them; `xslt3` compiles each XSLT to a SEF once per version
 * (about 30 s), kept in node_modules/.cache: the test run's global setup does it, beside `cdk synth`,
 * so no test waits on it. A failed assert flagged `fatal` makes the invoice invalid; `warning` ones
 * are reported apart.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const rules = { 'cen-ubl': 'test/einvoice/rules/cen/EN16931-UBL-validation.xslt' } as const;
export type RuleSet = keyof typeof rules;

const compiled = new Map<RuleSet, unknown>();

/** Where a rule set's SEF is kept: named by the XSLT's hash, so new rules compile again. */
function sefFile(ruleSet: RuleSet): { xslt: string; file: string } {
  const xslt = path.join(root, rules[ruleSet]);
  const hash = createHash('sha256').update(readFileSync(xslt)).digest('hex').slice(0, 12);
  return { xslt, file: path.join(root, 'node_modules', '.cache', 'en16931', `${ruleSet}-${hash}.sef.json`) };
}

/** Compiles every rule set not compiled yet (each in a process of its own, side by side). */
export async function compileRules(): Promise<void> {
  await Promise.all(
    (Object.keys(rules) as RuleSet[]).map(async (ruleSet) => {
      const { xslt, file } = sefFile(ruleSet);
      if (existsSync(file)) return;
      mkdirSync(path.dirname(file), { recursive: true });
      await new Promise<void>((resolve, reject) =>
        execFile(process.execPath, [path.join(root, 'node_modules', 'xslt3', 'xslt3.js'), `-xsl:${xslt}`, `-export:${file}`, '-nogo', '-relocate:on'], (error) => (error ? reject(error) : resolve())),
      );
    }),
  );
}

function sef(ruleSet: RuleSet): unknown {
  const known = compiled.get(ruleSet);
  if (known) return known;
  const { file } = sefFile(ruleSet);
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
