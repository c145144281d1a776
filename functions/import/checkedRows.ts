/**
 * How both passes of an import read the file: the uploaded object streamed,
 * its layout found, every data row checked (blank rows left out), progress
 * noted and the lease checked every PROGRESS_EVERY rows.
 */
import type { ImportSource } from '#core/importJobRecord.ts';
import { openCsv } from './csvRecords.ts';
import { ImportFileError } from './importOutcome.ts';
import { checkRow, type CheckedRow, type EmailsSeen, type RowContext } from './rowValidation.ts';
import { openObject } from './sourceObject.ts';

/** How often (in rows) progress is noted and the lease checked. */
const PROGRESS_EVERY = 1000;

/** What the reader needs of the job's lease: where to note progress, and a check that the job is still this run's. */
export interface ReadProgress {
  /** Notes how far the read has come (written with the lease's next renewal). */
  report(phase: string, rowsRead: number): void;
  /** Throws once another delivery has taken the job over. */
  check(): void;
}

export interface FileRead {
  source: ImportSource;
  /** Pass 2: the ETag pass 1 read; the same bytes must be read again. */
  eTag?: string;
  maxBytes: number;
  context: Omit<RowContext, 'columns'>;
  /** The emails seen so far: pass 1 fills it, pass 2 tells duplicates by it again, without a second copy. */
  seen: EmailsSeen;
  progress: ReadProgress;
  /** The phase progress is reported under. */
  phase: string;
}

const changedDuringImport = () =>
  new ImportFileError('SUPERSEDED', 'The file changed while it was being imported; the newer upload is imported on its own.');

type DataRow = Exclude<CheckedRow, { kind: 'blank' }>;

/** Reads the file once, handing each data row to `each` with its number (1-based); returns what was read. */
export async function forEachCheckedRow(
  read: FileRead,
  each: (row: DataRow, rows: number) => Promise<void> | void,
): Promise<{ rows: number; eTag: string; lastModified: string }> {
  const object = await openObject(read.source, read.maxBytes).catch((error: unknown) => {
    // Pass 2 (pass 1 read this upload): it was replaced during the import, not before it was read.
    throw read.eTag !== undefined && error instanceof ImportFileError && error.code === 'SUPERSEDED' ? changedDuringImport() : error;
  });
  try {
    // GetObject may name no version to compare (an engine that keeps none): the bytes pass 1 read are the last word.
    if (read.eTag !== undefined && object.eTag !== read.eTag) throw changedDuringImport();
    const csv = await openCsv(object.body, read.maxBytes);
    const context: RowContext = { ...read.context, columns: csv.layout.columns };
    read.progress.report(read.phase, 0);
    let rows = 0;
    for await (const record of csv.records) {
      const row = checkRow(record, context, read.seen);
      if (row.kind === 'blank') continue;
      rows++;
      await each(row, rows);
      if (rows % PROGRESS_EVERY === 0) {
        read.progress.report(read.phase, rows);
        read.progress.check();
      }
    }
    return { rows, eTag: object.eTag, lastModified: object.lastModified };
  } finally {
    object.close();
  }
}
