/**
 * Where the header is and what separates its columns (functions/import/csvLayout.ts):
 * preamble lines, `sep=`, and the delimiter under which the header names an email
 * column (issue 19, item 13).
 */
import { describe, expect, it } from 'vitest';
import { delimitersByCount, detectLayout } from '../../../../functions/import/csvLayout.ts';

describe('layout', () => {
  it('counts the delimiters outside quotes', () => {
    expect(delimitersByCount('"Name, full";Email;Area')).toEqual([';']);
    expect(delimitersByCount('Email\tName\tNotes, more')).toEqual(['\t', ',']);
    expect(delimitersByCount('email')).toEqual([',']);
  });

  it('skips preamble lines and honours sep=', () => {
    expect(detectLayout('version:v1.0\nuserPrincipalName,displayName\nx\n', false)).toMatchObject({ headerLine: 2, delimiter: ',' });
    expect(detectLayout('#TYPE Microsoft.ActiveDirectory.Management.ADUser\n"mail","Name"\n', true)).toMatchObject({ headerLine: 2 });
    expect(detectLayout('sep=;\nName, full;Email\n', true)).toMatchObject({
      headerLine: 2,
      delimiter: ';',
      headers: ['Name, full', 'Email'],
    });
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
    expect(detectLayout('Users, exported; 2024-03-01\nNachname, Vorname;E-Mail\nx\n', true)).toMatchObject({
      headerLine: 2,
      delimiter: ';',
    });
  });

  it('sep= still decides', () => {
    expect(() => detectLayout('sep=,\nNachname, Vorname;E-Mail\n', true)).toThrow(expect.objectContaining({ code: 'NO_EMAIL_COLUMN' }));
    expect(detectLayout('sep=;\nName, full;Email\n', true)).toMatchObject({ headerLine: 2, delimiter: ';' });
  });
});
