/**
 * The import's parsing, without the engines: header aliases, delimiter and
 * preamble detection, decoding across chunk boundaries, line numbers, and
 * S3's key encoding (round trip over arbitrary keys).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../functions/import/csvRecords.ts';
import { delimitersByCount, detectLayout } from '../../functions/import/csvLayout.ts';
import { fieldOfHeader, isDisabled, mapColumns } from '../../functions/import/headerAliases.ts';
import { decodeEventKey, importTarget } from '../../functions/import/importTarget.ts';
import { encodeS3EventKey } from '../../infra/local/s3Events.ts';

async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function records(bytes: Uint8Array, chunkSize = 1 << 16) {
  const file = await openCsv(chunks(bytes, chunkSize), 1 << 30);
  const out: { line: number; fields: string[] }[] = [];
  for await (const record of file.records) out.push(record);
  return { layout: file.layout, records: out };
}

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
    expect(['512', '66048', '544', '0', '0x200', '', 'unknown', '-1.5'].map(disabled)).toEqual([false, false, false, false, false, false, false, false]);
    // Any column saying disabled is enough: Get-ADUser -Properties * exports Enabled as well.
    expect(isDisabled(['a@b.c', 'True', '514'], mapColumns(['mail', 'Enabled', 'userAccountControl']))).toBe(true);
    expect(isDisabled(['a@b.c', 'False', '512'], mapColumns(['mail', 'Enabled', 'userAccountControl']))).toBe(true);
  });
});

describe('layout', () => {
  it('counts the delimiters outside quotes', () => {
    expect(delimitersByCount('"Name, full";Email;Area')).toEqual([';']);
    expect(delimitersByCount('Email\tName\tNotes, more')).toEqual(['\t', ',']);
    expect(delimitersByCount('email')).toEqual([',']);
  });

  it('finds a header that the 64 KB sample cuts short, reading on to the end of its line', async () => {
    const header = ['email', ...Array.from({ length: 5_000 }, (_, i) => `column ${i}`)].join(';');
    const text = `${'x'.repeat(10_000)}\n${header}\na@cut.example\n`;
    expect(header.length).toBeLessThan(64 * 1024);
    expect(10_000 + header.length).toBeGreaterThan(64 * 1024);
    const { layout, records: out } = await records(Buffer.from(text), 4096);
    expect(layout).toMatchObject({ headerLine: 2, delimiter: ';' });
    expect(out).toEqual([{ line: 3, fields: ['a@cut.example'] }]);
  });

  it('skips preamble lines and honours sep=', () => {
    expect(detectLayout('version:v1.0\nuserPrincipalName,displayName\nx\n', false)).toMatchObject({ headerLine: 2, delimiter: ',' });
    expect(detectLayout('#TYPE Microsoft.ActiveDirectory.Management.ADUser\n"mail","Name"\n', true)).toMatchObject({ headerLine: 2 });
    expect(detectLayout('sep=;\nName, full;Email\n', true)).toMatchObject({ headerLine: 2, delimiter: ';', headers: ['Name, full', 'Email'] });
  });
});

describe('streamed decoding and line numbers', () => {
  const text = 'Email;Name\r\n"a@x.example";"Zoë\r\nÜ 😀"\r\n\r\nb@x.example;"陈伟"\r\n';
  const expected = [
    { line: 2, fields: ['a@x.example', 'Zoë\r\nÜ 😀'] },
    { line: 5, fields: ['b@x.example', '陈伟'] },
  ];

  it.each([1, 2, 3, 7, 4096])('UTF-8 with BOM in %i-byte chunks', async (size) => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect((await records(bytes, size)).records).toEqual(expected);
  });

  it.each([1, 3, 4096])('UTF-16 LE and BE with BOM in %i-byte chunks', async (size) => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect((await records(le, size)).records).toEqual(expected);
    expect((await records(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), size)).records).toEqual(expected);
  });

  it('counts lines of a large file exactly (beyond the 64 KB layout sample)', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => (i % 100 === 0 ? `"p${i}@x.example","two\nlines"` : `p${i}@x.example,one`));
    const { records: out } = await records(Buffer.from(['email,name', ...rows].join('\n') + '\n'), 1000);
    expect(out).toHaveLength(5000);
    expect(out[4999]).toEqual({ line: 5001 + 50, fields: ['p4999@x.example', 'one'] });
  });
});

describe('whitespace around fields', () => {
  it('a space after the delimiter before a quoted field is not part of it; spaces inside fields are kept', async () => {
    const text = 'name, "email", area\n"Ada  Sp", "sp1@sp.example", primary\n  Grace Hopper ,\t"sp2@sp.example" ,x\n" Lin, Mei ", "a ""b"" c@sp.example",\n';
    const { layout, records: out } = await records(Buffer.from(text));
    expect(layout.headers).toEqual(['name', 'email', 'area']);
    expect(out).toEqual([
      { line: 2, fields: ['Ada  Sp', 'sp1@sp.example', 'primary'] },
      // Spaces after a closing quote are dropped too ("x" , reads x), and then those at the row's field ends.
      { line: 3, fields: ['Grace Hopper', 'sp2@sp.example', 'x'] },
      { line: 4, fields: [' Lin, Mei ', 'a "b" c@sp.example', ''] },
    ]);
  });

  it('tab- and semicolon-separated rows keep their empty fields', async () => {
    expect((await records(Buffer.from('email\tname\tarea\n a@x.example\t\tprimary\n\t\t\nb@x.example\t "B"\t\n'))).records).toEqual([
      { line: 2, fields: ['a@x.example', '', 'primary'] },
      { line: 3, fields: ['', '', ''] },
      { line: 4, fields: ['b@x.example', 'B', ''] },
    ]);
    expect((await records(Buffer.from('Name; E-Mail\n"Zoë Straße"; "zoe@x.example"\n;  c@x.example\n'))).records).toEqual([
      { line: 2, fields: ['Zoë Straße', 'zoe@x.example'] },
      { line: 3, fields: ['', 'c@x.example'] },
    ]);
  });
});

describe('object keys', () => {
  it('decodes what S3 encodes, for any key', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), (segments) => {
        const key = segments.join('/');
        expect(decodeEventKey(encodeS3EventKey(key))).toBe(key);
        expect(encodeS3EventKey(key)).not.toMatch(/ /);
      }),
    );
  });

  it('tells uploads from syncs', () => {
    expect(importTarget('imports/people.csv')).toEqual({ mode: 'upload', area: 'primary' });
    expect(importTarget('imports/Extranet/2024/people.CSV')).toEqual({ mode: 'upload', area: 'extranet' });
    expect(importTarget('sync/Okta/2024-11-23/users.csv')).toEqual({ mode: 'sync', directory: 'okta' });
    expect(importTarget('reports/imports/people.csv.csv')).toBeUndefined();
    expect(importTarget('imports/folder/')).toBeUndefined();
    expect(() => importTarget('imports/people.xlsx')).toThrow(expect.objectContaining({ code: 'NOT_CSV' }));
    expect(() => importTarget('sync/users.csv')).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});
