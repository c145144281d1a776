/** A CSV file read as the import reads it (functions/import/csvRecords.ts), for the parsing tests. */
import { openCsv, type CsvRecord } from '../../functions/import/csvRecords.ts';

/** The file's layout and records, its bytes fed to the reader `chunkSize` at a time (a stream's chunks). */
export async function readCsv(file: string | Uint8Array, chunkSize = 1 << 16) {
  const bytes = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const csv = await openCsv(chunks(), 1 << 30);
  const records: CsvRecord[] = [];
  for await (const record of csv.records) records.push(record);
  return { layout: csv.layout, records };
}
