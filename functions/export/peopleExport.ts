/**
 * GET /export: the matching users as a CSV in the exports bucket, reachable
 * only through a short-lived presigned URL. Users stream from DynamoDB through
 * csv-stringify into an S3 multipart upload, so memory stays flat whatever the
 * number of users.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Upload } from '@aws-sdk/lib-storage';
import { stringify } from 'csv-stringify';
import { documentClient } from '#clients/dynamodb.ts';
import { presign, s3 } from '#clients/s3.ts';
import { logger } from '#commons/logger.ts';
import { bucketDefinitions, bucketName } from '#core/buckets.ts';
import { tableName, ttlAfterDays } from '#core/tables.ts';
import type { User } from '#core/user.ts';
import { areasToExport, matchingUsers, type PeopleFilter } from './matchingUsers.ts';
import { peopleCsvOptions, toPeopleCsvRow } from './peopleCsv.ts';

/** Where exports go in the exports bucket: `people/<date>/<id>.csv` (the function may touch nothing else there). */
export const EXPORT_KEY_PREFIX = 'people/';
/** S3's smallest part; with 4 parts in flight the upload holds at most ~20 MB. */
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

export interface PeopleExport {
  url: string;
  expiresAt: string;
  rows: number;
}

export interface ExportOptions {
  /** Who asked (the token's subject), for the export's job record. */
  requestedBy?: string;
}

/** "seatkeeper-people-extranet-blocked-2026-11-23.csv"; area names are [a-z0-9-], safe in a header. */
function downloadName(filter: PeopleFilter, at: Date): string {
  const scope = [filter.area ?? 'all-areas', filter.state].filter(Boolean).join('-');
  return `seatkeeper-people-${scope}-${at.toISOString().slice(0, 10)}.csv`;
}

/** Streams `users` as CSV into one S3 object and returns how many rows it wrote. */
async function uploadCsv(key: string, fileName: string, users: AsyncIterable<User>): Promise<number> {
  let rows = 0;
  const csv = stringify(peopleCsvOptions);
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: bucketName('exports'),
      Key: key,
      Body: csv,
      ContentType: 'text/csv; charset=utf-8',
      ContentDisposition: `attachment; filename="${fileName}"`,
    },
    partSize: PART_BYTES,
    queueSize: PARTS_IN_FLIGHT,
  });
  const rowsOf = async function* () {
    for await (const user of users) {
      rows += 1;
      yield toPeopleCsvRow(user);
    }
  };
  // A failed read destroys `csv`, which fails the upload (and aborts the multipart upload);
  // a failed upload stops reading instead of leaving the pipeline waiting for a reader.
  const writing = pipeline(Readable.from(rowsOf()), csv);
  const uploading = upload.done().catch((error: unknown) => {
    csv.destroy(error as Error);
    throw error;
  });
  await Promise.all([writing, uploading]);
  return rows;
}

/** Who exported which people when: exports copy personal data out of the system. */
async function recordExportJob(job: {
  id: string;
  key: string;
  filter: PeopleFilter;
  rows: number;
  createdAt: Date;
  requestedBy?: string;
}) {
  await documentClient.send(
    new PutCommand({
      TableName: tableName('jobs'),
      Item: {
        pk: `export#${job.id}`,
        sk: 'job',
        kind: 'export',
        createdAt: job.createdAt.toISOString(),
        requestedBy: job.requestedBy,
        area: job.filter.area,
        state: job.filter.state,
        rows: job.rows,
        key: job.key,
        // The record outlives its file: S3 expires objects at the midnight (UTC) after their age is reached.
        expiresAt: ttlAfterDays(bucketDefinitions.exports.expireAfterDays + 1, job.createdAt),
      },
    }),
  );
}

export async function exportPeople(filter: PeopleFilter, options: ExportOptions = {}): Promise<PeopleExport> {
  const started = new Date();
  const areas = await areasToExport(filter);
  const id = randomUUID();
  const key = `${EXPORT_KEY_PREFIX}${started.toISOString().slice(0, 10)}/${id}.csv`;
  const rows = await uploadCsv(key, downloadName(filter, started), matchingUsers(areas, filter.state));

  const download = await presign(new GetObjectCommand({ Bucket: bucketName('exports'), Key: key }));
  await recordExportJob({ id, key, filter, rows, createdAt: started, requestedBy: options.requestedBy });
  logger.info('people export written', {
    exportId: id,
    rows,
    areas: areas.length,
    area: filter.area,
    state: filter.state,
    durationMs: Date.now() - started.getTime(),
  });
  return { ...download, rows };
}
