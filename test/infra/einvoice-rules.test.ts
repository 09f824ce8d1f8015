import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedSef, ruleSets } from '../support/en16931.js';

/** The compiled copies of the official e-invoice rules the repository keeps are those of the vendored sources, and only those. */
describe('the compiled e-invoice rules', () => {
  it('match the vendored sources and the compiler: after a change, `npm run einvoice:rules` writes them again', () => {
    for (const ruleSet of ruleSets()) expect(existsSync(committedSef(ruleSet)), `${path.basename(committedSef(ruleSet))}: run npm run einvoice:rules`).toBe(true);
    const folder = path.dirname(committedSef(ruleSets()[0]!));
    expect(readdirSync(folder).sort()).toEqual(ruleSets().map((ruleSet) => path.basename(committedSef(ruleSet))).sort());
  });
});
