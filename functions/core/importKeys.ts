/**
 * Where each kind of file lives in the imports bucket: the key scheme the HTTP API
 * hands out uploads in (importUploads.ts), the import function reads, and S3 notifies
 * it for. Pure, so the stack and the local runtime read it without loading a client.
 */
import { randomBytes } from 'node:crypto';

/** Admin uploads: `imports/<file>.csv` (primary area) or `imports/<area>/…/<file>.csv`. */
export const UPLOAD_PREFIX = 'imports/';
/** Directory sync files: `sync/<directory>/…/<file>.csv`. */
export const SYNC_PREFIX = 'sync/';
/** The folders whose new objects are imports: S3 notifies the import function for these prefixes only. */
export const IMPORT_PREFIXES = [UPLOAD_PREFIX, SYNC_PREFIX] as const;

/**
 * The report of one upload: `reports/<original key>.<upload id>.csv`. The upload id
 * (the job id's second part) keeps each upload's report: a re-upload of the same key
 * writes its own. Not the object's version: s3rver has no versioning, and AWS expires
 * noncurrent versions before job records.
 */
export const reportKeyFor = (key: string, uploadId: string) => `reports/${key}.${uploadId}.csv`;

/** What POST /imports asks for: an admin upload of `size` bytes into an area, or a directory sync file. */
export type UploadRequest = { fileName: string; size: number } & ({ kind: 'upload'; area: string } | { kind: 'sync'; directory: string });

/** Where POST /imports lets an admin upload: a fresh folder per upload, the file keeping its own name. */
export function uploadKey(request: UploadRequest, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const folder = `${stamp}-${randomBytes(4).toString('hex')}`;
  return request.kind === 'upload'
    ? `${UPLOAD_PREFIX}${request.area}/${folder}/${request.fileName}`
    : `${SYNC_PREFIX}${request.directory}/${folder}/${request.fileName}`;
}
