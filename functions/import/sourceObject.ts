/**
 * Reads the uploaded object as a stream: the exact version the event names
 * (VersionId in a versioned bucket, else If-Match on its ETag), so a file
 * replaced meanwhile is never imported under the old file's job. The version
 * or ETag GetObject answers with is checked too: an engine that ignores
 * If-Match (s3rver does) hands back the newer object, which must be refused
 * just as S3's 412 refuses it.
 */
import { GetObjectCommand, NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { s3 } from '#clients/s3.ts';
import type { ImportSource } from '#core/importJobRecord.ts';
import { ImportFileError } from './importOutcome.ts';
import { formatBytes } from '#commons/byteSize.ts';

export interface OpenedObject {
  body: AsyncIterable<Uint8Array>;
  eTag: string;
  lastModified: string;
  /** Closes the connection when the reader stops early. */
  close(): void;
}

const unquote = (eTag: string | undefined) => (eTag ?? '').replace(/"/g, '');

/** The object under the key is no longer the upload the event names (S3's 412 to If-Match, or a mismatch found by reading). */
const superseded = () =>
  new ImportFileError('SUPERSEDED', 'The file was replaced by a newer upload before it was read; the newer upload is imported on its own.');

/**
 * Whether GetObject answered with the upload the event names. With a version
 * id, the version is what identifies it (an engine that answers without one
 * keeps no versions, so there is nothing to compare); else the ETag.
 */
function isEventsObject(source: ImportSource, answered: { VersionId?: string; ETag?: string }): boolean {
  if (source.versionId) return answered.VersionId === undefined || answered.VersionId === source.versionId;
  return !source.eTag || answered.ETag === undefined || unquote(answered.ETag) === unquote(source.eTag);
}

export async function openObject(source: ImportSource, maxBytes: number): Promise<OpenedObject> {
  try {
    const object = await s3.send(
      new GetObjectCommand({
        Bucket: source.bucket,
        Key: source.key,
        ...(source.versionId ? { VersionId: source.versionId } : source.eTag ? { IfMatch: `"${source.eTag}"` } : {}),
      }),
    );
    const body = object.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (!isEventsObject(source, object)) {
      body?.destroy?.();
      throw superseded();
    }
    if (!body) throw new ImportFileError('FILE_NOT_FOUND', 'The file has no content.');
    if ((object.ContentLength ?? 0) > maxBytes) {
      body.destroy?.();
      throw new ImportFileError(
        'FILE_TOO_LARGE',
        `The file is ${formatBytes(object.ContentLength!)}, more than the limit of ${formatBytes(maxBytes)}. Split it into smaller files.`,
      );
    }
    return {
      body,
      eTag: unquote(object.ETag),
      lastModified: (object.LastModified ?? new Date(0)).toISOString(),
      close: () => body.destroy?.(),
    };
  } catch (error) {
    if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.name === 'NoSuchVersion')) {
      throw new ImportFileError('FILE_NOT_FOUND', 'The file was deleted before it could be imported.');
    }
    if (error instanceof S3ServiceException && (error.name === 'PreconditionFailed' || error.$metadata.httpStatusCode === 412)) {
      throw superseded();
    }
    throw error;
  }
}
