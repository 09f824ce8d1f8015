import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mermaid } from '../../infra/diagram.js';
import { readAssembly } from '../../infra/local/assembly.js';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('the README', () => {
  it('draws the workflow that is synthesized (run `npm run diagram` after changing it)', () => {
    const definition = readAssembly(path.join(root, 'cdk.out'), 'PurchaseOrders').stateMachines[0]!.definition;
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const drawn = /```mermaid\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(drawn).toBe(mermaid(definition));
  });
});
