/**
 * What an object key asks for (functions/import/importTarget.ts), and the round
 * trip of S3's key encoding (the local runtime's, infra/local/s3Events.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEventKey, importTarget } from '../../../../functions/import/importTarget.ts';
import { encodeS3EventKey } from '../../../../infra/local/s3Events.ts';

describe('object keys', () => {
  it('decodes what S3 encodes, for any key', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), (segments) => {
        const key = segments.join('/');
        expect(decodeEventKey(encodeS3EventKey(key))).toBe(key);
        expect(encodeS3EventKey(key)).not.toMatch(/ /);
      }),
    );
  });

  it('tells uploads from syncs', () => {
    expect(importTarget('imports/people.csv')).toEqual({ mode: 'upload', area: 'primary' });
    expect(importTarget('imports/Extranet/2024/people.CSV')).toEqual({ mode: 'upload', area: 'extranet' });
    expect(importTarget('sync/Okta/2024-11-23/users.csv')).toEqual({ mode: 'sync', directory: 'okta' });
    expect(importTarget('reports/imports/people.csv.csv')).toBeUndefined();
    expect(importTarget('imports/folder/')).toBeUndefined();
    expect(() => importTarget('imports/people.xlsx')).toThrow(expect.objectContaining({ code: 'NOT_CSV' }));
    expect(() => importTarget('sync/users.csv')).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});
