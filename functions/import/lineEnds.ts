/**
 * Lines as an editor shows them: CRLF, LF and CR each end one, in any mix
 * within one file. The decoder (where a bad byte is), the line-length guard
 * and csv-parse (where a record starts) all count lines this way.
 */

/** One line end; CRLF first so that it counts once. */
export const LINE_END = /\r\n|\r|\n/;
const LINE_ENDS = new RegExp(LINE_END.source, 'g');

/** csv-parse's record_delimiter: any line end outside quotes ends a record. */
export const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

/** How many line ends a text holds. */
export const countLineEnds = (text: string) => (text.includes('\r') || text.includes('\n') ? (text.match(LINE_ENDS)?.length ?? 0) : 0);

/** Follows a text read piece by piece; a CRLF split between two pieces is one line end. */
export class LineCounter {
  /** The line the text read so far ends on, 1-based. */
  line = 1;
  private afterCr = false;

  /**
   * Reads the next piece. For each line end in it, `ended` is called with the
   * length of the ending line's text within this piece, before `line` moves on.
   * Returns the length of the piece's last, still open line.
   */
  read(text: string, ended?: (length: number) => void): number {
    let start = this.afterCr && text.startsWith('\n') ? 1 : 0;
    for (const end of text.matchAll(LINE_ENDS)) {
      if (end.index < start) continue;
      ended?.(end.index - start);
      this.line++;
      start = end.index + end[0].length;
    }
    if (text) this.afterCr = text.endsWith('\r');
    return text.length - start;
  }
}
