/**
 * Which column holds what (issue 19, items 11–13): a header alias never takes
 * a column the file's real email column makes meaningless (Atlassian's
 * "User name" is the person's name); Google's bulk-upload "New Status" says
 * whether an account is suspended; the delimiter is the one under which the
 * header has an email column.
 */
import { describe, expect, it } from 'vitest';
import { detectLayout } from '../../functions/import/csvLayout.ts';
import { isDisabled, mapColumns, valueOf } from '../../functions/import/headerAliases.ts';

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
  const status = (headers: string[], values: Record<string, string>) => isDisabled(headers.map((h) => values[h] ?? ''), mapColumns(headers));

  it("reads New Status [UPLOAD ONLY]: SUSPENDED is disabled, Active and empty are not", () => {
    expect(status(GOOGLE_UPLOAD, { 'New Status [UPLOAD ONLY]': 'SUSPENDED' })).toBe(true);
    expect(status(GOOGLE_UPLOAD, { 'New Status [UPLOAD ONLY]': 'Suspended' })).toBe(true);
    expect(status(GOOGLE_UPLOAD, { 'New Status [UPLOAD ONLY]': 'Active' })).toBe(false);
    expect(status(GOOGLE_UPLOAD, {})).toBe(false);
  });

  it("in a downloaded file edited for upload, New Status (what the upload sets) goes before Status [READ ONLY] (what was)", () => {
    const headers = [...GOOGLE_UPLOAD, 'Status [READ ONLY]'];
    expect(status(headers, { 'New Status [UPLOAD ONLY]': 'Active', 'Status [READ ONLY]': 'Suspended' })).toBe(false);
    expect(status(headers, { 'New Status [UPLOAD ONLY]': 'Suspended', 'Status [READ ONLY]': 'Active' })).toBe(true);
    expect(status(headers, { 'Status [READ ONLY]': 'Suspended' })).toBe(true);
  });
});

describe('the delimiter is the one under which the header names an email column', () => {
  it.each([
    ['Nachname, Vorname;E-Mail', ';', ['Nachname, Vorname', 'E-Mail']],
    ['Name, Vorname, Titel;E-Mail;Abteilung', ';', ['Name, Vorname, Titel', 'E-Mail', 'Abteilung']],
    ['Last name, first name\tEmail', '\t', ['Last name, first name', 'Email']],
    ['email;name,notes', ';', ['email', 'name,notes']],
    ['email,name;notes', ',', ['email', 'name;notes']],
    ['"Name; full",email', ',', ['Name; full', 'email']],
  ])('%j → %j', (header, delimiter, headers) => {
    expect(detectLayout(`${header}\r\nrow\r\n`, true)).toMatchObject({ headerLine: 1, delimiter, headers });
  });

  it('a line with no email column under any delimiter is skipped as before', () => {
    expect(detectLayout('Users, exported; 2024-03-01\nNachname, Vorname;E-Mail\nx\n', true)).toMatchObject({ headerLine: 2, delimiter: ';' });
  });

  it('sep= still decides', () => {
    expect(() => detectLayout('sep=,\nNachname, Vorname;E-Mail\n', true)).toThrow(expect.objectContaining({ code: 'NO_EMAIL_COLUMN' }));
    expect(detectLayout('sep=;\nName, full;Email\n', true)).toMatchObject({ headerLine: 2, delimiter: ';' });
  });
});
