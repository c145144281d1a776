/**
 * Presigned URLs into the imports bucket: an admin uploads a CSV without
 * bucket credentials, and reads a report the same way. Both last 15 minutes.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { presign } from '#clients/s3.ts';
import { bucketName } from '#core/buckets.ts';
import { areaNotFound } from '#core/errors.ts';
import { readArea } from '#core/seatCounter.ts';
import { jobIdForKey } from './importJob.ts';
import { uploadKey, type UploadRequest } from './importKey.ts';

const EXPIRES_IN_SECONDS = 15 * 60;

export interface ImportUpload {
  /** The import's id once the file has arrived: GET /imports/{id}. */
  id: string;
  bucket: string;
  key: string;
  upload: { method: 'PUT'; url: string; expiresAt: string };
}

export async function createUploadUrl(request: UploadRequest): Promise<ImportUpload> {
  if (request.kind === 'upload' && !(await readArea(request.area))) throw areaNotFound(request.area);
  const bucket = bucketName('imports');
  const key = uploadKey(request);
  // Nothing but the key is signed (no content type), so `curl -T file "$url"` works as is.
  const upload = await presign(new PutObjectCommand({ Bucket: bucket, Key: key }), EXPIRES_IN_SECONDS);
  return { id: jobIdForKey(key), bucket, key, upload: { method: 'PUT', ...upload } };
}

export const reportUrl = (key: string) => presign(new GetObjectCommand({ Bucket: bucketName('imports'), Key: key }), EXPIRES_IN_SECONDS);
