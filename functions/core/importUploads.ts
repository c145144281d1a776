/**
 * Presigned URLs into the imports bucket: an admin uploads a CSV without
 * bucket credentials (POST /imports), and reads its report the same way
 * (GET /imports/{id}). Both last 15 minutes.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { presign } from '#clients/s3.ts';
import { formatBytes } from '#commons/byteSize.ts';
import { bucketName } from './buckets.ts';
import { SeatkeeperError, areaNotFound } from './errors.ts';
import { importConfig } from './importConfig.ts';
import { jobIdForKey } from './importJobRecord.ts';
import { uploadKey, type UploadRequest } from './importKeys.ts';
import { readArea } from './seatCounter.ts';

export interface ImportUpload {
  /** The import's id once the file has arrived: GET /imports/{id}. */
  id: string;
  bucket: string;
  key: string;
  /** `headers`: what the PUT must send as signed; `curl -T file "$url"` sends it by itself. */
  upload: { method: 'PUT'; url: string; expiresAt: string; headers: { 'content-length': string } };
}

export async function createUploadUrl(request: UploadRequest): Promise<ImportUpload> {
  const { maxFileBytes } = importConfig();
  if (request.size > maxFileBytes) {
    throw new SeatkeeperError(
      'FILE_TOO_LARGE',
      `The file is ${formatBytes(request.size)}; imports take files up to ${formatBytes(maxFileBytes)}. Split it into smaller files and upload each.`,
      { size: request.size, maxBytes: maxFileBytes },
    );
  }
  if (request.kind === 'upload' && !(await readArea(request.area))) throw areaNotFound(request.area);
  const bucket = bucketName('imports');
  const key = uploadKey(request);
  // The key and the length are signed (no content type, no checksum): S3 refuses any other
  // size, so a URL that leaks cannot store more than the admin declared.
  const upload = await presign(new PutObjectCommand({ Bucket: bucket, Key: key, ContentLength: request.size }));
  return { id: jobIdForKey(key), bucket, key, upload: { method: 'PUT', ...upload, headers: { 'content-length': String(request.size) } } };
}

export const reportUrl = (key: string) => presign(new GetObjectCommand({ Bucket: bucketName('imports'), Key: key }));
