import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The CDK app as `cdk synth` and `cdk deploy` run it (infra/app.ts). */
describe('the app', () => {
  it('will not synthesize a deployment without the seller\'s sender and profile, and says what to set', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ mailFrom: 'orders@acme.example' }), CDK_OUTDIR: mkdtempSync(path.join(tmpdir(), 'synth-')) },
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Set -c sellerProfile='<JSON: the seller's legal name, address, tax id and bank details>'");
    expect(run.stderr).toContain('-c demo=true');
    expect(run.stderr).not.toContain('-c mailFrom');
  });
});
