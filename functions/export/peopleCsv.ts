/**
 * The people export's CSV format: its columns, how a user becomes a row, and
 * the writer options that make the file safe and Excel-friendly.
 */
import type { Options as StringifyOptions } from 'csv-stringify';
import { SAFE_CSV_OPTIONS } from '#commons/csvWriting.ts';
import type { User } from '#core/user.ts';

/** Header names, in file order. */
export const PEOPLE_CSV_COLUMNS = [
  'id',
  'email',
  'name',
  'area',
  'account state',
  'blocked reason',
  'exempt',
  'roles',
  'source',
  'created',
  'updated',
] as const;

export type PeopleCsvColumn = (typeof PEOPLE_CSV_COLUMNS)[number];
export type PeopleCsvRow = Record<PeopleCsvColumn, string>;

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** Roles are one cell: `;` cannot occur in a role name (lower-case letters, digits, dashes). */
const ROLE_SEPARATOR = ';';

export function toPeopleCsvRow(user: User): PeopleCsvRow {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    area: user.area,
    // "Account state" as People admins say it: does the account work (Yes) or is it blocked (No)?
    'account state': yesNo(user.state === 'active'),
    'blocked reason': user.state === 'blocked' ? (user.blockedReason ?? 'admin') : '',
    exempt: yesNo(user.exempt),
    roles: user.roles.join(ROLE_SEPARATOR),
    source: user.source,
    created: user.createdAt,
    updated: user.updatedAt,
  };
}

/**
 * `bom`: Excel reads a CSV without a byte-order mark in the system code page,
 * which garbles every non-ASCII name. The rest makes the file safe to open (SAFE_CSV_OPTIONS).
 */
export const peopleCsvOptions: StringifyOptions = {
  bom: true,
  header: true,
  columns: [...PEOPLE_CSV_COLUMNS],
  ...SAFE_CSV_OPTIONS,
};
