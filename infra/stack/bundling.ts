/**
 * How every Seatkeeper function is bundled. The CDK stack (NodejsFunction) and
 * bench/bundleSizes.ts (esbuild's API) both derive their options from the
 * settings below, so what the bench measures is what the stack deploys
 * (test/infra/bundling.test.ts compares the two byte for byte).
 */
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is infra/stack/bundling.ts): function entries are relative to it. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The newest Node.js runtime aws-cdk-lib offers; our code targets Node 22+. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

const bundlingSettings = {
  /** esbuild target, derived from the runtime ("nodejs24.x" → "node24"). */
  target: LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
  format: OutputFormat.ESM,
  minify: true,
  sourcemap: true,
  /** ESM entry points first: the SDK v3 and Powertools ship ESM builds that tree-shake better. */
  mainFields: ['module', 'main'],
  /**
   * ESM output has no `require`; a CommonJS dependency that calls it for a Node
   * built-in would fail at runtime with "Dynamic require of … is not supported".
   * No current dependency does, but the shim costs ~80 bytes and keeps the next
   * dependency (csv-parse, lib-storage, …) from breaking only in Lambda.
   */
  banner: "import{createRequire as __seatkeeperCreateRequire}from'node:module';const require=__seatkeeperCreateRequire(import.meta.url);",
  /**
   * Nothing is external: the AWS SDK v3 clients are bundled rather than taken
   * from the Lambda runtime, so production runs the exact SDK versions the tests
   * run (the runtime's copy changes under us without a deploy), and esbuild
   * keeps only the clients and commands each function imports.
   */
  external: [] as string[],
} as const;

/** Options for NodejsFunction (local esbuild; Docker is never used). */
export function nodejsBundlingOptions(): BundlingOptions {
  return {
    format: bundlingSettings.format,
    target: bundlingSettings.target,
    minify: bundlingSettings.minify,
    sourceMap: bundlingSettings.sourcemap,
    mainFields: [...bundlingSettings.mainFields],
    banner: bundlingSettings.banner,
    bundleAwsSDK: true,
    externalModules: [...bundlingSettings.external],
    forceDockerBundling: false,
    // Only problems on the console during synth (esbuild's size summary is what bench/bundleSizes.ts is for).
    logLevel: LogLevel.WARNING,
  };
}

/** The same bundle through esbuild's API (NodejsFunction writes `index.mjs` for ESM). */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: bundlingSettings.format,
    target: bundlingSettings.target,
    minify: bundlingSettings.minify,
    sourcemap: bundlingSettings.sourcemap,
    mainFields: [...bundlingSettings.mainFields],
    banner: { js: bundlingSettings.banner },
    external: [...bundlingSettings.external],
    outfile: `${outdir}/index.mjs`,
  };
}
