/**
 * Pass 1 of an import: reads the whole file once, checking every row, before
 * anything is written. A file that fails (not CSV, binary, too large, a broken
 * quote on line 180,000) therefore creates nothing. A sync run also looks up,
 * 100 rows per BatchGet, which listed users exist, for the activation phase.
 */
import { openCsv } from './csvRecords.ts';
import { LOOKUP_BATCH, ListedUsers, findUsersByEmail } from './existingUsers.ts';
import { ImportFileError } from './importOutcome.ts';
import { openObject } from './sourceObject.ts';
import { EmailsSeen, checkRow, type RowContext } from './rowValidation.ts';
import type { ColumnMap } from './headerAliases.ts';
import type { ImportSource, JobLease } from './importJob.ts';

export interface ScanResult {
  /** Data rows (blank rows aside). */
  rows: number;
  eTag: string;
  lastModified: string;
  columns: ColumnMap;
  /** Every email of the file (lower-cased), with whether the directory lists it enabled. */
  seen: EmailsSeen;
  /** Sync runs: the users that exist for the file's valid, enabled rows. */
  listed: ListedUsers;
}

export interface ScanOptions {
  source: ImportSource;
  maxBytes: number;
  maxRows: number;
  lookUpExisting: boolean;
  context: Omit<RowContext, 'columns'>;
  lease: JobLease;
}

/** How often (in rows) progress is noted and the lease checked. */
export const PROGRESS_EVERY = 1000;

export async function scanFile(options: ScanOptions): Promise<ScanResult> {
  const object = await openObject(options.source, options.maxBytes);
  try {
    const csv = await openCsv(object.body, options.maxBytes);
    const context: RowContext = { ...options.context, columns: csv.layout.columns };
    const seen = new EmailsSeen();
    const listed = new ListedUsers();
    let batch: string[] = [];
    const lookUp = async () => {
      if (batch.length === 0) return;
      for (const [key, user] of await findUsersByEmail(batch)) listed.add(key, user);
      batch = [];
    };

    let rows = 0;
    for await (const record of csv.records) {
      const row = checkRow(record, context, seen);
      if (row.kind === 'blank') continue;
      rows++;
      if (rows > options.maxRows) {
        throw new ImportFileError('TOO_MANY_ROWS', `The file has more than ${options.maxRows.toLocaleString('en-US')} rows. Split it into smaller files.`, record.line);
      }
      if (options.lookUpExisting && row.kind === 'valid' && !row.disabled) {
        batch.push(row.key);
        if (batch.length === LOOKUP_BATCH) await lookUp();
      }
      if (rows % PROGRESS_EVERY === 0) {
        options.lease.report('checking', rows);
        options.lease.check();
      }
    }
    await lookUp();
    if (rows === 0) throw new ImportFileError('EMPTY_FILE', 'The file has a header but no rows.');
    return { rows, eTag: object.eTag, lastModified: object.lastModified, columns: csv.layout.columns, seen, listed };
  } finally {
    object.close();
  }
}
