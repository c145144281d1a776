/**
 * Bundle size of every Lambda function, bundled exactly as the CDK stack does
 * (options from infra/stack/bundling.ts). Run: `npx tsx bench/bundleSizes.ts`.
 * `bundleSizeRows()` is exported for `npm run bench`; `measureBundles()` also
 * hands back the bundles (test/infra/bundling.test.ts compares them with the stack's).
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { esbuildOptions, projectRoot } from '../infra/stack/bundling.ts';
import { allFunctionSpecs, type FunctionSpec } from '../functions/manifest.ts';

export interface BundleSizeRow {
  function: string;
  entry: string;
  /** Minified `index.mjs`, without its source map (which Lambda never loads). */
  bytes: number;
  kib: number;
  /** Packages that add the most bytes to the bundle, largest first. */
  largestPackages: { name: string; kib: number }[];
}

const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** "node_modules/@aws-sdk/client-dynamodb/dist-es/…" → "@aws-sdk/client-dynamodb"; our own code → "(seatkeeper)". */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.slice(input.lastIndexOf('node_modules/')));
  return match?.[1] ?? '(seatkeeper)';
}

/** Bundles one function into the same `index.mjs` NodejsFunction produces (in memory). */
export async function bundleFunction(
  spec: FunctionSpec,
): Promise<{ code: Uint8Array; inputs: Record<string, number>; externalImports: string[] }> {
  const result = await build({
    ...esbuildOptions(join(projectRoot, spec.entry), join(projectRoot, 'cdk.out', 'bench', spec.name)),
    absWorkingDir: projectRoot,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  if (!output) throw new Error(`esbuild produced no .mjs for ${spec.entry}`);
  const outputMeta = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'))?.[1];
  const inputs = Object.fromEntries(Object.entries(outputMeta?.inputs ?? {}).map(([path, info]) => [path, info.bytesInOutput]));
  const externalImports = (outputMeta?.imports ?? []).filter((i) => i.external).map((i) => i.path);
  return { code: output.contents, inputs, externalImports };
}

export type FunctionBundle = Awaited<ReturnType<typeof bundleFunction>>;

/** The row of one bundled function. */
export function bundleSizeRow(spec: FunctionSpec, bundle: FunctionBundle): BundleSizeRow {
  const byPackage = new Map<string, number>();
  for (const [input, bytes] of Object.entries(bundle.inputs))
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytes);
  const largestPackages = [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, bytes]) => ({ name, kib: kib(bytes) }));
  return { function: spec.name, entry: spec.entry, bytes: bundle.code.byteLength, kib: kib(bundle.code.byteLength), largestPackages };
}

/** Bundles each function (in parallel) and measures it. */
export async function measureBundles(
  specs: readonly FunctionSpec[] = allFunctionSpecs,
): Promise<{ bundle: FunctionBundle; row: BundleSizeRow }[]> {
  return Promise.all(
    specs.map(async (spec) => {
      const bundle = await bundleFunction(spec);
      return { bundle, row: bundleSizeRow(spec, bundle) };
    }),
  );
}

export async function bundleSizeRows(specs: readonly FunctionSpec[] = allFunctionSpecs): Promise<BundleSizeRow[]> {
  return (await measureBundles(specs)).map(({ row }) => row);
}

export function bundleSizeMarkdown(rows: readonly BundleSizeRow[]): string {
  const lines = [
    '| function | bundle (KiB, minified) | largest packages (KiB) |',
    '|---|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.function} | ${row.kib.toFixed(1)} | ${row.largestPackages.map((p) => `${p.name} ${p.kib.toFixed(1)}`).join(', ')} |`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(bundleSizeMarkdown(await bundleSizeRows()));
}
