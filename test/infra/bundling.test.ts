/**
 * The function bundles: what the stack stages for Lambda is byte for byte what
 * bench/bundleSizes.ts measures (one set of esbuild options), the bundles are
 * self-contained ESM that load and export `handler`, and each carries only the
 * SDK clients its function uses.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, bundleSizeMarkdown, bundleSizeRow, bundleSizeRows, type FunctionBundle } from '../../bench/bundleSizes.ts';
import { allFunctionSpecs, notifySpec, type FunctionSpec } from '../../infra/stack/functionCatalog.ts';
import { logicalId, synthesize, type Synthesized } from './synth.ts';

let s: Synthesized;
/** The bench's bundles, made right after the synth so an edit in between (shared working tree) is unlikely. */
const benchBundles = new Map<string, FunctionBundle>();
beforeAll(async () => {
  // With an alert sender, so every function of the catalog is deployed.
  s = synthesize({ context: { alertSender: 'alerts@example.com' } });
  const bundles = await Promise.all(allFunctionSpecs.map(bundleFunction));
  allFunctionSpecs.forEach((spec, i) => benchBundles.set(spec.name, bundles[i]!));
}, 600_000); // NodejsFunction runs esbuild once per function through npx: slow on a busy machine

/** The staged asset directory of a function (cdk.out/asset.<hash>/, the hash is the S3 key). */
function stagedBundle(spec: FunctionSpec): string {
  const fn = s.stack.functions[spec.name];
  if (!fn) throw new Error(`The stack has no function ${spec.name}`);
  const key = s.json.Resources[logicalId(fn)]?.Properties?.Code.S3Key as string;
  return join(s.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
}

const cases = allFunctionSpecs.map((spec) => [spec.name, spec] as const);

describe('function bundles', () => {
  it.each(cases)('%s: the bench bundles exactly what the stack deploys', async (_, spec) => {
    const deployed = readFileSync(stagedBundle(spec));
    const { code } = benchBundles.get(spec.name)!;
    expect(deployed.byteLength).toBe(code.byteLength);
    expect(Buffer.compare(deployed, Buffer.from(code))).toBe(0);
  });

  it.each(cases)('%s: is self-contained ESM that loads and exports handler', async (_, spec) => {
    // The SDK is bundled (the exact versions the tests run): nothing is left to resolve at run time but Node built-ins.
    const { externalImports } = benchBundles.get(spec.name)!;
    expect(externalImports.filter((path) => !path.startsWith('node:') && !builtinModules.includes(path))).toEqual([]);
    const loaded = (await import(pathToFileURL(stagedBundle(spec)).href)) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');
  });

  it.each(cases)('%s: carries only the SDK clients it uses', async (_, spec) => {
    const { inputs } = benchBundles.get(spec.name)!;
    const clients = new Set(Object.keys(inputs).flatMap((path) => /node_modules\/@aws-sdk\/(client-[^/]+)\//.exec(path)?.[1] ?? []));
    const expected = new Set<string>();
    if (Object.keys(spec.tables).length > 0) expected.add('client-dynamodb');
    if (spec.buckets && Object.keys(spec.buckets).length > 0) expected.add('client-s3');
    // Only the notifier sends email (its SES grant is wired in eventFunctions.ts).
    if (spec.name === notifySpec.name) expected.add('client-ses');
    expect(clients).toEqual(expected);
  });
});

describe('bench/bundleSizes.ts', () => {
  it('reports one row per function, in KiB, as a markdown table', async () => {
    const rows = allFunctionSpecs.map((spec) => bundleSizeRow(spec, benchBundles.get(spec.name)!));
    for (const row of rows) {
      expect(row.bytes).toBe(readFileSync(stagedBundle(allFunctionSpecs.find((f) => f.name === row.function)!)).byteLength);
      expect(row.kib).toBeCloseTo(row.bytes / 1024, 1);
      expect(row.largestPackages.length).toBeGreaterThan(0);
    }
    const table = bundleSizeMarkdown(rows).split('\n');
    expect(table[0]).toMatch(/^\| function \| bundle \(KiB, minified\) \|/);
    expect(table).toHaveLength(rows.length + 2);
    // The exported entry point bundles the catalog the same way.
    const [first] = await bundleSizeRows(allFunctionSpecs.slice(0, 1));
    expect(first).toEqual(rows[0]);
  });
});
