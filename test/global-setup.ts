import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The local stacks of the end-to-end tests run what `cdk synth` produces: synthesize once per run. */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const started = Date.now();
  execFileSync(path.join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  writeFileSync(path.join(root, 'cdk.out', 'package.json'), '{"type":"commonjs"}\n');
  console.log(`cdk synth: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
