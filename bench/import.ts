/**
 * CSV import against the local engines: 10,000 to 200,000 rows, rows per
 * second, DynamoDB requests per row (counted by an SDK middleware, every HTTP
 * attempt) and peak RSS of the importing process; beside it a naive import
 * that reads the file whole and makes one transaction per row.
 * Also a directory sync of the same size, first run and again (every row exists).
 * Run: `npx tsx bench/import.ts [sizes…] [--variants=streaming,naive,sync,resync]`
 * (e.g. `npx tsx bench/import.ts 200000 --variants=streaming`).
 * `importBenchRows()` returns markdown table rows for `npm run bench`.
 *
 * It starts its own throwaway engines (nothing of `npm start`'s data is
 * touched) and runs every import in a fresh child process, so the RSS
 * measured is the import's alone — what a Lambda instance would hold.
 */
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { S3Event } from 'aws-lambda';
import { mib, peakRssMiB, runChild, startBenchEngines } from './engines.ts';

export const IMPORT_BENCH_SIZES = [10_000, 100_000];

export const IMPORT_BENCH_HEADER = [
  '| import | rows | seconds | rows/s | DynamoDB requests | requests/row | S3 requests | peak RSS | RSS before import |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];

/**
 * streaming: the import function on an admin upload; naive: the comparison;
 * sync: the import function on a directory sync file whose people are all new;
 * resync: the same sync file again, everyone exists (the daily steady state: lookups, no writes).
 */
type Variant = 'streaming' | 'naive' | 'sync' | 'resync';
const VARIANTS: readonly Variant[] = ['streaming', 'naive', 'sync', 'resync'];

/** What one import child reports. */
interface ImportMeasurement {
  rows: number;
  /** Rows whose user was created or found existing (a re-sync creates none): every row, or the run is wrong. */
  accounted: number;
  seconds: number;
  dynamodbRequests: number;
  byCommand: Record<string, number>;
  s3Requests: number;
  peakRssMiB: number;
  rssBeforeMiB: number;
}

const here = fileURLToPath(import.meta.url);

/**
 * The V8 heap of an import child, in MB. A 512 MB Lambda leaves Node about this
 * much heap after code, buffers and the runtime; a run that needed more would fail.
 */
const CHILD_HEAP_MB = Number(process.env.BENCH_IMPORT_HEAP_MB ?? 384);

/** Runs this file in a child process with `args` and the import's heap. */
const runImportChild = <T>(args: string[]) => runChild<T>(here, args, [`--max-old-space-size=${CHILD_HEAP_MB}`]);

/** Rows shaped like a directory export: email, display name, first and last name (and the area, for sync files). */
function* csvLines(area: string, rows: number, withArea: boolean): Generator<string> {
  yield `Email,Display name,First name,Last name${withArea ? ',Area' : ''}\r\n`;
  const areaCell = withArea ? `,${area}` : '';
  for (let i = 0; i < rows; i++) yield `person${i}.${area}@bench.example,"Person ${i}, Bench",Person,Bench ${i}${areaCell}\r\n`;
}

/**
 * Child: an area with room for every row, and the file uploaded (multipart) to
 * imports/<area>/ or, for a sync, sync/bench/; returns S3's event for it.
 */
async function prepareChild(area: string, rows: number, folder: string): Promise<S3Event> {
  const { setAreaLimit } = await import('#core/license.ts');
  const { s3 } = await import('#clients/s3.ts');
  const { bucketName } = await import('#core/buckets.ts');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const { objectCreatedEvent } = await import('../infra/local/s3Events.ts');
  await setAreaLimit(area, rows);
  const sync = folder.startsWith('sync/');
  const key = `${folder}/${area}-${Date.now()}.csv`;
  const bucket = bucketName('imports');
  await new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: Readable.from(csvLines(area, rows, sync)) } }).done();
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return objectCreatedEvent({
    bucket,
    key,
    size: Number(head.ContentLength),
    eTag: head.ETag ?? '',
    eventName: 'ObjectCreated:CompleteMultipartUpload',
  });
}

/** Counts every HTTP request a client makes (the deserialize step runs once per attempt, retries included). */
type RequestCounts = { dynamodb: () => number; s3: () => number; byCommand: Record<string, number> };

async function countRequests(): Promise<RequestCounts> {
  const { dynamodb } = await import('#clients/dynamodb.ts');
  const { s3 } = await import('#clients/s3.ts');
  const byCommand: Record<string, number> = {};
  let dynamodbRequests = 0;
  let s3Requests = 0;
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      dynamodbRequests++;
      const command = context.commandName ?? 'unknown';
      byCommand[command] = (byCommand[command] ?? 0) + 1;
      return next(args);
    },
    { step: 'deserialize', name: 'benchCountDynamoDb' },
  );
  s3.middlewareStack.add(
    (next) => async (args) => {
      s3Requests++;
      return next(args);
    },
    { step: 'deserialize', name: 'benchCountS3' },
  );
  return { dynamodb: () => dynamodbRequests, s3: () => s3Requests, byCommand };
}

/** Child: the import function on the event, as Lambda runs it. */
async function streamingChild(event: S3Event): Promise<ImportMeasurement> {
  const counts = await countRequests();
  const { handler } = await import('../functions/import/handler.ts');
  const { IMPORT_TIMEOUT_MS } = await import('#core/importConfig.ts');
  const { lambdaContext } = await import('../infra/local/server.ts');
  const context = lambdaContext('import', IMPORT_TIMEOUT_MS);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = await handler(event, context);
  const seconds = (performance.now() - started) / 1000;
  const job = result.jobs[0];
  if (job?.status !== 'succeeded') throw new Error(`import ${job?.status ?? 'did not run'}: ${JSON.stringify(job?.failure)}`);
  return measurement(counts, job.counts!.rows, job.counts!.created + job.counts!.skippedExisting, seconds, rssBefore);
}

/**
 * Child: what an import looks like without the pipeline: the whole object read
 * into a string, parsed at once, then core's createUser (one TransactWriteItems) per row.
 */
async function naiveChild(event: S3Event): Promise<ImportMeasurement> {
  const counts = await countRequests();
  const { s3 } = await import('#clients/s3.ts');
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { parse } = await import('csv-parse/sync');
  const { createUser } = await import('#core/people.ts');
  const { decodeEventKey } = await import('../functions/import/importTarget.ts');
  const { s3: location } = event.Records[0]!;
  const key = decodeEventKey(location.object.key);
  const area = key.split('/')[1]!;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket.name, Key: key }));
  const records = parse<Record<string, string>>(await object.Body!.transformToString('utf8'), { columns: true });
  let created = 0;
  for (const record of records) {
    try {
      await createUser({ email: record.Email!, name: record['Display name'], area, source: 'csv' });
      created++;
    } catch {
      // refused or existing: the naive import just moves on
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return measurement(counts, records.length, created, seconds, rssBefore);
}

/** What a child reports: its rows, its time, the requests counted so far and its memory. */
const measurement = (counts: RequestCounts, rows: number, accounted: number, seconds: number, rssBefore: number): ImportMeasurement => ({
  rows,
  accounted,
  seconds,
  dynamodbRequests: counts.dynamodb(),
  byCommand: counts.byCommand,
  s3Requests: counts.s3(),
  peakRssMiB: peakRssMiB(),
  rssBeforeMiB: mib(rssBefore),
});

const LABEL: Record<Variant, string> = {
  streaming: 'admin upload: import function (streamed, 49 users per transaction)',
  naive: 'admin upload: naive (whole file in memory, one transaction per row)',
  sync: 'directory sync, first run: import function (every row new)',
  resync: 'directory sync, same file again: import function (every row exists)',
};

function row(variant: Variant, m: ImportMeasurement): string {
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    `| ${LABEL[variant]} | ${n(m.rows)} | ${m.seconds.toFixed(1)} | ${n(Math.round(m.rows / m.seconds))} | ${n(m.dynamodbRequests)} | ` +
    `${(m.dynamodbRequests / m.rows).toFixed(3)} | ${n(m.s3Requests)} | ${m.peakRssMiB} MiB | ${m.rssBeforeMiB} MiB |`
  );
}

export async function importBenchRows(
  sizes: readonly number[] = IMPORT_BENCH_SIZES,
  variants: readonly Variant[] = VARIANTS,
  log: (line: string) => void = () => undefined,
): Promise<string[]> {
  const engines = await startBenchEngines();
  try {
    // DynamoDB Local is a JVM: its first thousands of transactions run slower while it warms up. Not measured.
    await runImportChild([
      '--streaming',
      JSON.stringify(await runImportChild<S3Event>(['--prepare', 'bench-warm-up', '5000', 'imports/bench-warm-up'])),
    ]);
    const rows: string[] = [];
    for (const size of sizes) {
      for (const variant of variants) {
        // A re-sync reads the very people its sync created: same area, same emails, a new file.
        const area = `bench-${variant === 'resync' ? 'sync' : variant}-${size}`;
        const folder = variant === 'sync' || variant === 'resync' ? 'sync/bench' : `imports/${area}`;
        const event = await runImportChild<S3Event>(['--prepare', area, String(size), folder]);
        log(`bench import: ${variant}, ${size.toLocaleString('en-US')} rows…`);
        const m = await runImportChild<ImportMeasurement>([`--${variant === 'naive' ? 'naive' : 'streaming'}`, JSON.stringify(event)]);
        if (m.rows !== size || m.accounted !== size)
          throw new Error(`${variant} import of ${size} rows accounted for ${m.accounted} of ${m.rows}`);
        log(`  ${m.seconds.toFixed(1)} s, ${JSON.stringify(m.byCommand)}`);
        rows.push(row(variant, m));
      }
    }
    return rows;
  } finally {
    await engines.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === '--prepare') console.log(JSON.stringify(await prepareChild(args[0]!, Number(args[1]), args[2]!)));
  else if (mode === '--streaming') console.log(JSON.stringify(await streamingChild(JSON.parse(args[0]!) as S3Event)));
  else if (mode === '--naive') console.log(JSON.stringify(await naiveChild(JSON.parse(args[0]!) as S3Event)));
  else {
    // npx tsx bench/import.ts [sizes…] [--variants=streaming,naive]
    const all = [mode, ...args].filter((arg): arg is string => Boolean(arg));
    const sizes = all.filter((arg) => /^\d+$/.test(arg)).map(Number);
    const variants = (all
      .find((arg) => arg.startsWith('--variants='))
      ?.slice('--variants='.length)
      .split(',') ?? VARIANTS) as Variant[];
    const rows = await importBenchRows(sizes.length ? sizes : IMPORT_BENCH_SIZES, variants, (line) => console.error(line));
    console.log([...IMPORT_BENCH_HEADER, ...rows].join('\n'));
  }
}
