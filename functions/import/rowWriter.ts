/**
 * Pass 2 of an import: reads the file again and writes it in chunks. New
 * users go to core's createUsersInBulk (one transaction per 49 users reserves
 * their seats and writes them; an existing email is dropped from its chunk via
 * CancellationReasons and the rest retried). Rows are buffered only until
 * their chunk is written, then reported in file order.
 */
import { USERS_PER_TRANSACTION, createUsersInBulk, type BulkOutcome } from '#core/bulk.ts';
import type { NewUser } from '#core/people.ts';
import { userIdTime } from '#core/userId.ts';
import { forEachCheckedRow, type FileRead } from './checkedRows.ts';
import { ROW_REASONS, type ImportTally, type ReportLine, type RowReason } from './importOutcome.ts';
import type { BlockedUser } from './directorySync.ts';
import type { ListedState, ListedUsers } from './existingUsers.ts';
import type { JobLease } from './jobLease.ts';
import type { ReportWriter } from './reportWriter.ts';

/** New users per createUsersInBulk call: four full transactions. */
const NEW_USERS_PER_WRITE = 4 * USERS_PER_TRANSACTION;
/** Rows held for the report before a write is forced (when few rows are new). */
const MAX_BUFFERED_ROWS = 1000;

export interface WriteOptions extends Omit<FileRead, 'phase' | 'progress'> {
  lease: Pick<JobLease, 'report' | 'check' | 'mayBeEarlierAttempt'>;
  /** The ETag pass 1 read: the same bytes must be written. */
  eTag: string;
  report: ReportWriter;
  tally: ImportTally;
  sync?: {
    directory: string;
    /** The listed users that exist (pass 1). */
    listed: ListedUsers;
    activated: Set<string>;
    /** Areas where anyone still waits: new users queue there ('queue'), elsewhere they take free seats ('wait'). */
    queueAreas: Set<string>;
    /** Users the sync blocked (absent, or disabled), or found exempt, by lower-cased email; those the file lists (disabled) are reported on their line. */
    blocked: Map<string, BlockedUser>;
  };
}

const line = (partial: Omit<ReportLine, 'message'> & { message?: string }): ReportLine => ({
  ...partial,
  message: partial.message ?? (partial.reason ? ROW_REASONS[partial.reason as RowReason] : ''),
});

export async function writeRows(options: WriteOptions): Promise<void> {
  const { lease, report, tally, sync } = options;

  /** A row of the buffer: its report line, or the new user whose outcome will fill it in. */
  type Held = { line: ReportLine } | { newUser: NewUser; line: number };
  let held: Held[] = [];
  let newUsers = 0;

  /** Rows this job's earlier, interrupted attempt wrote come back as existing; say so. */
  const existsReason = (userId: string): RowReason =>
    lease.mayBeEarlierAttempt(userIdTime(userId)) ? 'WRITTEN_BY_EARLIER_ATTEMPT' : 'ALREADY_EXISTS';

  const toLine = (row: number, user: NewUser, outcome: BulkOutcome): ReportLine => {
    const base = { line: row, email: user.email };
    switch (outcome.outcome) {
      case 'created':
        return line({ ...base, outcome: 'created', reason: '', userId: outcome.user.id });
      case 'waiting':
        return line({ ...base, outcome: 'pending', reason: 'NO_FREE_SEAT', userId: outcome.user.id });
      case 'exists':
        return line({ ...base, outcome: 'exists', reason: existsReason(outcome.userId), userId: outcome.userId });
      case 'refused':
        return outcome.code === 'SEAT_LIMIT_REACHED'
          ? line({ ...base, outcome: 'rejected', reason: 'SEAT_LIMIT_REACHED', userId: '' })
          : line({ ...base, outcome: 'rejected', reason: 'UNKNOWN_AREA', message: `Area '${user.area}' no longer exists.`, userId: '' });
    }
  };

  const create = async (users: NewUser[]): Promise<BulkOutcome[]> => {
    if (!sync) return createUsersInBulk(users, 'refuse');
    // Areas where anyone waits queue, the others take free seats.
    const outcomes = await createUsersInBulk(users, (area) => (sync.queueAreas.has(area) ? 'queue' : 'wait'));
    outcomes.forEach((outcome, i) => {
      // Once one waits in an area, later rows of the file queue behind it.
      if (outcome.outcome === 'waiting') sync.queueAreas.add(users[i]!.area);
    });
    return outcomes;
  };

  const flush = async () => {
    const fresh = held.flatMap((entry) => ('newUser' in entry ? [entry.newUser] : []));
    const outcomes = fresh.length ? await create(fresh) : [];
    let n = 0;
    for (const entry of held) {
      const reportLine = 'newUser' in entry ? toLine(entry.line, entry.newUser, outcomes[n++]!) : entry.line;
      tally.add(reportLine);
      await report.write(reportLine);
    }
    held = [];
    newUsers = 0;
    lease.check();
  };

  const { rows } = await forEachCheckedRow({ ...options, progress: lease, phase: 'writing' }, async (row) => {
    // Each email is listed once (later ones are duplicates): take() frees its entry as the pass goes.
    const listed = row.kind === 'valid' && !row.disabled ? sync?.listed.take(row.key) : undefined;
    if (row.kind !== 'valid') {
      held.push({
        line: line({ line: row.line, email: row.email, outcome: row.kind, reason: row.reason, message: row.message, userId: '' }),
      });
    } else if (row.disabled) {
      const blocked = sync?.blocked.get(row.key);
      sync?.blocked.delete(row.key);
      held.push({
        line: blocked?.exempt
          ? line({ line: row.line, email: row.fields.email, outcome: 'exists', reason: 'EXEMPT_ACCOUNT', userId: blocked.id })
          : line({
              line: row.line,
              email: row.fields.email,
              outcome: blocked ? 'blocked' : 'ignored',
              reason: 'DISABLED_IN_DIRECTORY',
              ...(blocked
                ? {
                    message:
                      'The directory marks this account disabled or suspended, so it was blocked (reason directory) and its seat freed.',
                  }
                : {}),
              userId: blocked?.id ?? '',
            }),
      });
    } else if (listed) {
      held.push({ line: existingLine(row.line, row.fields.email, listed, sync!.activated, existsReason) });
    } else {
      const { email, name, givenName, familyName, area, externalId } = row.fields;
      const newUser: NewUser = {
        email,
        name,
        area,
        source: sync ? 'sync' : 'csv',
        ...(sync ? { directory: sync.directory } : {}),
        ...(externalId ? { externalId } : {}),
        ...(givenName ? { givenName } : {}),
        ...(familyName ? { familyName } : {}),
      };
      held.push({ newUser, line: row.line });
      newUsers++;
    }
    if (newUsers >= NEW_USERS_PER_WRITE || held.length >= MAX_BUFFERED_ROWS) await flush();
  });
  await flush();
  lease.report('writing', rows);
}

/** How a sync reports a listed user that already existed. */
function existingLine(
  row: number,
  email: string,
  user: { id: string; state: ListedState | 'rejoined' },
  activated: Set<string>,
  existsReason: (id: string) => RowReason,
): ReportLine {
  const base = { line: row, email, userId: user.id };
  if (activated.has(user.id)) return line({ ...base, outcome: 'activated', reason: '' });
  switch (user.state) {
    case 'active':
      return line({ ...base, outcome: 'exists', reason: existsReason(user.id) });
    case 'license':
      return line({ ...base, outcome: 'pending', reason: 'STILL_WAITING' });
    case 'rejoined':
      return line({ ...base, outcome: 'pending', reason: 'REJOINED_WAITING_LIST' });
    case 'admin':
      return line({ ...base, outcome: 'exists', reason: 'BLOCKED_BY_ADMIN' });
    case 'directory':
      // Not requeued (it changed meanwhile): left as it is.
      return line({ ...base, outcome: 'exists', reason: 'ALREADY_EXISTS', message: 'Blocked by the directory; left as it is.' });
    case 'other':
      return line({ ...base, outcome: 'exists', reason: 'OTHER_DIRECTORY' });
  }
}
