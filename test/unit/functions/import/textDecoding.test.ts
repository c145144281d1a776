/**
 * Where a file stops being text in its encoding (issue 19, item 9): the
 * failure names the offset of the first bad byte and its line, however the
 * bytes arrive in chunks.
 */
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../../functions/import/textDecoding.ts';
import type { ImportFileError } from '../../../../functions/import/importOutcome.ts';

async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Decodes the bytes in chunks of `size`; returns the failure. */
async function failure(bytes: Uint8Array, size: number): Promise<ImportFileError> {
  try {
    for await (const _ of decodeText(chunks(bytes, size), 1 << 30));
  } catch (error) {
    return error as ImportFileError;
  }
  throw new Error('decoded without a failure');
}

const SIZES = [1, 2, 3, 7, 1 << 16];

describe('UNSUPPORTED_ENCODING names the bad byte and its line', () => {
  // "Zoë" saved as Windows-1252: ë is the single byte 0xEB, not UTF-8.
  const head = 'email,name\r\nada@example.com,Ada Lovelace\r\nzoe@example.com,Zo';
  const windows1252 = Buffer.concat([
    Buffer.from(head, 'latin1'),
    Buffer.from([0xeb]),
    Buffer.from('\r\nmore@example.com,More\r\n', 'latin1'),
  ]);

  it.each(SIZES)('a Windows-1252 byte in a UTF-8 file, in %i-byte chunks', async (size) => {
    const error = await failure(windows1252, size);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_ENCODING', line: 3 });
    expect(error.message).toContain(`offset ${head.length} `);
    expect(error.message).toContain('line 3');
    expect(error.message).toContain('0xEB');
    expect(error.message).not.toContain(String(windows1252.length));
  });

  it.each(SIZES)('offsets count the bytes of the file: BOM and multi-byte characters included (%i-byte chunks)', async (size) => {
    const valid = Buffer.from('email,name\nzoë@example.com,Zoë Straße 😀\n', 'utf8');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), valid, Buffer.from([0x80]), Buffer.from('x\n')]);
    const error = await failure(bytes, size);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_ENCODING', line: 3 });
    expect(error.message).toContain(`offset ${3 + valid.length} `);
  });

  it.each(SIZES)('a sequence cut short by the end of the file (%i-byte chunks)', async (size) => {
    const valid = Buffer.from('email\r\na@example.com\r\nb@example.com,', 'utf8');
    const error = await failure(Buffer.concat([valid, Buffer.from([0xe2, 0x82])]), size);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_ENCODING', line: 3 });
    expect(error.message).toContain(`offset ${valid.length} `);
  });

  it.each(SIZES)('a lone surrogate in UTF-16 LE (%i-byte chunks)', async (size) => {
    const valid = Buffer.from('email\nzoe@example.com\n\rx', 'utf16le');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), valid, Buffer.from([0x00, 0xd8, 0x41, 0x00]), Buffer.from('\n', 'utf16le')]);
    const error = await failure(bytes, size);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_ENCODING', line: 4 });
    expect(error.message).toContain(`offset ${2 + valid.length} `);
    expect(error.message).toMatch(/UTF-16LE/);
  });
});

describe('decoding', () => {
  it.each(SIZES)('keeps a second U+FEFF after the BOM and counts it (%i-byte chunks)', async (size) => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from('a\n', 'utf8'), Buffer.from([0xff])]);
    const error = await failure(bytes, size);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_ENCODING', line: 2 });
    expect(error.message).toContain('offset 8 ');
  });
});

/** Decodes the bytes in chunks of `size`; returns the text. */
async function text(bytes: Uint8Array, size = 1 << 16, maxBytes = 1 << 30): Promise<string> {
  let out = '';
  for await (const piece of decodeText(chunks(bytes, size), maxBytes)) out += piece;
  return out;
}

describe('what the first bytes say', () => {
  it.each([
    ['an Excel workbook', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], 'NOT_CSV', /Excel workbook \(\.xlsx\)/],
    ['an Excel 97-2003 workbook', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'NOT_CSV', /Excel 97-2003/],
    ['a PDF', [...Buffer.from('%PDF-1.7\n')], 'NOT_CSV', /PDF document/],
    ['a gzip archive', [0x1f, 0x8b, 0x08, 0x00], 'NOT_CSV', /gzip archive/],
    ['UTF-32 LE text', [0xff, 0xfe, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00], 'UNSUPPORTED_ENCODING', /UTF-32/],
    ['UTF-32 BE text', [0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x61], 'UNSUPPORTED_ENCODING', /UTF-32/],
    ['UTF-16 text without a BOM', [...Buffer.from('email\n', 'utf16le')], 'BINARY_FILE', /save it with a byte order mark or as UTF-8/],
    ['control bytes', [...Buffer.from('email\n'), 0x01, 0x02, 0x03, 0x04, 0x05], 'BINARY_FILE', /binary data/],
  ])('refuse %s', async (_what, bytes, code, message) => {
    const error = await failure(Buffer.from(bytes), 1 << 16);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('read UTF-8 with or without a BOM, and UTF-16 LE and BE with one; the BOM is not text', async () => {
    const csv = 'email,name\nzoe@x.example,Zoë 😀\n';
    expect(await text(Buffer.from(csv))).toBe(csv);
    expect(await text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]))).toBe(csv);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
    expect(await text(le, 3)).toBe(csv);
    expect(await text(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le.subarray(2)).swap16()]), 5)).toBe(csv);
  });

  it('take tabs, form feeds and an old end-of-file mark (Ctrl-Z) as text', async () => {
    expect(await text(Buffer.from('email\tname\r\na@x.example\tA\f\x1a'))).toBe('email\tname\r\na@x.example\tA\f\x1a');
  });

  it('read an empty file as no text, and stop a file once it passes the size limit, whatever its metadata said', async () => {
    expect(await text(Buffer.alloc(0))).toBe('');
    await expect(text(Buffer.from('x'.repeat(2048)), 512, 1024)).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: expect.stringMatching(/limit of 1 KB/),
    });
  });
});
