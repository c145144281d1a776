/**
 * People export against the local engines: 10,000 and 100,000 users, wall
 * time and peak RSS of the exporting process. Run: `npx tsx bench/export.ts [sizes…]`
 * (e.g. `npx tsx bench/export.ts 1000`).
 * `exportBenchRows()` returns markdown table rows for `npm run bench`.
 *
 * It starts its own throwaway engines (nothing of `npm start`'s data is
 * touched), seeds the users through core's bulk creation, and runs each export
 * in a fresh child process, so the RSS measured is the export's alone — what a
 * Lambda instance would hold.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mib, peakRssMiB, runChild, startBenchEngines } from './engines.ts';

export const EXPORT_BENCH_SIZES = [10_000, 100_000];

export const EXPORT_BENCH_HEADER = [
  '| export | users | seconds | users/s | peak RSS | RSS before export | CSV size | DynamoDB queries | time inside queries |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];

/** Read with the table: where the local time goes. */
export const EXPORT_BENCH_NOTE =
  "Locally almost all of the time is inside DynamoDB Local's Query calls: it answers each 1 MB page in time proportional " +
  "to the items after the page's start key, so its paging is quadratic (DynamoDB's is not). The rest — CSV writing " +
  'and the multipart upload — is the difference between the two time columns. Peak RSS includes ~100 MiB of runtime; ' +
  'the export adds two pages plus at most four 5 MiB parts, whatever the number of users.';

/** What one export child reports. */
interface ExportMeasurement {
  rows: number;
  seconds: number;
  peakRssMiB: number;
  rssBeforeMiB: number;
  csvMiB: number;
  queries: number;
  /** Summed duration of the Query requests (they overlap with writing the CSV). */
  querySeconds: number;
}

/**
 * Creates `count` active users in `area` through core's bulk creation (49 users,
 * their email guards and the counter per transaction), a few slices at once.
 * For benchmarks and tests; the area must exist with room for them.
 */
export async function seedUsers(
  area: string,
  count: number,
  options: { concurrency?: number; name?: (index: number) => string; emailPrefix?: string } = {},
): Promise<void> {
  const { createUsersInBulk } = await import('#core/bulk.ts');
  const prefix = options.emailPrefix ?? `seed-${randomUUID().slice(0, 8)}`;
  const SLICE = 490;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const first = next;
      next = Math.min(count, next + SLICE);
      const rows = Array.from({ length: next - first }, (_, n) => ({
        email: `${prefix}.${first + n}@example.com`,
        name: options.name?.(first + n) ?? `Person ${first + n}`,
        area,
        source: 'api' as const,
      }));
      const notCreated = (await createUsersInBulk(rows, 'refuse')).filter((o) => o.outcome !== 'created').length;
      if (notCreated) throw new Error(`seedUsers: ${notCreated} of ${rows.length} users were not created in ${area}`);
    }
  };
  // DynamoDB Local serialises transactions; a few in flight keep it busy without piling up.
  await Promise.all(Array.from({ length: options.concurrency ?? 6 }, worker));
}

const here = fileURLToPath(import.meta.url);

/** Child: seed one area. */
async function seedChild(area: string, count: number): Promise<{ seconds: number }> {
  const { setAreaLimit } = await import('#core/license.ts');
  const started = performance.now();
  await setAreaLimit(area, count);
  await seedUsers(area, count, { emailPrefix: area });
  return { seconds: (performance.now() - started) / 1000 };
}

/** Child: one export, measured from a process that has done nothing else. */
async function exportChild(area: string): Promise<ExportMeasurement> {
  const { dynamodb } = await import('#clients/dynamodb.ts');
  const { s3 } = await import('#clients/s3.ts');
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const { bucketName } = await import('#core/buckets.ts');
  const { exportPeople } = await import('../functions/export/peopleExport.ts');
  let queries = 0;
  let queryMs = 0;
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'QueryCommand') return next(args);
      queries += 1;
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        queryMs += performance.now() - started;
      }
    },
    { step: 'initialize', name: 'countQueries' },
  );
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = await exportPeople({ area });
  const seconds = (performance.now() - started) / 1000;
  const key = decodeURIComponent(new URL(result.url).pathname.split('/').slice(2).join('/'));
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName('exports'), Key: key }));
  return {
    rows: result.rows,
    seconds,
    peakRssMiB: peakRssMiB(),
    rssBeforeMiB: mib(rssBefore),
    csvMiB: mib(head.ContentLength ?? 0),
    queries,
    querySeconds: queryMs / 1000,
  };
}

export async function exportBenchRows(sizes: readonly number[] = EXPORT_BENCH_SIZES): Promise<string[]> {
  const engines = await startBenchEngines();
  try {
    const rows: string[] = [];
    for (const size of sizes) {
      const area = `bench-${size}`;
      await runChild(here, ['--seed', area, String(size)]);
      const m = await runChild<ExportMeasurement>(here, ['--export', area]);
      if (m.rows !== size) throw new Error(`export of ${area} wrote ${m.rows} rows, expected ${size}`);
      rows.push(
        `| GET /export (one area, streamed to S3 multipart) | ${size.toLocaleString('en-US')} | ${m.seconds.toFixed(1)} | ` +
          `${Math.round(size / m.seconds).toLocaleString('en-US')} | ${m.peakRssMiB} MiB | ${m.rssBeforeMiB} MiB | ${m.csvMiB} MiB | ${m.queries} | ${m.querySeconds.toFixed(1)} s |`,
      );
    }
    return rows;
  } finally {
    await engines.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [mode, area, count] = process.argv.slice(2);
  if (mode === '--seed') console.log(JSON.stringify(await seedChild(area!, Number(count))));
  else if (mode === '--export') console.log(JSON.stringify(await exportChild(area!)));
  else {
    // npx tsx bench/export.ts [sizes…]
    const sizes = process.argv
      .slice(2)
      .filter((arg) => /^\d+$/.test(arg))
      .map(Number);
    const rows = await exportBenchRows(sizes.length ? sizes : EXPORT_BENCH_SIZES);
    console.log([...EXPORT_BENCH_HEADER, ...rows, '', EXPORT_BENCH_NOTE].join('\n'));
  }
}
