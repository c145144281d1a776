/**
 * Finds the header line and the delimiter from the first lines of a file.
 * Exports put lines before the header: Entra's "version:v1.0", PowerShell's
 * "#TYPE …", Excel's "sep=;" (which also names the delimiter). The header is
 * the first of the first lines that names an email column, under the delimiter
 * that gives it one (the most frequent first); lines above it are skipped.
 */
import { parse } from 'csv-parse/sync';
import { mapColumns, type ColumnMap } from './headerAliases.ts';
import { ImportFileError } from './importOutcome.ts';
import { LINE_END } from './lineEnds.ts';

export interface CsvLayout {
  /** 1-based line number of the header in the file. */
  headerLine: number;
  delimiter: ',' | ';' | '\t';
  headers: string[];
  columns: ColumnMap;
}

const DELIMITERS = [',', ';', '\t'] as const;
/** How far down the header may be. */
const MAX_HEADER_LINE = 10;
/** How much text is enough to find the header (the caller reads at least this much, or the whole file). */
export const LAYOUT_SAMPLE_CHARS = 64 * 1024;
/** A record (the header included) longer than this is not a user; the file fails rather than holding it in memory. */
export const MAX_RECORD_CHARS = 64 * 1024;

/**
 * Whether `head`, the start of a file, is enough to find the header: its first
 * MAX_HEADER_LINE lines are complete, or the line it ends in already exceeds
 * MAX_RECORD_CHARS (so that line fails however it goes on).
 */
export function holdsHeaderLines(head: string): boolean {
  const lines = head.split(LINE_END, MAX_HEADER_LINE + 1);
  return lines.length > MAX_HEADER_LINE || lines[lines.length - 1]!.length > MAX_RECORD_CHARS;
}

/**
 * The delimiters a line holds outside quotes, most frequent first (a tie in
 * the order `,` `;` tab); a line without any is one comma-separated column.
 */
export function delimitersByCount(line: string): CsvLayout['delimiter'][] {
  const counts = new Map<CsvLayout['delimiter'], number>();
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(char)) {
      const delimiter = char as CsvLayout['delimiter'];
      counts.set(delimiter, (counts.get(delimiter) ?? 0) + 1);
    }
  }
  const found = DELIMITERS.filter((delimiter) => counts.has(delimiter));
  return found.length ? found.sort((a, b) => counts.get(b)! - counts.get(a)!) : [','];
}

function splitLine(line: string, delimiter: string): string[] {
  try {
    const [row] = parse(line, { delimiter, relax_quotes: true, relax_column_count: true, ltrim: true });
    return (row ?? []).map((cell) => cell.trim());
  } catch {
    return [];
  }
}

/**
 * `head` is the start of the decoded file; `complete` says whether it is the
 * whole file (else its last, possibly cut, line is not looked at). The caller
 * has measured every line of it against MAX_RECORD_CHARS.
 */
export function detectLayout(head: string, complete: boolean): CsvLayout {
  const lines = head.split(LINE_END);
  if (!complete) lines.pop();
  if (head.trim() === '') throw new ImportFileError('EMPTY_FILE', 'The file is empty: it has neither a header nor rows.');

  let forced: CsvLayout['delimiter'] | undefined;
  let firstCells: string[] | undefined;
  for (let index = 0; index < Math.min(lines.length, MAX_HEADER_LINE); index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const sep = /^"?sep=(.)"?\s*$/i.exec(line);
    if (sep) {
      forced = (DELIMITERS as readonly string[]).includes(sep[1]!) ? (sep[1] as CsvLayout['delimiter']) : undefined;
      continue;
    }
    // The likeliest delimiter first; but `Nachname, Vorname;E-Mail` has as many commas as semicolons,
    // and only one of them gives it an email column.
    for (const delimiter of forced ? [forced] : delimitersByCount(line)) {
      const headers = splitLine(line, delimiter);
      firstCells ??= headers;
      const columns = mapColumns(headers);
      if (columns.email?.length) return { headerLine: index + 1, delimiter, headers, columns };
    }
  }

  const start = head.trimStart()[0];
  if (start === '{' || start === '[')
    throw new ImportFileError('NOT_CSV', 'The file is JSON, not CSV. Export the user list as CSV and upload it again.');
  if (start === '<')
    throw new ImportFileError('NOT_CSV', 'The file is HTML or XML, not CSV. Export the user list as CSV and upload it again.');
  const seen = (firstCells ?? [])
    .slice(0, 12)
    .map((cell) => `'${cell.slice(0, 40)}'`)
    .join(', ');
  throw new ImportFileError(
    'NO_EMAIL_COLUMN',
    `No email column found in the first ${MAX_HEADER_LINE} lines${seen ? ` (the first line has ${seen})` : ''}. ` +
      `Name a column 'email' (also accepted: mail, e-mail, email address, user principal name, user name, login).`,
  );
}
