/**
 * Bytes → text, streaming. Recognises what is plainly not CSV (workbooks,
 * PDFs, archives, binary data) from the first bytes, reads the encoding from
 * the byte order mark (UTF-8 with or without BOM, UTF-16 LE/BE with BOM), and
 * enforces the size limit on the bytes actually read, whatever the metadata says.
 */
import { TextDecoder } from 'node:util';
import { formatBytes } from '#commons/byteSize.ts';
import { ImportFileError } from './importOutcome.ts';
import { LineCounter } from './lineEnds.ts';

type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** How many leading bytes decide the encoding and whether it is binary. */
const SNIFF_BYTES = 8192;

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook (.xlsx) or a zip archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an Excel 97-2003 workbook (.xls)' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
];

const UTF8_BOM = [0xef, 0xbb, 0xbf];

const startsWith = (head: Uint8Array, bytes: readonly number[]) => bytes.every((b, i) => head[i] === b);

const SAVE_AS_CSV = "Save it as CSV (in Excel: File › Save As › 'CSV UTF-8 (Comma delimited)') and upload it again.";

/** Chooses the decoding of a file from its first bytes, or refuses the file. */
function sniffEncoding(head: Uint8Array): TextEncoding {
  for (const { bytes, what } of SIGNATURES) {
    if (startsWith(head, bytes)) throw new ImportFileError('NOT_CSV', `The file is ${what}, not a CSV text file. ${SAVE_AS_CSV}`);
  }
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00]) || startsWith(head, [0x00, 0x00, 0xfe, 0xff])) {
    throw new ImportFileError('UNSUPPORTED_ENCODING', `The file is UTF-32 text, which is not supported. ${SAVE_AS_CSV}`);
  }
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  if (startsWith(head, UTF8_BOM)) return 'utf-8';
  // Without a BOM only UTF-8 is accepted: NUL bytes then mean binary data (or BOM-less UTF-16, which cannot be told apart safely).
  let control = 0;
  for (const byte of head) {
    if (byte === 0) {
      throw new ImportFileError(
        'BINARY_FILE',
        `The file contains binary data, not CSV text. If it is UTF-16 text, save it with a byte order mark or as UTF-8. ${SAVE_AS_CSV}`,
      );
    }
    // Tab, LF, FF, CR and Ctrl-Z (end-of-file mark of old DOS tools) occur in text files; other control bytes do not.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1a) control++;
  }
  if (control > Math.max(2, head.length / 100)) {
    throw new ImportFileError('BINARY_FILE', `The file contains binary data, not CSV text. ${SAVE_AS_CSV}`);
  }
  return 'utf-8';
}

/** Bytes a text takes in the encoding (the decoder is fatal, so decoding lost nothing to measure back). */
const encodedLength = (text: string, encoding: TextEncoding) => (encoding === 'utf-8' ? Buffer.byteLength(text, 'utf8') : text.length * 2);

/**
 * Where the first sequence that is not text in `encoding` starts within
 * `bytes`, which begin where the text decoded so far ended; and the text
 * before it. Decodes byte by byte: only a failing file pays for it.
 */
function firstInvalid(bytes: Uint8Array, encoding: TextEncoding): { index: number; before: string } {
  // ignoreBOM: a BOM among these bytes is the file's own, counted as decoded bytes like any character.
  const probe = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  let before = '';
  try {
    for (let i = 0; i < bytes.length; i++) before += probe.decode(bytes.subarray(i, i + 1), { stream: true });
  } catch {
    // The bytes after the text decoded so far began the bad sequence (or are the bad byte).
  }
  return { index: encodedLength(before, encoding), before };
}

/**
 * Decodes a byte stream chunk by chunk (memory stays one chunk wide). Stops
 * with FILE_TOO_LARGE after `maxBytes`, UNSUPPORTED_ENCODING on bytes that are
 * not valid in the encoding (naming the first bad byte's offset and line),
 * BINARY_FILE on a NUL character anywhere.
 */
export async function* decodeText(body: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<string> {
  let bytesRead = 0;
  let encoding: TextEncoding = 'utf-8';
  let decoder: TextDecoder | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  /** Bytes of the file behind the text decoded so far (the BOM included); the decoder holds the rest of what it was given. */
  let decodedBytes = 0;
  /** The last few bytes given to the decoder: those it holds (at most 3) begin the next character. */
  let recent: Uint8Array = new Uint8Array(0);
  const lines = new LineCounter();

  const unsupported = (chunk: Uint8Array, fedBefore: number) => {
    const held = recent.subarray(recent.length - (fedBefore - decodedBytes));
    const rest = Buffer.concat([held, chunk]);
    const { index, before } = firstInvalid(rest, encoding);
    lines.read(before);
    const offset = decodedBytes + index;
    const name = encoding.toUpperCase();
    const bad = rest[index];
    const what =
      encoding === 'utf-8' && bad !== undefined ? `the byte 0x${bad.toString(16).toUpperCase().padStart(2, '0')}` : 'the character';
    const hint =
      encoding === 'utf-8' ? ' Such bytes come from a file saved in an older encoding such as Windows-1252 (é, ü or ß as one byte).' : '';
    return new ImportFileError(
      'UNSUPPORTED_ENCODING',
      `The file is not valid ${name} text: ${what} on line ${lines.line}, at offset ${offset} (bytes from the start of the file), is not ${name}.${hint} ${SAVE_AS_CSV}`,
      lines.line,
    );
  };

  const decode = (chunk: Uint8Array, final: boolean): string => {
    const fedBefore = bytesRead - chunk.byteLength;
    let text: string;
    try {
      text = decoder!.decode(chunk, { stream: !final });
    } catch {
      throw unsupported(chunk, fedBefore);
    }
    if (text.includes('\u0000'))
      throw new ImportFileError('BINARY_FILE', `The file contains binary data (NUL characters), not CSV text. ${SAVE_AS_CSV}`);
    decodedBytes += encodedLength(text, encoding);
    lines.read(text);
    recent = Buffer.concat([recent, chunk.subarray(-4)]).subarray(-4);
    return text;
  };
  const start = () => {
    const head = Buffer.concat(pending);
    pending = [];
    encoding = sniffEncoding(head.subarray(0, SNIFF_BYTES));
    // fatal: invalid bytes stop the import rather than becoming U+FFFD in someone's name. The BOM is consumed.
    decoder = new TextDecoder(encoding, { fatal: true });
    const text = decode(head, false);
    // The BOM's bytes are behind the text too, though no character stands for them.
    decodedBytes += encoding === 'utf-8' ? (startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0) : 2;
    return text;
  };

  for await (const chunk of body) {
    bytesRead += chunk.byteLength;
    if (bytesRead > maxBytes) {
      throw new ImportFileError(
        'FILE_TOO_LARGE',
        `The file is larger than the limit of ${formatBytes(maxBytes)}. Split it into smaller files.`,
      );
    }
    if (!decoder) {
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes < SNIFF_BYTES) continue;
      const text = start();
      if (text) yield text;
      continue;
    }
    const text = decode(chunk, false);
    if (text) yield text;
  }
  if (!decoder) {
    const text = start();
    if (text) yield text;
  }
  const rest = decode(new Uint8Array(0), true);
  if (rest) yield rest;
}
