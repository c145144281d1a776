/** Where files live in the imports bucket (functions/core/importKeys.ts): a fresh folder per upload, and each upload's own report. */
import { describe, expect, it } from 'vitest';
import { IMPORT_PREFIXES, reportKeyFor, uploadKey } from '../../../../functions/core/importKeys.ts';

describe('the imports bucket', () => {
  it('puts an admin upload in its area and a sync file in its directory, each in a folder of its own, under its own name', () => {
    const at = new Date('2024-11-23T08:09:10.123Z');
    const upload = uploadKey({ kind: 'upload', area: 'extranet', fileName: 'People (HR).csv', size: 10 }, at);
    expect(upload).toMatch(/^imports\/extranet\/20241123T080910Z-[0-9a-f]{8}\/People \(HR\)\.csv$/);
    expect(uploadKey({ kind: 'sync', directory: 'okta', fileName: 'users.csv', size: 10 }, at)).toMatch(
      /^sync\/okta\/20241123T080910Z-[0-9a-f]{8}\/users\.csv$/,
    );
    expect(uploadKey({ kind: 'sync', directory: 'okta', fileName: 'users.csv', size: 10 }, at)).not.toBe(
      uploadKey({ kind: 'sync', directory: 'okta', fileName: 'users.csv', size: 10 }, at),
    );
  });

  it("keeps each upload's report apart, outside the folders S3 notifies the import function for", () => {
    const report = reportKeyFor('imports/people.csv', 'u1');
    expect(report).toBe('reports/imports/people.csv.u1.csv');
    expect(IMPORT_PREFIXES.some((prefix) => report.startsWith(prefix))).toBe(false);
  });
});
