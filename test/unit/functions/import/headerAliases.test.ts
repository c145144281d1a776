/**
 * Which column holds what (functions/import/headerAliases.ts): the names
 * directories export under, their ranks, account status columns; a header
 * alias never takes a column the file's real email column makes meaningless
 * (Atlassian's "User name" is the person's name); Google's bulk-upload
 * "New Status" says whether an account is suspended (issue 19, items 11–12).
 */
import { describe, expect, it } from 'vitest';
import { fieldOfHeader, isDisabled, mapColumns, valueOf } from '../../../../functions/import/headerAliases.ts';

/** admin.atlassian.com › Directory › Users › Export users. */
const ATLASSIAN = ['User id', 'User name', 'email', 'User status', 'Added to org', 'Last seen in Jira Software', 'Last seen in Confluence'];
/** Google Admin › Users › Bulk update users › the blank template. */
const GOOGLE_UPLOAD = [
  'First Name [Required]',
  'Last Name [Required]',
  'Email Address [Required]',
  'Password [Required]',
  'New Primary Email [UPLOAD ONLY]',
  'Change Password at Next Sign-In',
  'New Status [UPLOAD ONLY]',
  'Advanced Protection Program enrollment',
];

describe('"User name": a login, or the name', () => {
  it("is the display name in Atlassian's export, whose email column is 'email'", () => {
    const columns = mapColumns(ATLASSIAN);
    expect(columns).toMatchObject({ externalId: [0], name: [1], email: [2], status: [3] });
    const row = ['5b10ac8d82e05b22cc7d4ef5', 'Okafor, Chidi', 'chidi@example.com', 'Active', '2022-11-14', '', ''];
    expect([valueOf(row, columns, 'email'), valueOf(row, columns, 'name')]).toEqual(['chidi@example.com', 'Okafor, Chidi']);
    // A row without an address is a row without an address: the name is not taken for one.
    expect(valueOf(['x', 'Nora Atkins', '', 'Active'], columns, 'email')).toBe('');
  });

  it('is the email when nothing else is', () => {
    expect(mapColumns(['User name', 'Display name'])).toEqual({ email: [0], name: [1] });
    expect(mapColumns(['Name [displayName] Required', 'User name [userPrincipalName] Required'])).toEqual({ name: [0], email: [1] });
  });

  it("stays the email fallback next to a name column (Okta's Username, for rows whose Primary email is empty)", () => {
    const columns = mapColumns(['User Id', 'Username', 'First name', 'Last name', 'Primary email', 'Status']);
    expect(columns).toMatchObject({ email: [4, 1], givenName: [2], familyName: [3] });
    expect(columns.name).toBeUndefined();
  });
});

describe("Google Workspace's bulk-upload status", () => {
  const status = (headers: string[], values: Record<string, string>) =>
    isDisabled(
      headers.map((h) => values[h] ?? ''),
      mapColumns(headers),
    );

  it('reads New Status [UPLOAD ONLY]: SUSPENDED is disabled, Active and empty are not', () => {
    expect(status(GOOGLE_UPLOAD, { 'New Status [UPLOAD ONLY]': 'SUSPENDED' })).toBe(true);
    expect(status(GOOGLE_UPLOAD, { 'New Status [UPLOAD ONLY]': 'Suspended' })).toBe(true);
    expect(status(GOOGLE_UPLOAD, { 'New Status [UPLOAD ONLY]': 'Active' })).toBe(false);
    expect(status(GOOGLE_UPLOAD, {})).toBe(false);
  });

  it('in a downloaded file edited for upload, New Status (what the upload sets) goes before Status [READ ONLY] (what was)', () => {
    const headers = [...GOOGLE_UPLOAD, 'Status [READ ONLY]'];
    expect(status(headers, { 'New Status [UPLOAD ONLY]': 'Active', 'Status [READ ONLY]': 'Suspended' })).toBe(false);
    expect(status(headers, { 'New Status [UPLOAD ONLY]': 'Suspended', 'Status [READ ONLY]': 'Active' })).toBe(true);
    expect(status(headers, { 'Status [READ ONLY]': 'Suspended' })).toBe(true);
  });
});

describe('header aliases', () => {
  it.each([
    ['E-Mail', 'email', 1],
    ['Email Address [Required]', 'email', 1],
    ['User principal name', 'email', 2],
    ['User name [userPrincipalName] Required', 'email', 3],
    ['  LOGIN ', 'email', 3],
    ['Display name', 'name', 1],
    ['First Name [Required]', 'givenName', 1],
    ['surname', 'familyName', 1],
    ['Block sign in (Yes/No) [accountEnabled] Required', 'blocked', 1],
    ['accountEnabled', 'enabled', 1],
    ['Status [READ ONLY]', 'status', 2],
    ['New Status [UPLOAD ONLY]', 'status', 1],
    ['userAccountControl', 'accountControl', 1],
    ['Area', 'area', 1],
  ])('%s → %s', (header, field, rank) => {
    expect(fieldOfHeader(header)).toEqual({ field, rank });
  });

  it.each(['New Primary Email [UPLOAD ONLY]', 'Recovery Email', 'Manager Email', 'Proxy addresses', 'Licenses'])('ignores %s', (header) => {
    expect(fieldOfHeader(header)).toBeUndefined();
  });

  it('ranks email columns: mail before UPN before login, left to right within a rank', () => {
    expect(mapColumns(['login', 'userPrincipalName', 'Name', 'mail', 'E-mail']).email).toEqual([3, 4, 1, 0]);
  });

  it('reads account status from the columns directories use', () => {
    const disabled = (headers: string[], values: string[]) => isDisabled(values, mapColumns(headers));
    expect(disabled(['email', 'accountEnabled'], ['a@b.c', 'False'])).toBe(true);
    expect(disabled(['email', 'accountEnabled'], ['a@b.c', 'TRUE'])).toBe(false);
    expect(disabled(['email', 'Block credential'], ['a@b.c', 'True'])).toBe(true);
    expect(disabled(['email', 'Status'], ['a@b.c', 'LOCKED_OUT'])).toBe(false);
    expect(disabled(['email', 'Status'], ['a@b.c', 'DEPROVISIONED'])).toBe(true);
    expect(disabled(['email', 'Status'], ['a@b.c', ''])).toBe(false);
  });

  it('reads Active Directory userAccountControl: disabled when the ACCOUNTDISABLE bit (2) is set', () => {
    const disabled = (value: string) => isDisabled(['a@b.c', value], mapColumns(['mail', 'userAccountControl']));
    expect(['514', '66050', '546', ' 2 ', '0x202', '4260354'].map(disabled)).toEqual([true, true, true, true, true, true]);
    expect(['512', '66048', '544', '0', '0x200', '', 'unknown', '-1.5'].map(disabled)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    // Any column saying disabled is enough: Get-ADUser -Properties * exports Enabled as well.
    expect(isDisabled(['a@b.c', 'True', '514'], mapColumns(['mail', 'Enabled', 'userAccountControl']))).toBe(true);
    expect(isDisabled(['a@b.c', 'False', '512'], mapColumns(['mail', 'Enabled', 'userAccountControl']))).toBe(true);
  });
});
