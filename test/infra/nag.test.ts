import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PurchaseOrderStack } from '../../infra/po-stack.js';

/** cdk-nag's AwsSolutions pack over the whole stack: clean, with each remaining finding acknowledged with its reason. */
function violations(build: (app: App) => void): { rule: string; path: string }[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'nag-'));
  const app = new App({ outdir });
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch {
    // Synthesis refuses an app with violations; the report says which.
  }
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return report.pluginReports.flatMap((r) => r.violations.flatMap((v) => v.violatingConstructs.map((c) => ({ rule: v.ruleName, path: c.constructPath }))));
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    expect(violations((app) => new PurchaseOrderStack(app, 'Nag', { mailFrom: 'orders@seller.example' }))).toEqual([]);
  }, 120_000);

  it('is really checking (a bare secret is flagged)', () => {
    const found = violations((app) => new secretsmanager.Secret(new Stack(app, 'Control'), 'Bare'));
    expect(found).toContainEqual({ rule: 'AwsSolutions-SMG4', path: 'Control/Bare/Resource' });
  });
});
