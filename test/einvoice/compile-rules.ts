import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { committedSef, compileRules, ruleSets } from '../support/en16931.js';

/** `npm run einvoice:rules`: compiles the vendored rules and keeps the compiled copies in test/einvoice/compiled/ (stale ones removed). */
await compileRules({ commit: true });
const kept = new Set(ruleSets().map((ruleSet) => path.basename(committedSef(ruleSet))));
const folder = path.dirname(committedSef(ruleSets()[0]!));
for (const file of readdirSync(folder)) if (!kept.has(file)) rmSync(path.join(folder, file));
console.log(`compiled: ${[...kept].join(', ')}`);
