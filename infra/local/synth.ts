import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * What the synthesized template and bundles follow from: the app's sources (not the local stack's
 * own code, which runs from source), its lock file and settings. A content hash, so a checkout or a
 * touch without a change does not synthesize again.
 */
function sourcesFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): string[] =>
    readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return relative === path.join('infra', 'local') ? [] : walk(relative);
      return /\.(ts|mts|js|mjs|json|ttf|otf|woff2?)$/.test(entry.name) ? [relative] : [];
    });
  const files = [...['contract', 'functions', 'workflows', 'infra'].flatMap(walk), 'package-lock.json', 'cdk.json', 'tsconfig.json'].sort();
  for (const file of files) {
    if (!existsSync(path.join(projectRoot, file))) continue;
    hash.update(`${file}\0`).update(readFileSync(path.join(projectRoot, file))).update('\0');
  }
  for (const name of Object.keys(process.env).filter((key) => key.startsWith('CDK_CONTEXT') || key === 'STACK_NAME').sort()) hash.update(`${name}=${process.env[name]}\0`);
  return hash.digest('hex');
}

/**
 * Synthesizes the CDK app when its sources changed since the last synthesis (PO_SYNTH=1 always, 0
 * never; with none there yet, synthesize anyway).
 */
export function synthesizeIfChanged(options: { cdkOut: string; stackName: string; synth: 'auto' | 'always' | 'never' }, say: (line: string) => void): void {
  const fingerprintFile = path.join(options.cdkOut, '.sources.sha256');
  const fingerprint = sourcesFingerprint();
  const synthesized = existsSync(path.join(options.cdkOut, `${options.stackName}.template.json`));
  const upToDate = synthesized && existsSync(fingerprintFile) && readFileSync(fingerprintFile, 'utf8') === fingerprint;
  if (!synthesized || options.synth === 'always' || (options.synth === 'auto' && !upToDate)) {
    say('Synthesizing the CDK app (cdk synth)...');
    try {
      execFileSync(path.join(projectRoot, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '-c', 'demo=true', '--output', options.cdkOut], {
        cwd: projectRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      });
    } catch (error) {
      const output = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`cdk synth failed:\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`);
    }
  }
  if (options.synth !== 'never') writeFileSync(fingerprintFile, fingerprint);
}
