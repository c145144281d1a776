/** A 20,000-user export: streamed from the area index into a multipart upload, every row once. */
import { parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '#clients/s3.ts';
import { bucketName } from '#core/buckets.ts';
import { readArea } from '#core/seatCounter.ts';
import { loadHandler } from '../../infra/local/functions.ts';
import { lambdaContext } from '../../infra/local/server.ts';
import { seedUsers } from '../../bench/export.ts';
import { freshArea, expectInvariant } from '../support/seats.ts';
import { intercept } from '../support/sdkHooks.ts';
import { PEOPLE_CSV_COLUMNS } from '../../functions/export/peopleCsv.ts';

const USERS = 20_000;
// Long display names push the file past one 5 MiB part, so the multipart path runs.
const longName = (i: number) => `Person ${i} ${'with a rather long display name, '.repeat(4)}`.trim();

/** Counts the S3 requests the export makes (the real client; nothing is stubbed). */
const s3Calls = new Map<string, number>();
intercept(s3, (command, _input, send) => {
  s3Calls.set(command, (s3Calls.get(command) ?? 0) + 1);
  return send();
});

describe('GET /export of 20,000 users', () => {
  it('writes every user exactly once, in a multipart upload', { timeout: 300_000 }, async () => {
    const area = await freshArea(USERS, 'big');
    await seedUsers(area, USERS, { name: longName });
    await expectInvariant(area);
    expect(await readArea(area)).toMatchObject({ active: USERS, available: 0 });

    const handler = await loadHandler('exportPeople');
    const event = JSON.parse(JSON.stringify((await import('../../events/exportPeople.json', { with: { type: 'json' } })).default));
    event.rawQueryString = `area=${area}`;
    event.queryStringParameters = { area };
    s3Calls.clear();
    const started = Date.now();
    const response = (await handler(event, lambdaContext('exportPeople'))) as { statusCode: number; body: string };
    const seconds = (Date.now() - started) / 1000;
    expect(response.statusCode, response.body).toBe(200);
    const body = JSON.parse(response.body) as { url: string; rows: number };
    expect(body.rows).toBe(USERS);
    expect(seconds).toBeLessThan(60);

    const key = decodeURIComponent(new URL(body.url).pathname.split('/').slice(2).join('/'));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName('exports'), Key: key }));
    expect(head.ContentLength).toBeGreaterThan(5 * 1024 * 1024);
    expect(s3Calls.get('UploadPartCommand')).toBe(Math.ceil(head.ContentLength! / (5 * 1024 * 1024)));
    expect(s3Calls.get('CompleteMultipartUploadCommand')).toBe(1);
    expect(s3Calls.has('PutObjectCommand')).toBe(false);

    // Parse the download as a stream too: count rows and check ids are unique.
    const download = await fetch(body.url);
    const parser = parse({ bom: true, columns: true });
    const ids = new Set<string>();
    let rows = 0;
    const reading = (async () => {
      for await (const row of parser as AsyncIterable<Record<string, string>>) {
        rows += 1;
        ids.add(row.id!);
        if (rows === 1) expect(Object.keys(row)).toEqual([...PEOPLE_CSV_COLUMNS]);
        expect(row).toMatchObject({ area, 'account state': 'Yes' });
      }
    })();
    for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) parser.write(chunk);
    parser.end();
    await reading;
    expect(rows).toBe(USERS);
    expect(ids.size).toBe(USERS);
  });
});
