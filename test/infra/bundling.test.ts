/**
 * The function bundles: what the stack stages for Lambda is byte for byte what
 * bench/bundleSizes.ts measures (one set of esbuild options), the bundles are
 * self-contained ESM that load and export `handler`, and each carries only the
 * SDK clients its function uses.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleSizeMarkdown, measureBundles, type BundleSizeRow, type FunctionBundle } from '../../bench/bundleSizes.ts';
import { allFunctionSpecs, notifySpec, type FunctionSpec } from '../../functions/manifest.ts';
import { logicalId, synthesize, type Synthesized } from './synth.ts';

/** What loading a staged bundle in plain Node gave: `typeof handler`, or why it failed. */
type BundleLoad = { handler: string } | { error: string };

const LOADS_MARKER = 'seatkeeper-bundle-loads:';
/**
 * Imports each staged index.mjs in turn (argv[1]: [name, path] pairs) and prints one marked
 * line of results. Plain Node, no vitest transform: the files load as Lambda would load them.
 */
const LOAD_SCRIPT = `
import { pathToFileURL } from 'node:url';
const loads = {};
for (const [name, path] of JSON.parse(process.argv[1])) {
  try {
    const loaded = await import(pathToFileURL(path).href);
    loads[name] = { handler: typeof loaded.handler };
  } catch (error) {
    loads[name] = { error: String(error?.stack ?? error) };
  }
}
process.stdout.write('\\n${LOADS_MARKER}' + JSON.stringify(loads) + '\\n');
process.exit(0);
`;

let s: Synthesized;
/** The bench's bundles and rows, made right after the synth so an edit in between (shared working tree) is unlikely. */
const benchBundles = new Map<string, FunctionBundle>();
const benchRows: BundleSizeRow[] = [];
/** The staged `index.mjs` of each function, as read from the cloud assembly. */
const deployed = new Map<string, Buffer>();
let loads: Record<string, BundleLoad>;

/** The staged asset directory of a function (cdk.out/asset.<hash>/, the hash is the S3 key). */
function stagedBundle(spec: FunctionSpec): string {
  const fn = s.stack.functions[spec.name];
  if (!fn) throw new Error(`The stack has no function ${spec.name}`);
  const key = s.json.Resources[logicalId(fn)]?.Properties?.Code.S3Key as string;
  return join(s.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
}

beforeAll(async () => {
  // With an alert sender, so every function of the catalog is deployed.
  s = synthesize({ context: { alertSender: 'alerts@example.com' } });
  const measured = await measureBundles(allFunctionSpecs);
  allFunctionSpecs.forEach((spec, i) => {
    benchBundles.set(spec.name, measured[i]!.bundle);
    benchRows.push(measured[i]!.row);
  });
  const staged = allFunctionSpecs.map((spec) => [spec.name, stagedBundle(spec)] as const);
  for (const [name, path] of staged) deployed.set(name, readFileSync(path));
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', LOAD_SCRIPT, JSON.stringify(staged)], {
    env: process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  const line = output.split('\n').find((l) => l.startsWith(LOADS_MARKER));
  if (!line) throw new Error(`The bundle loader printed no results:\n${output}`);
  loads = JSON.parse(line.slice(LOADS_MARKER.length)) as Record<string, BundleLoad>;
}, 600_000); // NodejsFunction runs esbuild once per function through npx: slow on a busy machine

const cases = allFunctionSpecs.map((spec) => [spec.name, spec] as const);

describe('function bundles', () => {
  it.each(cases)('%s: the bench bundles exactly what the stack deploys', (_, spec) => {
    const staged = deployed.get(spec.name)!;
    const { code } = benchBundles.get(spec.name)!;
    expect(staged.byteLength).toBe(code.byteLength);
    expect(Buffer.compare(staged, Buffer.from(code))).toBe(0);
  });

  it.each(cases)('%s: is self-contained ESM that loads and exports handler', (_, spec) => {
    // The SDK is bundled (the exact versions the tests run): nothing is left to resolve at run time but Node built-ins.
    const { externalImports } = benchBundles.get(spec.name)!;
    expect(externalImports.filter((path) => !path.startsWith('node:') && !builtinModules.includes(path))).toEqual([]);
    // Loaded by a plain Node process from the staged asset directory.
    expect(loads[spec.name]).toEqual({ handler: 'function' });
  });

  it.each(cases)('%s: carries only the SDK clients it uses', (_, spec) => {
    const { inputs } = benchBundles.get(spec.name)!;
    const clients = new Set(Object.keys(inputs).flatMap((path) => /node_modules\/@aws-sdk\/(client-[^/]+)\//.exec(path)?.[1] ?? []));
    const expected = new Set<string>();
    if (Object.keys(spec.tables).length > 0) expected.add('client-dynamodb');
    if (spec.buckets && Object.keys(spec.buckets).length > 0) expected.add('client-s3');
    // Only the notifier sends email (its SES grant is wired in eventFunctions.ts).
    if (spec.name === notifySpec.name) expected.add('client-ses');
    // Only functions that invoke another (POST /imports/{id}/retry) carry the Lambda client.
    if (spec.invokes?.length) expected.add('client-lambda');
    expect(clients).toEqual(expected);
  });
});

/**
 * Keep each bundle small (the deployment issue's bar): a ceiling per kind of function, about 15-25 %
 * above today's largest of that kind (docs/benchmarks.md), so a dependency pulled in by mistake fails here.
 */
function maxBundleKiB(spec: FunctionSpec): number {
  if (spec.buckets && Object.keys(spec.buckets).length > 0) return 800; // DynamoDB + S3 (+ lib-storage): import ~700 KiB
  if (Object.keys(spec.tables).length > 0) return 600; // DynamoDB (+ SES): ~360-510 KiB
  return 40; // no AWS SDK at all (SCIM discovery documents): ~32 KiB
}

describe('bundle size', () => {
  it.each(cases)('%s: stays under its ceiling', (_, spec) => {
    const bytes = deployed.get(spec.name)!.byteLength;
    expect(bytes / 1024, `${spec.name} bundle in KiB`).toBeLessThanOrEqual(maxBundleKiB(spec));
  });
});

describe('bench/bundleSizes.ts', () => {
  it('reports one row per function, in KiB, as a markdown table', () => {
    // The rows come from measureBundles, the entry point bundleSizeRows (npm run bench) maps.
    expect(benchRows.map((row) => row.function)).toEqual(allFunctionSpecs.map((spec) => spec.name));
    for (const row of benchRows) {
      expect(row.bytes).toBe(deployed.get(row.function)!.byteLength);
      // Rounded to 0.1 KiB: off by at most half of that (toBeCloseTo(…, 1) refused exactly 0.05, e.g. 486.25 → 486.3).
      expect(Math.abs(row.kib - row.bytes / 1024)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(row.largestPackages.length).toBeGreaterThan(0);
    }
    const table = bundleSizeMarkdown(benchRows).split('\n');
    expect(table[0]).toMatch(/^\| function \| bundle \(KiB, minified\) \|/);
    expect(table).toHaveLength(benchRows.length + 2);
  });
});
