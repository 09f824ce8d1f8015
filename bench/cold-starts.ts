import { statSync } from 'node:fs';
import * as path from 'node:path';
import { readAssembly } from '../infra/local/assembly.js';
import { coldStart, percentile } from './measure.js';

/**
 * `npm run bench -- --cold` (and step 4 of the whole bench): each function's bundle and its cold
 * start, the median of three fresh processes loading the bundle and serving a first call. An API
 * function is called with one of its routes (the first in the template), so its router and that
 * route's handler are built as on a first request.
 */
export async function coldStarts(root: string): Promise<{ maxBundle: number; maxInit: number }> {
  const assembly = readAssembly(path.join(root, 'cdk.out'), 'PurchaseOrders');
  console.log('\nfunction                          bundle KB   cold start ms');
  let maxBundle = 0;
  let maxInit = 0;
  const seen = new Set<string>();
  for (const fn of assembly.functions) {
    if (seen.has(fn.file)) continue; // one bundle serves several task functions
    seen.add(fn.file);
    const size = statSync(fn.file).size;
    const route = assembly.routes.find((r) => r.functionName === fn.name);
    const event = { httpMethod: route?.method ?? 'GET', resource: route?.resourcePath ?? '/', path: route?.resourcePath ?? '/', headers: {}, pathParameters: null, body: null };
    const starts: number[] = [];
    for (let i = 0; i < 3; i += 1) starts.push(await coldStart(fn.file, fn.exportName, event));
    const init = percentile(starts, 50);
    maxBundle = Math.max(maxBundle, size / 1024);
    maxInit = Math.max(maxInit, init);
    console.log(`${fn.logicalId.slice(0, 32).padEnd(32)}  ${(size / 1024).toFixed(0).padStart(9)}   ${init.toFixed(0).padStart(13)}`);
  }
  return { maxBundle, maxInit };
}
