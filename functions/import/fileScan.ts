/**
 * Pass 1 of an import: reads the whole file once, checking every row, before
 * anything is written. A file that fails (not CSV, binary, too large, a broken
 * quote on line 180,000) therefore creates nothing. A sync run also looks up,
 * 100 rows per BatchGet, which listed users exist, for the sync phases.
 */
import type { ImportSource } from '#core/importJobRecord.ts';
import { forEachCheckedRow } from './checkedRows.ts';
import { LOOKUP_BATCH, ListedUsers, findUsersByEmail } from './existingUsers.ts';
import { ImportFileError } from './importOutcome.ts';
import { EmailsSeen, type RowContext } from './rowValidation.ts';
import type { JobLease } from './jobLease.ts';

export interface ScanResult {
  /** Data rows (blank rows aside). */
  rows: number;
  eTag: string;
  lastModified: string;
  /** Every email of the file (lower-cased), with whether the directory lists it enabled. */
  seen: EmailsSeen;
  /** Sync runs: the users that exist for the file's valid rows (enabled ones; disabled ones that wait). */
  listed: ListedUsers;
}

export interface ScanOptions {
  source: ImportSource;
  maxBytes: number;
  maxRows: number;
  /** Sync runs: the directory; the file's users that exist are looked up. */
  directory?: string;
  context: Omit<RowContext, 'columns'>;
  lease: Pick<JobLease, 'report' | 'check' | 'mayBeEarlierAttempt'>;
}

export async function scanFile(options: ScanOptions): Promise<ScanResult> {
  const seen = new EmailsSeen();
  const listed = new ListedUsers(options.directory ?? '', options.lease);
  let batch: string[] = [];
  const lookUp = async () => {
    if (batch.length === 0) return;
    const found = await findUsersByEmail(batch);
    // In file order (BatchGet answers in any order): relisted users rejoin the waiting list in it.
    for (const key of batch) {
      const user = found.get(key);
      if (!user) continue;
      if (seen.listsEnabled(key)) listed.add(key, user);
      else listed.addDisabled(key, user);
    }
    batch = [];
  };

  const file = await forEachCheckedRow({ ...options, seen, progress: options.lease, phase: 'checking' }, async (row, rows) => {
    if (rows > options.maxRows) {
      throw new ImportFileError(
        'TOO_MANY_ROWS',
        `The file has more than ${options.maxRows.toLocaleString('en-US')} rows. Split it into smaller files.`,
        row.line,
      );
    }
    if (options.directory !== undefined && row.kind === 'valid') {
      batch.push(row.key);
      if (batch.length === LOOKUP_BATCH) await lookUp();
    }
  });
  await lookUp();
  if (file.rows === 0) throw new ImportFileError('EMPTY_FILE', 'The file has a header but no rows.');
  return { ...file, seen, listed };
}
