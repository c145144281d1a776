/**
 * The S3 event at the edge: validated once with zod, keys URL-decoded
 * ('+' is a space), then trusted. Records that are not object creations are skipped.
 */
import * as z from 'zod';
import type { ImportSource } from '#core/importJobRecord.ts';
import { decodeEventKey } from './importTarget.ts';

const s3Record = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

const s3Event = z.object({ Records: z.array(z.unknown()).default([]) });

/** The object each ObjectCreated record names; other or malformed records are returned as skipped. */
export function importSources(event: unknown): { sources: ImportSource[]; skipped: number } {
  const parsed = s3Event.safeParse(event);
  if (!parsed.success) return { sources: [], skipped: 1 };
  const sources: ImportSource[] = [];
  let skipped = 0;
  for (const raw of parsed.data.Records) {
    const record = s3Record.safeParse(raw);
    if (!record.success || !record.data.eventName.startsWith('ObjectCreated:')) {
      skipped++;
      continue;
    }
    const { bucket, object } = record.data.s3;
    sources.push({
      bucket: bucket.name,
      key: decodeEventKey(object.key),
      ...(object.versionId ? { versionId: object.versionId } : {}),
      ...(object.eTag ? { eTag: object.eTag } : {}),
      ...(object.sequencer ? { sequencer: object.sequencer } : {}),
    });
  }
  return { sources, skipped };
}
