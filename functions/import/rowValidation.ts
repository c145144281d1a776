/**
 * One CSV record → a user to import, or the reason it cannot be. Checks run
 * in the order a person fixes them: the email first (it identifies the row),
 * then duplicates, then the other fields. Nothing here touches the database.
 */
import { MAX_EMAIL_LENGTH, isEmailAddress, isGuestPrincipalName } from '#core/emailAddress.ts';
import { areaName, hasUnsafeCharacters } from '#core/fields.ts';
import { MAX_NAME_LENGTH, isNameTooLong } from '#core/nameLength.ts';
import { emailKey } from '#core/user.ts';
import { isDisabled, valueOf, type ColumnMap } from './headerAliases.ts';
import type { CsvRecord } from './csvRecords.ts';
import { ROW_REASONS, type RowReason } from './importOutcome.ts';

/** The columns as a person reads them in a message. */
const COLUMN_NAMES = { name: 'display name', givenName: 'first name', familyName: 'last name', externalId: 'external id' } as const;

export interface RowFields {
  email: string;
  name: string;
  givenName: string;
  familyName: string;
  area: string;
  externalId: string;
}

export type CheckedRow =
  | { kind: 'valid'; line: number; key: string; fields: RowFields; disabled: boolean }
  | { kind: 'rejected' | 'ignored'; line: number; email: string; reason: RowReason; message: string }
  | { kind: 'blank'; line: number };

export interface RowContext {
  columns: ColumnMap;
  /** Area for rows without one: from the object key, else "primary". */
  defaultArea: string;
  areaExists: (area: string) => boolean;
}

/** The longest address there can be (RFC 3696: 64 characters, @, 255): more of a rejected row's email cell is cut from the report. */
const MAX_SHOWN_EMAIL = 320;

/** What goes in the report's email column for a row that was not imported (never more than a screenful). */
const shown = (value: string) => (value.length > MAX_SHOWN_EMAIL ? `${value.slice(0, MAX_SHOWN_EMAIL)}…` : value);

/**
 * First line of each email (lower-cased) seen in the file. 200,000 entries of
 * ~30-character keys take about 25 MB: well within a 512 MB function. The sign
 * of the line records whether the directory marks that account disabled.
 * Built by the first pass; the second pass reads the same file against the
 * same map (a row is its email's first line, or a duplicate of it), so the
 * file's emails are held once.
 */
export class EmailsSeen {
  private readonly lines = new Map<string, number>();

  /** Records the row; returns the email's first line when this row is a later one. */
  register(key: string, line: number, disabled: boolean): number | undefined {
    const first = this.lines.get(key);
    if (first === undefined) {
      this.lines.set(key, disabled ? -line : line);
      return undefined;
    }
    return Math.abs(first) === line ? undefined : Math.abs(first);
  }

  /** Whether a directory sync file lists this email as an enabled account. */
  listsEnabled(key: string): boolean {
    return (this.lines.get(key) ?? 0) > 0;
  }

  get size(): number {
    return this.lines.size;
  }
}

export function checkRow(record: CsvRecord, context: RowContext, seen: EmailsSeen): CheckedRow {
  const { line, fields } = record;
  if (fields.every((field) => field.trim() === '')) return { kind: 'blank', line };
  const { columns } = context;
  const email = valueOf(fields, columns, 'email');
  const reject = (reason: RowReason, message: string = ROW_REASONS[reason]): CheckedRow => ({
    kind: 'rejected',
    line,
    email: shown(email),
    reason,
    message,
  });

  if (record.malformed) {
    // Its cells are a guess, but a sync must not block as absent the person the row most likely lists.
    if (isEmailAddress(email)) seen.register(emailKey(email), line, false);
    return reject('MALFORMED_ROW', record.malformed);
  }
  if (!email) return reject('MISSING_EMAIL');
  // A template's example row ("Example: …" where the address goes).
  if (/^example:/i.test(email))
    return { kind: 'ignored', line, email: shown(email), reason: 'EXAMPLE_ROW', message: ROW_REASONS.EXAMPLE_ROW };
  if (email.length > MAX_EMAIL_LENGTH) return reject('FIELD_TOO_LONG', `The email address is longer than ${MAX_EMAIL_LENGTH} characters.`);
  if (!isEmailAddress(email)) {
    // Entra guests' UPNs (alice_contoso.com#EXT#@tenant.onmicrosoft.com) are no mailbox: the row needs the guest's mail.
    if (isGuestPrincipalName(email)) {
      return reject(
        'INVALID_EMAIL',
        "The row has no mail address, and its user principal name is a guest's user principal name (#EXT#), not an email address. Give the guest's email address in a mail column (the Microsoft 365 admin center's export has it only under Proxy addresses, after SMTP:).",
      );
    }
    return reject('INVALID_EMAIL');
  }

  const key = emailKey(email);
  const disabled = isDisabled(fields, columns);
  const earlier = seen.register(key, line, disabled);
  // Whether that line was imported or rejected, this one is a repeat of it: the message holds either way.
  if (earlier !== undefined)
    return reject(
      'DUPLICATE_IN_FILE',
      `This email address is already used on line ${earlier} of the file; a person is listed once, so this line is skipped.`,
    );

  const row: RowFields = {
    email,
    name: valueOf(fields, columns, 'name'),
    givenName: valueOf(fields, columns, 'givenName'),
    familyName: valueOf(fields, columns, 'familyName'),
    area: valueOf(fields, columns, 'area').toLowerCase() || context.defaultArea,
    externalId: valueOf(fields, columns, 'externalId'),
  };
  // Each column as the file holds it, before a display name is built from the parts; the same count as the API's and SCIM's.
  for (const field of ['name', 'givenName', 'familyName', 'externalId'] as const) {
    if (isNameTooLong(row[field]))
      return reject('FIELD_TOO_LONG', `The ${COLUMN_NAMES[field]} is longer than ${MAX_NAME_LENGTH} characters.`);
    if (hasUnsafeCharacters(row[field])) {
      return reject(
        'INVALID_TEXT',
        `The ${COLUMN_NAMES[field]} contains a control character (a line break, tab or NUL) or a text-direction override.`,
      );
    }
  }
  if (!row.name) {
    row.name = [row.givenName, row.familyName].filter(Boolean).join(' ');
    // Cutting the built name short would store a name nobody wrote: refuse it and say which columns.
    if (isNameTooLong(row.name)) {
      return reject(
        'FIELD_TOO_LONG',
        `The first name and last name together are longer than ${MAX_NAME_LENGTH} characters, the most a display name may have. Shorten them, or give a display name.`,
      );
    }
  }
  if (!areaName.safeParse(row.area).success || !context.areaExists(row.area)) {
    return reject(
      'UNKNOWN_AREA',
      `Area '${row.area.slice(0, 40)}' does not exist. A licence administrator can create it (PUT /license/areas/{area}).`,
    );
  }
  return { kind: 'valid', line, key, fields: row, disabled };
}
