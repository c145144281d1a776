/**
 * Line ends (issue 19, items 7 and 8): CRLF, LF and CR each end a record
 * anywhere in a file, whatever the header ends with, and every line end counts
 * one line, so a record's line is the line an editor shows it on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../support/csv.ts';

/** Each record's line and fields. */
async function records(text: string, chunkSize?: number) {
  return (await readCsv(text, chunkSize)).records.map(({ line, fields }) => ({ line, fields }));
}

describe('every line end ends a record, in any mix', () => {
  it('a CRLF header over LF rows, the last without a line end: both rows', async () => {
    expect(await records('Email,Name\r\na@example.com,A\nb@example.com,B')).toEqual([
      { line: 2, fields: ['a@example.com', 'A'] },
      { line: 3, fields: ['b@example.com', 'B'] },
    ]);
  });

  it('a CRLF header over 100 LF rows: 100 records on lines 2 to 101', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `p${i}@example.com,Person ${i}`);
    const out = await records(`email,name\r\n${rows.join('\n')}\n`);
    expect(out).toHaveLength(100);
    expect(out.map((r) => r.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    expect(out[99]).toEqual({ line: 101, fields: ['p99@example.com', 'Person 99'] });
  });

  it('one LF row among CRLF rows does not swallow the next row', async () => {
    expect(await records('email,name\r\na@example.com,A\r\nb@example.com,B\nc@example.com,C\r\nd@example.com,D\r\n')).toEqual([
      { line: 2, fields: ['a@example.com', 'A'] },
      { line: 3, fields: ['b@example.com', 'B'] },
      { line: 4, fields: ['c@example.com', 'C'] },
      { line: 5, fields: ['d@example.com', 'D'] },
    ]);
  });

  it('an LF header over CRLF rows: lines 2, 3, 4 (not 2, 4, 6), and no CR left in the last field', async () => {
    expect(await records('email,name\na@example.com,A\r\nb@example.com,B\r\nc@example.com,C\r\n')).toEqual([
      { line: 2, fields: ['a@example.com', 'A'] },
      { line: 3, fields: ['b@example.com', 'B'] },
      { line: 4, fields: ['c@example.com', 'C'] },
    ]);
  });

  it('CR alone (classic Mac OS) ends records too, also after a CRLF header', async () => {
    expect(await records('email,name\r\na@example.com,A\rb@example.com,B\r\rc@example.com,C')).toEqual([
      { line: 2, fields: ['a@example.com', 'A'] },
      { line: 3, fields: ['b@example.com', 'B'] },
      { line: 5, fields: ['c@example.com', 'C'] },
    ]);
  });

  // A CR and its LF may arrive in two pieces (1- and 2-byte chunks split every CRLF somewhere).
  it.each([1, 2, 3, 5, 4096])('a file mixing CRLF, LF, CR, blank lines and quoted line breaks, in %i-byte chunks', async (size) => {
    const text =
      'version:v1.0\r\nemail;name\n"a@example.com";"two\r\nlines"\rb@example.com;B\r\n\r\n\nc@example.com;"three\nli\rnes"\n\rd@example.com;D';
    expect(await records(text, size)).toEqual([
      { line: 3, fields: ['a@example.com', 'two\r\nlines'] },
      { line: 5, fields: ['b@example.com', 'B'] },
      { line: 8, fields: ['c@example.com', 'three\nli\rnes'] },
      { line: 12, fields: ['d@example.com', 'D'] },
    ]);
  });

  it('any rows with any line ends: one record per row, on the line an editor shows it on', async () => {
    const lineEnd = fc.constantFrom('\r\n', '\n', '\r');
    const row = fc.record({ inQuotes: fc.array(lineEnd, { maxLength: 2 }), after: lineEnd });
    await fc.assert(
      fc.asyncProperty(
        lineEnd,
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        async (headerEnd, rows, chunk) => {
          let text = `email,notes${headerEnd}`;
          let line = 2;
          const expected = rows.map(({ inQuotes, after }, i) => {
            const notes = `n${inQuotes.join('x')}`;
            text += `p${i}@example.com,"${notes}"${after}`;
            const record = { line, fields: [`p${i}@example.com`, notes] };
            line += inQuotes.length + 1;
            return record;
          });
          expect(await records(text, chunk)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
