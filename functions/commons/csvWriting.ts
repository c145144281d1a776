import type { Options } from 'csv-stringify';

/**
 * Writer options every CSV Seatkeeper writes shares (the people export, import reports):
 * - `escape_formulas`: a cell starting with = + - @ tab or CR (or their
 *   full-width forms) gets a leading `'`, so Excel and LibreOffice show it as
 *   text instead of running it (CSV injection, OWASP).
 * - CRLF line ends, as RFC 4180 and Excel expect.
 * - `quoted_match`: with CRLF record ends csv-stringify quotes only cells that
 *   hold a CRLF; a lone LF or CR left bare would split the row in two, and the
 *   second half could start with a formula nobody neutralised.
 */
export const SAFE_CSV_OPTIONS = {
  escape_formulas: true,
  record_delimiter: 'windows',
  quoted_match: /[\r\n]/,
} as const satisfies Options;
