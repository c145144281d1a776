/**
 * What an import says about each row (the report) and about the file as a
 * whole (the job). Codes are stable: admins filter reports by them.
 */
import { zeroCounts, type ImportCounts } from '#core/importJobRecord.ts';

/** The final state of one input row. */
export const ROW_OUTCOMES = ['created', 'activated', 'pending', 'exists', 'rejected', 'ignored', 'blocked'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

/** Why a row ended as it did; each has a sentence a person understands. */
export const ROW_REASONS = {
  MISSING_EMAIL: 'The row has no email address.',
  INVALID_EMAIL: 'The email address is not valid.',
  DUPLICATE_IN_FILE: 'The email address is already used on an earlier line of this file; this line is skipped.',
  FIELD_TOO_LONG: 'A field is too long.',
  MALFORMED_ROW: 'The row is not valid CSV (a quote out of place), so its fields cannot be told apart; nothing was created from it.',
  INVALID_TEXT: 'A name field contains a control character (a line break, tab or NUL) or a text-direction override.',
  UNKNOWN_AREA: 'The area does not exist.',
  SEAT_LIMIT_REACHED:
    'No free seat in the area, so the user was not created. Block or delete accounts that no longer need access, or ask a licence administrator for more licences, then upload these rows again.',
  NO_FREE_SEAT:
    'Created blocked (reason licence): no seat was free, or others already wait for the free ones; it is activated when its turn comes, oldest first.',
  STILL_WAITING: 'Still blocked (reason licence): no seat is free yet. Waiting users are activated oldest first.',
  REJOINED_WAITING_LIST:
    'Listed again after the directory had deactivated it, with no seat free for it: it joined the back of the waiting list (blocked, reason licence) and is activated when its turn comes.',
  ALREADY_EXISTS: 'A user with this email already exists; nothing changed and no seat was used.',
  WRITTEN_BY_EARLIER_ATTEMPT:
    'Written by an earlier attempt at this same file that was interrupted; this attempt found it done and used no further seat.',
  BLOCKED_BY_ADMIN: 'Blocked by an administrator; a sync never unblocks it.',
  OTHER_DIRECTORY:
    "Blocked, and not this directory's user (another directory's, or created by an administrator); a sync changes only its own directory's users, so it was left as it is.",
  DISABLED_IN_DIRECTORY: 'The directory marks this account disabled or suspended; it is not created or activated.',
  ABSENT_FROM_DIRECTORY: 'Not in this sync file, so it was blocked (reason directory) as this directory is configured to.',
  EXEMPT_ACCOUNT:
    'The directory marks this account disabled, or leaves it out, but it is exempt (a support or administrator profile): a licence administrator manages it, so a sync never blocks it. It was left as it is.',
  EXAMPLE_ROW: "A template's example row; skipped.",
} as const;
export type RowReason = keyof typeof ROW_REASONS;

const COUNT_OF: Record<RowOutcome, Exclude<keyof ImportCounts, 'rows'>> = {
  created: 'created',
  activated: 'activated',
  pending: 'blockedPending',
  exists: 'skippedExisting',
  rejected: 'rejected',
  ignored: 'ignored',
  blocked: 'blockedAbsent',
};

/** One line of the report. `line` is empty for users the file does not list (absent users). */
export interface ReportLine {
  line: number | '';
  email: string;
  /** `failed`: the single line of a file that failed as a whole. */
  outcome: RowOutcome | 'failed';
  reason: RowReason | FileFailureCode | '';
  message: string;
  userId: string;
}

export class ImportTally {
  readonly counts = zeroCounts();
  readonly byReason: Partial<Record<RowReason, number>> = {};

  add(line: ReportLine): void {
    if (line.outcome === 'failed') return;
    if (line.line !== '') this.counts.rows++;
    this.counts[COUNT_OF[line.outcome]]++;
    if (line.reason) this.byReason[line.reason as RowReason] = (this.byReason[line.reason as RowReason] ?? 0) + 1;
  }
}

/** Reasons a file fails as a whole. Nothing is written for such a file. */
export const FILE_FAILURES = [
  'NOT_CSV',
  'EMPTY_FILE',
  'BINARY_FILE',
  'UNSUPPORTED_ENCODING',
  'FILE_TOO_LARGE',
  'TOO_MANY_ROWS',
  'NO_EMAIL_COLUMN',
  'MALFORMED_CSV',
  'AREA_NOT_FOUND',
  'FILE_NOT_FOUND',
  'INVALID_KEY',
  'SUPERSEDED',
] as const;
export type FileFailureCode = (typeof FILE_FAILURES)[number];

/** The file cannot be imported; `line` says where, when one line is to blame. */
export class ImportFileError extends Error {
  constructor(
    readonly code: FileFailureCode,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}
