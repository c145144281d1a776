/**
 * npm run bench: measures the system on this machine against the real local
 * engines and writes docs/benchmarks.md. Figures come from here, never from tests.
 * Each section starts its own throwaway engines.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { EXPORT_BENCH_HEADER, EXPORT_BENCH_NOTE, exportBenchRows } from './export.ts';
import { IMPORT_BENCH_HEADER, importBenchRows } from './import.ts';

const started = new Date();
const log = (line: string) => console.log(line);
const sections: string[] = [];

log('bench: HTTP API and SCIM lists…');
const engines = await (await import('./engines.ts')).startBenchEngines();
try {
  // Modules that hold AWS clients read their endpoints when they load, so both share these engines.
  // SCIM goes first: an unfiltered list shows every account no directory manages, the HTTP section's too.
  const { scimBenchmarks } = await import('./scim.ts');
  const scim = await scimBenchmarks();
  const { apiBenchmarks } = await import('./api.ts');
  sections.push(`## Seat engine through the HTTP API\n\n${await apiBenchmarks()}`, `## SCIM lists\n\n${scim}`);
} finally {
  await engines.stop();
}

log('bench: CSV import…');
const importRows = [
  // The naive one-transaction-per-row import is compared at 10,000 rows; at 100,000 it only takes longer.
  ...(await importBenchRows([10_000], ['streaming', 'naive', 'sync', 'resync'], log)),
  ...(await importBenchRows([100_000], ['streaming'], log)),
  // The import issue's bar: a 200,000-row file within a 512 MB Lambda. The re-sync (every row
  // exists) keeps the most per-row state, so it is the one that must fit; it follows its sync.
  ...(await importBenchRows([200_000], ['streaming', 'sync', 'resync'], log)),
];
sections.push(
  [
    '## CSV import (S3 → import function)',
    '',
    'Each import runs in its own child process with a 384 MB V8 heap (what a 512 MB Lambda leaves Node), after a JVM warm-up of DynamoDB Local.',
    '"upload" is an admin upload into an area with room for every row; "sync" a directory sync file of new people; "re-sync" the same file again (every row exists).',
    '',
    ...IMPORT_BENCH_HEADER,
    ...importRows,
  ].join('\n'),
);

log('bench: people export…');
sections.push(
  ['## People export (`GET /export`)', '', ...EXPORT_BENCH_HEADER, ...(await exportBenchRows()), '', EXPORT_BENCH_NOTE].join('\n'),
);

log('bench: bundle sizes…');
// Loaded only now: the manifest loads the logger, which must first see the engines' SILENT log level.
const { bundleSizeMarkdown, bundleSizeRows } = await import('./bundleSizes.ts');
sections.push(
  `## Lambda bundle sizes\n\nMinified ESM bundles as \`cdk deploy\` builds them (infra/stack/bundling.ts).\n\n${bundleSizeMarkdown(await bundleSizeRows())}`,
);

const cpu = cpus();
const machine = `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`;
const document = `# Benchmarks

Written by \`npm run bench\` on ${started.toISOString().slice(0, 10)} (${machine}).
Engines: DynamoDB Local (in memory), s3rver, aws-ses-v2-local — the same ones \`npm start\` runs.
These are figures for this machine, not a forecast for AWS: DynamoDB Local has no network hop and
no throttling, serialises transactions (real DynamoDB adds ~5–10 ms per request, and
TransactionConflict retries on a hot counter), and its Query paging slows as tables grow.
Request counts per operation carry over to AWS; times do not.

${sections.join('\n\n')}
`;
mkdirSync('docs', { recursive: true });
writeFileSync('docs/benchmarks.md', document);
console.log(document);
