/**
 * Which column holds what. Header names are compared without case, spaces or
 * punctuation, against the names the common directories export under:
 * Microsoft 365 admin center ("User principal name", "Display name", "Block credential"),
 * Entra ID ("userPrincipalName", "mail", "accountEnabled"; templates say "User name [userPrincipalName] Required"),
 * Google Workspace ("Email Address [Required]", "First Name [Required]", "Status [READ ONLY]"),
 * Okta ("Username", "Primary email", "Status"; the User Accounts report's "Okta username", "User fullname",
 * "Okta user status"; API-style "profile.login", "profile.email"), Active Directory (Export-Csv: "UserPrincipalName", "mail", "Enabled";
 * csvde: "userAccountControl").
 * Columns that match nothing are ignored.
 */

export type ColumnField =
  'email' | 'name' | 'givenName' | 'familyName' | 'area' | 'externalId' | 'enabled' | 'blocked' | 'status' | 'accountControl';

/**
 * Normalised header → field and rank. Several columns may hold an email
 * (Entra exports both `mail` and `userPrincipalName`): per row, the first
 * non-empty one by rank wins, so a guest's real `mail` beats its `…#EXT#` UPN.
 */
const ALIASES: Record<string, { field: ColumnField; rank: number }> = {};
const alias = (field: ColumnField, rank: number, ...names: string[]) => {
  for (const name of names) ALIASES[normalizeHeader(name)] = { field, rank };
};

/** "E-Mail Address" → "emailaddress"; letters and digits only, lower case. */
function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

alias(
  'email',
  1,
  'email',
  'mail',
  'e-mail',
  'email address',
  'e-mail address',
  'e-mail-adresse',
  'primary email',
  'primary email address',
  'work email',
  'PrimarySmtpAddress',
  'emails[0].value',
  'emails.value',
  'profile.email',
);
alias('email', 2, 'user principal name', 'userPrincipalName', 'upn');
alias('email', 3, 'login', 'user name', 'username', 'login name', 'sign-in name', 'userName', 'okta username', 'profile.login');
// German column names too: Excel in a German locale is a common source of semicolon files.
alias('name', 1, 'display name', 'displayName', 'name', 'full name', 'user fullname', 'common name', 'anzeigename', 'profile.displayName');
alias('givenName', 1, 'first name', 'firstName', 'given name', 'givenName', 'forename', 'vorname', 'profile.firstName');
alias('familyName', 1, 'last name', 'lastName', 'surname', 'sn', 'family name', 'familyName', 'nachname', 'profile.lastName');
alias('area', 1, 'area', 'seat area', 'licence area', 'license area');
alias('externalId', 1, 'external id', 'externalId', 'object id', 'objectId', 'ObjectGUID', 'immutable id', 'user id', 'id');
alias('enabled', 1, 'account enabled', 'accountEnabled', 'enabled', 'active');
alias('blocked', 1, 'block credential', 'block sign in', 'blocked', 'disabled', 'suspended');
// Google's bulk-upload "New Status [UPLOAD ONLY]" is what the upload sets: it goes before the export's "Status [READ ONLY]".
alias('status', 1, 'new status');
alias('status', 2, 'status', 'account status', 'user status', 'okta user status');
// Active Directory's flags attribute (csvde, ldifde, Get-ADUser -Properties *): a number, bit 0x2 = ACCOUNTDISABLE.
alias('accountControl', 1, 'userAccountControl');

/**
 * The names a header may stand for, most specific first. Template headers
 * carry annotations: "Email Address [Required]" (Google), "User name
 * [userPrincipalName] Required" and "Block sign in (Yes/No) [accountEnabled]"
 * (Entra). The visible words come first because they say what the values
 * mean ("Block sign in: Yes" is the opposite of accountEnabled).
 */
function headerCandidates(header: string): string[] {
  const plain = header.replace(/\[[^\]]*\]|\([^)]*\)/g, ' ').replace(/\b(required|optional|read only|upload only)\b/gi, ' ');
  const bracketed = [...header.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  return [plain, ...bracketed].map(normalizeHeader).filter(Boolean);
}

export function fieldOfHeader(header: string): { field: ColumnField; rank: number } | undefined {
  for (const candidate of headerCandidates(header)) {
    const match = ALIASES[candidate];
    if (match) return match;
  }
  return undefined;
}

/** Column indexes per field, best rank first, then left to right. */
export type ColumnMap = Partial<Record<ColumnField, number[]>>;

/** "User name": a login in Okta's and Entra's exports, the person's name in Atlassian's. */
const LOGIN_OR_NAME = normalizeHeader('user name');
const NAME_FIELDS: readonly ColumnField[] = ['name', 'givenName', 'familyName'];

export function mapColumns(headers: readonly string[]): ColumnMap {
  const found: { field: ColumnField; rank: number; index: number }[] = [];
  headers.forEach((header, index) => {
    const match = fieldOfHeader(header);
    if (match) found.push({ ...match, index });
  });
  // Next to a plain email column, "User name" as an email is meaningless; with no name column it is the
  // name (Atlassian: "User name", "email"). Okta's "Username" beside its name columns stays a fallback address.
  if (found.some((f) => f.field === 'email' && f.rank === 1) && !found.some((f) => NAME_FIELDS.includes(f.field))) {
    for (const f of found) {
      if (headerCandidates(headers[f.index]!).join() === LOGIN_OR_NAME) Object.assign(f, { field: 'name', rank: 1 });
    }
  }
  found.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const columns: ColumnMap = {};
  for (const { field, index } of found) (columns[field] ??= []).push(index);
  return columns;
}

/** The first non-empty value among a field's columns, trimmed; '' when none. */
export function valueOf(fields: readonly string[], columns: ColumnMap, field: ColumnField): string {
  for (const index of columns[field] ?? []) {
    const value = fields[index]?.trim();
    if (value) return value;
  }
  return '';
}

const FALSE = new Set(['false', 'no', 'n', '0', 'disabled', 'inactive']);
const TRUE = new Set(['true', 'yes', 'y', '1', 'blocked', 'disabled', 'suspended']);
/** Okta SUSPENDED/DEPROVISIONED, Google Suspended/Archived, and the plain words. LOCKED_OUT is temporary: still enabled. */
const DISABLED_STATUSES = new Set(['suspended', 'deprovisioned', 'disabled', 'inactive', 'blocked', 'archived', 'deleted', 'deactivated']);

/** userAccountControl's ACCOUNTDISABLE flag. */
const ACCOUNTDISABLE = 0x2;

/** Whether a userAccountControl value (decimal as csvde writes it, or 0x hexadecimal) has ACCOUNTDISABLE set; anything else is not a flag set. */
function hasAccountDisable(value: string): boolean {
  if (!/^(\d{1,10}|0x[0-9a-f]{1,8})$/i.test(value)) return false;
  return (Number(value) & ACCOUNTDISABLE) !== 0;
}

/** Whether the directory says this account is switched off (any status column saying so is enough). Unknown values count as enabled. */
export function isDisabled(fields: readonly string[], columns: ColumnMap): boolean {
  const enabled = valueOf(fields, columns, 'enabled').toLowerCase();
  if (enabled && FALSE.has(enabled)) return true;
  const blocked = valueOf(fields, columns, 'blocked').toLowerCase();
  if (blocked && TRUE.has(blocked)) return true;
  if (hasAccountDisable(valueOf(fields, columns, 'accountControl'))) return true;
  const status = normalizeHeader(valueOf(fields, columns, 'status'));
  return DISABLED_STATUSES.has(status);
}
