import * as path from 'node:path';
import { readAssembly } from './local/assembly.js';
import { mermaid } from './diagram.js';

const cdkOut = path.resolve(import.meta.dirname, '..', 'cdk.out');
console.log(mermaid(readAssembly(cdkOut, process.env.STACK_NAME ?? 'PurchaseOrders').stateMachines[0]!.definition));
