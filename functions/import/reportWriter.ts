/**
 * The report of an import, streamed to S3 as it is written (csv-stringify into
 * a multipart upload by @aws-sdk/lib-storage), so it never sits whole in memory.
 * One line per input row: line, email, outcome, reason, message, userId.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { stringify, type Options } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { SAFE_CSV_OPTIONS } from '#commons/csvWriting.ts';
import { s3 } from '#clients/s3.ts';
import type { ReportLine } from './importOutcome.ts';

const REPORT_COLUMNS = ['line', 'email', 'outcome', 'reason', 'message', 'userId'] as const;

/** The email column echoes what the file held: it is written as safely as an export (SAFE_CSV_OPTIONS). */
const REPORT_CSV_OPTIONS: Options = { header: true, columns: [...REPORT_COLUMNS], ...SAFE_CSV_OPTIONS };

const toRecord = (line: ReportLine) => [line.line, line.email, line.outcome, line.reason, line.message, line.userId];

const CONTENT_TYPE = 'text/csv; charset=utf-8';

export class ReportWriter {
  private readonly csv = stringify(REPORT_CSV_OPTIONS);
  private readonly upload: Upload;
  private readonly done: Promise<unknown>;

  constructor(bucket: string, key: string) {
    const body = new PassThrough();
    this.csv.pipe(body);
    // queueSize 1: at most two 5 MB parts in memory, whatever the report's size.
    this.upload = new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: body, ContentType: CONTENT_TYPE }, queueSize: 1 });
    // A failed upload reads no more: the stream is destroyed with its error, so a write waiting for
    // 'drain' fails instead of waiting for ever (and the job is released for a retry).
    this.csv.on('error', () => undefined);
    this.done = this.upload.done().catch((error: unknown) => {
      this.csv.destroy(error as Error);
      throw error;
    });
    // Surfaced by write() or finish(); without this an early failure would be an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** Writes one line, waiting while the upload catches up (backpressure). */
  async write(line: ReportLine): Promise<void> {
    if (this.csv.destroyed) await this.done;
    if (!this.csv.write(toRecord(line))) await Promise.race([once(this.csv, 'drain'), this.done]);
  }

  async finish(): Promise<void> {
    this.csv.end();
    await this.done;
  }

  async abort(): Promise<void> {
    this.csv.destroy();
    await this.upload.abort().catch(() => undefined);
  }
}

/** A report for a file that failed as a whole: the header and the one line that says why. */
export async function writeFailureReport(bucket: string, key: string, line: ReportLine): Promise<void> {
  const body = stringifySync([toRecord(line)], REPORT_CSV_OPTIONS);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: CONTENT_TYPE }));
}
