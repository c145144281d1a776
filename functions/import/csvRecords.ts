/**
 * The records of a CSV file, streamed: bytes are decoded (textDecoding),
 * the layout found from the first 64 KB (csvLayout), then csv-parse reads
 * record by record with backpressure, so memory does not grow with the file.
 * No record, the header included, may pass MAX_RECORD_CHARS.
 */
import { Readable } from 'node:stream';
import { parse, CsvError, type InfoRecord, type Options } from 'csv-parse';
import { LAYOUT_SAMPLE_CHARS, MAX_RECORD_CHARS, detectLayout, holdsHeaderLines, type CsvLayout } from './csvLayout.ts';
import { decodeText } from './textDecoding.ts';
import { LineCounter, RECORD_DELIMITERS, countLineEnds } from './lineEnds.ts';
import { ImportFileError } from './importOutcome.ts';

export interface CsvRecord {
  /** 1-based line of the file on which the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
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
      return new ImportFileError('MALFORMED_CSV', `A quoted field opened on line ${line} is never closed. Check the quotes on that line.`, line);
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportFileError('MALFORMED_CSV', `The record on line ${line} is longer than ${MAX_RECORD_CHARS / 1024} KB; this is not a user list.`, line);
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
  const options: Options<CsvRecord, string[]> = {
    delimiter: layout.delimiter,
    from_line: layout.headerLine,
    // Any line end ends a record, whichever the file starts with: csv-parse's default takes the first
    // one it meets as the only one, and a file mixing them (rows appended by another tool) lost rows.
    record_delimiter: RECORD_DELIMITERS,
    relax_column_count: true,
    relax_quotes: true,
    // Whitespace before a field, so `a, "b"` reads b (not ` "b"`, quotes and all). Not rtrim: it would
    // fail the whole file on `"Ada" Lovelace`, which relax_quotes reads as it stands.
    ltrim: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (fields: string[], context: InfoRecord) => {
      overcount += crlfs(fields);
      lastEnd = context.lines - overcount;
      return { line: lastEnd - lineBreaks(fields), fields };
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
