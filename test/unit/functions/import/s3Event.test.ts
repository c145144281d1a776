/** The S3 event at the import's edge (functions/import/s3Event.ts): each object creation it names, keys decoded; anything else skipped and counted. */
import { describe, expect, it } from 'vitest';
import { importSources } from '../../../../functions/import/s3Event.ts';

const record = (eventName: string, object: Record<string, unknown>) => ({
  eventSource: 'aws:s3',
  eventName,
  s3: { bucket: { name: 'imports' }, object },
});

describe('importSources', () => {
  it('names the object of each ObjectCreated record, its key URL-decoded (+ is a space)', () => {
    const event = {
      Records: [
        record('ObjectCreated:Put', { key: 'imports/people+from+HR%C3%A9.csv', eTag: 'e1', versionId: 'v1', sequencer: '0A' }),
        record('ObjectCreated:CompleteMultipartUpload', { key: 'sync/okta/users.csv' }),
      ],
    };
    expect(importSources(event)).toEqual({
      sources: [
        { bucket: 'imports', key: 'imports/people from HRé.csv', versionId: 'v1', eTag: 'e1', sequencer: '0A' },
        { bucket: 'imports', key: 'sync/okta/users.csv' },
      ],
      skipped: 0,
    });
  });

  it('skips deletions, other sources and malformed records, counting them', () => {
    const event = {
      Records: [
        record('ObjectRemoved:Delete', { key: 'imports/a.csv' }),
        { eventSource: 'aws:sqs' },
        record('ObjectCreated:Put', { key: '' }),
        'x',
      ],
    };
    expect(importSources(event)).toEqual({ sources: [], skipped: 4 });
    expect(importSources({ Records: 'not a list' })).toEqual({ sources: [], skipped: 1 });
    expect(importSources({})).toEqual({ sources: [], skipped: 0 });
  });
});
