/**
 * Reading a CSV file as a stream (functions/import/csvRecords.ts): decoding across
 * chunk boundaries, line numbers, whitespace around fields, and a header longer
 * than the layout sample. Line ends and quotes: csvRecords.lineEnds.test.ts and
 * csvRecords.quotes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../support/csv.ts';

describe('a header past the layout sample', () => {
  it('finds a header that the 64 KB sample cuts short, reading on to the end of its line', async () => {
    const header = ['email', ...Array.from({ length: 5_000 }, (_, i) => `column ${i}`)].join(';');
    const text = `${'x'.repeat(10_000)}\n${header}\na@cut.example\n`;
    expect(header.length).toBeLessThan(64 * 1024);
    expect(10_000 + header.length).toBeGreaterThan(64 * 1024);
    const { layout, records: out } = await readCsv(Buffer.from(text), 4096);
    expect(layout).toMatchObject({ headerLine: 2, delimiter: ';' });
    expect(out).toEqual([{ line: 3, fields: ['a@cut.example'] }]);
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
    expect((await readCsv(bytes, size)).records).toEqual(expected);
  });

  it.each([1, 3, 4096])('UTF-16 LE and BE with BOM in %i-byte chunks', async (size) => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect((await readCsv(le, size)).records).toEqual(expected);
    expect((await readCsv(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), size)).records).toEqual(expected);
  });

  it('counts lines of a large file exactly (beyond the 64 KB layout sample)', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => (i % 100 === 0 ? `"p${i}@x.example","two\nlines"` : `p${i}@x.example,one`));
    const { records: out } = await readCsv(Buffer.from(['email,name', ...rows].join('\n') + '\n'), 1000);
    expect(out).toHaveLength(5000);
    expect(out[4999]).toEqual({ line: 5001 + 50, fields: ['p4999@x.example', 'one'] });
  });
});

describe('whitespace around fields', () => {
  it('a space after the delimiter before a quoted field is not part of it; spaces inside fields are kept', async () => {
    const text =
      'name, "email", area\n"Ada  Sp", "sp1@sp.example", primary\n  Grace Hopper ,\t"sp2@sp.example" ,x\n" Lin, Mei ", "a ""b"" c@sp.example",\n';
    const { layout, records: out } = await readCsv(Buffer.from(text));
    expect(layout.headers).toEqual(['name', 'email', 'area']);
    expect(out).toEqual([
      { line: 2, fields: ['Ada  Sp', 'sp1@sp.example', 'primary'] },
      // Spaces after a closing quote are dropped too ("x" , reads x), and then those at the row's field ends.
      { line: 3, fields: ['Grace Hopper', 'sp2@sp.example', 'x'] },
      { line: 4, fields: [' Lin, Mei ', 'a "b" c@sp.example', ''] },
    ]);
  });

  it('tab- and semicolon-separated rows keep their empty fields', async () => {
    expect((await readCsv(Buffer.from('email\tname\tarea\n a@x.example\t\tprimary\n\t\t\nb@x.example\t "B"\t\n'))).records).toEqual([
      { line: 2, fields: ['a@x.example', '', 'primary'] },
      { line: 3, fields: ['', '', ''] },
      { line: 4, fields: ['b@x.example', 'B', ''] },
    ]);
    expect((await readCsv(Buffer.from('Name; E-Mail\n"Zoë Straße"; "zoe@x.example"\n;  c@x.example\n'))).records).toEqual([
      { line: 2, fields: ['Zoë Straße', 'zoe@x.example'] },
      { line: 3, fields: ['', 'c@x.example'] },
    ]);
  });
});
