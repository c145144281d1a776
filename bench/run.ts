/**
 * npm run bench: measures the system on this machine against the real local
 * engines and writes docs/benchmarks.md. Figures come from here, never from tests.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { startBenchEngines } from './engines.ts';

const started = new Date();
const engines = await startBenchEngines();
const sections: string[] = [];
try {
  // Modules that hold AWS clients read their endpoints when they load.
  const { apiBenchmarks } = await import('./api.ts');
  console.log('bench: HTTP API…');
  sections.push(await apiBenchmarks());
} finally {
  await engines.stop();
}

const cpu = cpus();
const machine = `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`;
const document = `# Benchmarks

Written by \`npm run bench\` on ${started.toISOString().slice(0, 10)} (${machine}).
Engines: DynamoDB Local (in memory), s3rver, aws-ses-v2-local — the same ones \`npm start\` runs.
The load generator runs in the same Node process as the handlers, so figures are a floor for one
Lambda-sized process on this machine, not a forecast for AWS (DynamoDB Local has no network hop,
no throttling and serialises transactions; real DynamoDB adds ~5–10 ms per request and TransactionConflict retries on a hot counter).

${sections.join('\n\n')}
`;
mkdirSync('docs', { recursive: true });
writeFileSync('docs/benchmarks.md', document);
console.log(document);
