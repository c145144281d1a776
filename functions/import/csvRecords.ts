/**
 * The records of a CSV file, streamed: bytes are decoded (textDecoding),
 * the layout found from the first 64 KB (csvLayout), then csv-parse reads
 * record by record with backpressure, so memory does not grow with the file.
 */
import { Readable } from 'node:stream';
import { parse, CsvError, type InfoRecord, type Options } from 'csv-parse';
import { LAYOUT_SAMPLE_CHARS, detectLayout, type CsvLayout } from './csvLayout.ts';
import { decodeText } from './textDecoding.ts';
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

/** A record longer than this is not a user; the file fails rather than holding it in memory. */
const MAX_RECORD_CHARS = 64 * 1024;

const count = (text: string, pattern: RegExp) => (text.includes('\r') || text.includes('\n') ? (text.match(pattern)?.length ?? 0) : 0);
/** Line breaks as an editor shows them: CRLF, LF or CR each end one line. */
const lineBreaks = (fields: string[]) => fields.reduce((sum, field) => sum + count(field, /\r\n|\r|\n/g), 0);
/** csv-parse's `info.lines` counts a CRLF inside a quoted field as two lines; this undoes it. */
const crlfs = (fields: string[]) => fields.reduce((sum, field) => sum + count(field, /\r\n/g), 0);

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

/** Opens a file: reads just enough to find its layout, then streams the data records after the header. */
export async function openCsv(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<CsvFile> {
  const texts = decodeText(body, maxBytes)[Symbol.asyncIterator]();
  let head = '';
  let complete = false;
  while (head.length < LAYOUT_SAMPLE_CHARS) {
    const next = await texts.next();
    if (next.done) {
      complete = true;
      break;
    }
    head += next.value;
  }
  const layout = detectLayout(head, complete);

  async function* text(): AsyncGenerator<string> {
    yield head;
    head = '';
    for (let next = await texts.next(); !next.done; next = await texts.next()) yield next.value;
  }
  // Line numbers are worked out as csv-parse reads each record (on_record runs in order, before
  // records are handed on), so an error can name the line after the last good record.
  let overcount = 0;
  let lastEnd = layout.headerLine - 1;
  const options: Options<CsvRecord, string[]> = {
    delimiter: layout.delimiter,
    from_line: layout.headerLine,
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
