/**
 * The records of a CSV file, streamed: bytes are decoded (textDecoding),
 * the layout found from the first 64 KB (csvLayout), then csv-parse reads
 * record by record with backpressure, so memory does not grow with the file.
 * No record, the header included, may pass MAX_RECORD_CHARS.
 */
import { Readable } from 'node:stream';
import { parse, CsvError, type InfoRecord, type Options } from 'csv-parse';
import { parse as parseText } from 'csv-parse/sync';
import { LAYOUT_SAMPLE_CHARS, MAX_RECORD_CHARS, detectLayout, holdsHeaderLines, type CsvLayout } from './csvLayout.ts';
import { decodeText } from './textDecoding.ts';
import { LineCounter, RECORD_DELIMITERS, countLineEnds } from './lineEnds.ts';
import { ImportFileError } from './importOutcome.ts';

export interface CsvRecord {
  /** 1-based line of the file on which the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
  /** Why the record is not valid CSV (a quote out of place), in words; its fields are then a guess. */
  malformed?: string;
}

export interface CsvFile {
  layout: CsvLayout;
  records: AsyncIterable<CsvRecord>;
}

/** Line breaks inside a record's fields (quoted ones), counted as an editor shows them. */
const lineBreaks = (fields: string[]) => fields.reduce((sum, field) => sum + countLineEnds(field), 0);
/** csv-parse's `info.lines` counts a CRLF inside a quoted field as two lines; this undoes it. */
const crlfs = (fields: string[]) => fields.reduce((sum, field) => sum + (field.includes('\r\n') ? field.split('\r\n').length - 1 : 0), 0);

/** `line`: where the record that failed starts (the line after the last good record). */
function fileErrorFromParser(error: unknown, line: number): unknown {
  if (!(error instanceof CsvError)) return error;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportFileError(
        'MALFORMED_CSV',
        `A quoted field opened on line ${line} is never closed. Check the quotes on that line.`,
        line,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportFileError(
        'MALFORMED_CSV',
        `The record on line ${line} is longer than ${MAX_RECORD_CHARS / 1024} KB; this is not a user list.`,
        line,
      );
    default:
      return new ImportFileError('MALFORMED_CSV', `The file is not valid CSV near line ${line}: ${error.message}`, line);
  }
}

/** The file failure for a line over MAX_RECORD_CHARS, measured as written (delimiters and quotes included). */
export function lineTooLong(line: number): ImportFileError {
  return new ImportFileError(
    'MALFORMED_CSV',
    `Line ${line} is longer than ${MAX_RECORD_CHARS / 1024} KB, the most one record (the header or a row) may have; this is not a user list. Check that line, e.g. for a run of empty columns.`,
    line,
  );
}

/**
 * Fails the file on a line longer than MAX_RECORD_CHARS as its text goes by.
 * csv-parse's max_record_size counts only the fields' text, so a line of
 * 400,000 delimiters (empty columns) would pass it, as 400,000 fields in memory.
 */
function lineLengthGuard(): (text: string) => void {
  const lines = new LineCounter();
  let length = 0;
  return (text) => {
    const open = lines.read(text, (ended) => {
      if (length + ended > MAX_RECORD_CHARS) throw lineTooLong(lines.line);
      length = 0;
    });
    length += open;
    if (length > MAX_RECORD_CHARS) throw lineTooLong(lines.line);
  };
}

/** A field as a message shows it: short, on one line. */
const excerpt = (field: string) => `'${field.length > 40 ? `${field.slice(0, 40)}…` : field}'`.replace(/[\r\n]+/g, ' ');

/**
 * A record read leniently (relax_quotes, so no quote ever fails the file) in
 * which a field starts with a quote: a quoted field that begins with a doubled
 * quote (`"""Quoted"""`), or one that text follows after its closing quote
 * (`"Ada"Lovelace`, or a quote escaped with a backslash, `"Ty \"The Guy\""`),
 * which relax_quotes would read into the name, quotes and all. Read again
 * strictly: its fields (spaces after a closing quote dropped), or what is wrong.
 * (Strictly, a quote inside an unquoted field is wrong too: read leniently as
 * written in any other row, it is reported in a row that sends it here.)
 */
function reread(raw: string, lenient: string[], delimiter: string): Pick<CsvRecord, 'fields' | 'malformed'> {
  try {
    const [fields] = parseText(raw, {
      delimiter,
      record_delimiter: RECORD_DELIMITERS,
      relax_column_count: true,
      ltrim: true,
      rtrim: true,
      skip_empty_lines: true,
    });
    return { fields: fields ?? lenient };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const field = lenient[(error as CsvError & { index?: number }).index ?? -1] ?? lenient.find((f) => f.startsWith('"')) ?? '';
    const malformed =
      error.code === 'INVALID_OPENING_QUOTE'
        ? `The row is not valid CSV: a field holds a quote but does not start with one (${excerpt(field)}). Put the whole field in quotes and write each quote inside it as two quotes ("").`
        : field.includes('\\"')
          ? `The row is not valid CSV: a quote inside a quoted field is escaped with a backslash (${excerpt(field)}); CSV writes it as two quotes (""). Export the file as standard CSV, or replace \\" with "".`
          : `The row is not valid CSV: text follows a closing quote (${excerpt(field)}); after a quoted field only the delimiter may come. Put the whole field in quotes and write each quote inside it as two quotes ("").`;
    return { fields: lenient, malformed };
  }
}

/** Opens a file: reads just enough to find its layout, then streams the data records after the header. */
export async function openCsv(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<CsvFile> {
  const texts = decodeText(body, maxBytes)[Symbol.asyncIterator]();
  let head = '';
  let complete = false;
  // At least the sample; more while a line among the first few is cut short and may yet be the header.
  while (head.length < LAYOUT_SAMPLE_CHARS || !holdsHeaderLines(head)) {
    const next = await texts.next();
    if (next.done) {
      complete = true;
      break;
    }
    head += next.value;
  }
  // Every line read so far is measured before the layout is looked for, so that search never meets one too long.
  const guard = lineLengthGuard();
  guard(head);
  const layout = detectLayout(head, complete);

  async function* text(): AsyncGenerator<string> {
    yield head;
    head = '';
    for (let next = await texts.next(); !next.done; next = await texts.next()) {
      guard(next.value);
      yield next.value;
    }
  }
  // Line numbers are worked out as csv-parse reads each record (on_record runs in order, before
  // records are handed on), so an error can name the line after the last good record.
  let overcount = 0;
  let lastEnd = layout.headerLine - 1;
  const options: Options<CsvRecord, { record: string[]; raw: string }> = {
    delimiter: layout.delimiter,
    from_line: layout.headerLine,
    // Any line end ends a record, whichever the file starts with: csv-parse's default takes the first
    // one it meets as the only one, and a file mixing them (rows appended by another tool) lost rows.
    record_delimiter: RECORD_DELIMITERS,
    relax_column_count: true,
    relax_quotes: true,
    // Whitespace before a field, so `a, "b"` reads b (not ` "b"`, quotes and all). Not rtrim: it would
    // fail the whole file on `"Ada" Lovelace`; reread() rejects that row alone.
    ltrim: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    // The record's text, for reread(): only records with a field that starts with a quote need it.
    raw: true,
    // With raw, csv-parse hands on a record as { record, raw }.
    on_record: ({ record: fields, raw }: { record: string[]; raw: string }, context: InfoRecord) => {
      overcount += crlfs(fields);
      lastEnd = context.lines - overcount;
      const line = lastEnd - lineBreaks(fields);
      return fields.some((field) => field.startsWith('"')) ? { line, ...reread(raw, fields, layout.delimiter) } : { line, fields };
    },
  };
  // csv-parse types a parser without `columns` as yielding string[]; on_record makes it yield CsvRecord.
  const parser = parse(options as unknown as Options);
  const source = Readable.from(text());
  // An error of the source (size, encoding) ends the parser with that same error.
  source.once('error', (error) => parser.destroy(error));
  source.pipe(parser);

  async function* records(): AsyncGenerator<CsvRecord> {
    let header = true;
    try {
      for await (const record of parser as AsyncIterable<CsvRecord>) {
        if (header) {
          header = false;
          continue;
        }
        yield record;
      }
    } catch (error) {
      throw fileErrorFromParser(error, lastEnd + 1);
    } finally {
      source.destroy();
    }
  }
  return { layout, records: records() };
}
