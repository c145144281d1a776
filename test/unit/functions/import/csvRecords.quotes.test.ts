/**
 * Quotes that do not close a field (issue 19, item 14): text after a closing
 * quote, and quotes escaped with a backslash, mark the record as malformed
 * (the row is rejected on its own line) instead of ending up in names; the
 * rows after it read as usual.
 */
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../support/csv.ts';

const records = async (text: string) => (await readCsv(text)).records;

describe('quotes', () => {
  it('text after a closing quote makes the record malformed, naming the quote; the next rows are read as usual', async () => {
    const out = await records(
      'email,name\r\nada@example.com,"Ada"Lovelace\r\n"grace@example.com"x,Grace\r\nlin@example.com,"Lin, Mei"\r\n',
    );
    expect(out.map(({ line, malformed }) => [line, malformed !== undefined])).toEqual([
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(out[0]!.malformed).toMatch(/closing quote/i);
    expect(out[0]!.malformed).toContain('"Ada"L');
    expect(out[2]).toEqual({ line: 4, fields: ['lin@example.com', 'Lin, Mei'] });
  });

  it('a quote escaped with a backslash makes the record malformed, saying how CSV writes a quote', async () => {
    const out = await records('email;name\nty@example.com;"Ty \\"The Guy\\" O\'Neil"\nzoe@example.com;Zoë\n');
    expect(out[0]).toMatchObject({ line: 2, malformed: expect.stringMatching(/backslash/i) });
    expect(out[0]!.malformed).toContain('""');
    expect(out[1]).toEqual({ line: 3, fields: ['zoe@example.com', 'Zoë'] });
  });

  it('a malformed record spanning lines is reported on its first line, the lines after it counted', async () => {
    const out = await records('email,name\n"a@example.com","two\nlines"x\nb@example.com,B\n');
    expect(out).toMatchObject([
      { line: 2, malformed: expect.any(String) },
      { line: 4, fields: ['b@example.com', 'B'] },
    ]);
  });

  it('valid quoting reads as written: doubled quotes, quotes inside unquoted fields; spaces around a quoted field are dropped', async () => {
    expect(
      await records(
        'email,name\n"a@example.com","Ty ""The Guy"" O\'Neil"\nb@example.com,O"Neil\n c@example.com, "Grace" \n"d@example.com"\t,"""Quoted"""\n',
      ),
    ).toEqual([
      { line: 2, fields: ['a@example.com', 'Ty "The Guy" O\'Neil'] },
      { line: 3, fields: ['b@example.com', 'O"Neil'] },
      { line: 4, fields: ['c@example.com', 'Grace'] },
      { line: 5, fields: ['d@example.com', '"Quoted"'] },
    ]);
  });
});
