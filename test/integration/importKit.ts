/**
 * What the import tests share: drop a file into s3rver (the global setup's
 * instance) and build the S3 event S3 would send for it, run the import
 * function on that event, read the report and the job back.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import type { S3Event } from 'aws-lambda';
import { s3 } from '#clients/s3.ts';
import { bucketName } from '#core/buckets.ts';
import { handler, type ImportResult } from '../../functions/import/handler.ts';
import { IMPORT_TIMEOUT_MS } from '#core/importConfig.ts';
import { findJob, jobIdForKey, type ImportJob } from '#core/importJobRecord.ts';
import { objectCreatedEvent } from '../../infra/local/s3Events.ts';
import { lambdaContext } from '../../infra/local/server.ts';

export const importsBucket = () => bucketName('imports');

/** Puts an object and returns the event S3 sends for it (key URL-encoded, unique sequencer). */
export async function dropFile(key: string, body: string | Uint8Array): Promise<S3Event> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const put = await s3.send(new PutObjectCommand({ Bucket: importsBucket(), Key: key, Body: bytes }));
  return objectCreatedEvent({ bucket: importsBucket(), key, size: bytes.byteLength, eTag: put.ETag ?? '' });
}

/** Runs the import function as Lambda would, with a 15-minute context. */
export async function runImport(event: S3Event): Promise<ImportResult> {
  return await handler(event, lambdaContext('import', IMPORT_TIMEOUT_MS));
}

/** Drops the file and imports it; returns the job. */
export async function importFile(key: string, body: string | Uint8Array): Promise<ImportJob> {
  await runImport(await dropFile(key, body));
  return job(key);
}

export async function job(key: string): Promise<ImportJob> {
  const found = await findJob(jobIdForKey(key));
  if (!found) throw new Error(`no import job for ${key}`);
  return found;
}

export interface ReportRow {
  line: string;
  email: string;
  outcome: string;
  reason: string;
  message: string;
  userId: string;
}

/** The report of the latest upload under `key`. */
export async function readReport(key: string): Promise<ReportRow[]> {
  const object = await s3.send(new GetObjectCommand({ Bucket: importsBucket(), Key: (await job(key)).reportKey }));
  // Any line break outside quotes ends a row, as in Excel and Python's csv (csv-parse would otherwise
  // take the first row's CRLF as the only record end, and read a bare LF as part of a cell).
  return parse<ReportRow>(await object.Body!.transformToString('utf8'), { columns: true, record_delimiter: ['\r\n', '\n', '\r'] });
}

/** A CSV text from rows of cells (quoted where needed), LF line ends. */
export function csv(rows: (string | number)[][]): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows.map((row) => row.map(cell).join(',')).join('\n') + '\n';
}

/** A unique key under a prefix, e.g. keyIn('imports/extranet') → imports/extranet/<uuid>.csv */
export const keyIn = (prefix: string, name = `${randomUUID().slice(0, 8)}.csv`) => `${prefix}/${name}`;

/** Unique emails for one test: n addresses in a fresh domain. */
export function emails(n: number, domain = `${randomUUID().slice(0, 8)}.example.com`): string[] {
  return Array.from({ length: n }, (_, i) => `person${String(i + 1).padStart(3, '0')}@${domain}`);
}

/** A fresh directory name, for sync/<directory>/… keys. */
export const directory = () => `dir-${randomUUID().slice(0, 8)}`;

/** A directory sync file: per person the address, a display name (its local part) and the area, plus a status column from `extra` when it gives one. */
export const syncFile = (area: string, people: string[], extra: (email: string) => string[] = () => []) =>
  csv([
    ['userPrincipalName', 'displayName', 'area', ...(extra('').length ? ['status'] : [])],
    ...people.map((email) => [email, email.split('@')[0]!, area, ...extra(email)]),
  ]);

/** Report rows by email: outcome/reason, or the outcome alone when it has no reason. */
export async function outcomes(key: string): Promise<Record<string, string>> {
  return Object.fromEntries((await readReport(key)).map((r) => [r.email, r.reason ? `${r.outcome}/${r.reason}` : r.outcome]));
}
