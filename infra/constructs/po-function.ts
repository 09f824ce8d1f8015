import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { allFontFiles } from '../../functions/adapters/font-files.js';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * A function that prints documents carries the font files in its asset's `fonts/` folder, and the font
 * engine (fontkit, loaded only for documents Helvetica cannot print) as a file of its own beside the
 * bundle, so a cold start does not parse it. fontkit's WOFF2 decoder (brotli, 500 KB) is left out:
 * the fonts are TTF and OTF.
 */
const fontBundling = {
  externalModules: ['fontkit'],
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      `mkdir -p "${outputDir}/fonts"`,
      ...allFontFiles.map(({ pkg, file }) => `cp "${path.join(inputDir, 'node_modules', pkg, 'fonts', file)}" "${outputDir}/fonts/${file}"`),
      `"${path.join(inputDir, 'node_modules', '.bin', 'esbuild')}" "${path.join(inputDir, 'node_modules', 'fontkit', 'dist', 'main.cjs')}" ${fontkitBuildArgs(inputDir).join(' ')} --outfile="${outputDir}/fontkit.cjs"`,
    ],
  },
};

/** How the font engine's own file is built (also by the benchmark): one minified CommonJS file, without brotli. */
export const fontkitBuildArgs = (root: string) => ['--bundle', '--platform=node', '--target=node20', '--format=cjs', '--minify', '--log-level=warning', `--alias:brotli=${path.join(root, 'functions', 'adapters', 'no-brotli')}`];

export interface PoFunctionProps {
  /** Source file under functions/, relative to the project root. */
  entry: string;
  /** Exported handler name in that file. */
  handler?: string;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  /** Prints documents: carries the font files (read on first need, so they cost no cold start). */
  fonts?: boolean;
}

/**
 * Every function of the product: one runtime, architecture, tracing, log retention and bundling.
 * What it may use (environment and grants) is bound afterwards, in one call (constructs/bindings.ts).
 * The bundle targets Node 20 so the same file runs on Lambda and on the local stack.
 */
export class PoFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PoFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    // Its own role: write to its own log group, nothing else until the stack grants it more.
    const role = new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: path.join(projectRoot, props.entry),
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      bundling: {
        target: 'node20',
        format: OutputFormat.CJS,
        minify: true,
        externalModules: props.fonts ? fontBundling.externalModules : [],
        // The SDK's ES modules tree-shake; its CommonJS builds pull in every command of a client.
        mainFields: ['module', 'main'],
        // Handlers are named per function; keep names readable in stack traces.
        keepNames: true,
        // Code that finds files beside itself (the fonts) reads import.meta.dirname; in CommonJS that is __dirname.
        define: { 'import.meta.dirname': '__dirname' },
        ...(props.fonts ? { commandHooks: fontBundling.commandHooks } : {}),
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords take no resource-level scoping.',
    });
  }
}
