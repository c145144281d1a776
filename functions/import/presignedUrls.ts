/**
 * Presigned URLs into the imports bucket: an admin uploads a CSV without
 * bucket credentials, and reads a report the same way. Both last 15 minutes.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '#clients/s3.ts';
import { bucketName } from '#core/buckets.ts';
import { areaNotFound } from '#core/errors.ts';
import { readArea } from '#core/seatCounter.ts';
import { jobIdForKey } from './importJob.ts';
import { uploadKey } from './importKey.ts';

const EXPIRES_IN_SECONDS = 15 * 60;

export type ImportUploadRequest = { kind: 'upload'; area: string; fileName: string } | { kind: 'sync'; directory: string; fileName: string };

export interface ImportUpload {
  /** The import's id once the file has arrived: GET /imports/{id}. */
  id: string;
  bucket: string;
  key: string;
  upload: { method: 'PUT'; url: string; expiresAt: string };
}

export async function createUploadUrl(request: ImportUploadRequest): Promise<ImportUpload> {
  if (request.kind === 'upload' && !(await readArea(request.area))) throw areaNotFound(request.area);
  const bucket = bucketName('imports');
  const key = uploadKey(request);
  // Nothing but the key is signed (no content type), so `curl -T file "$url"` works as is.
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: EXPIRES_IN_SECONDS });
  return { id: jobIdForKey(key), bucket, key, upload: { method: 'PUT', url, expiresAt: new Date(Date.now() + EXPIRES_IN_SECONDS * 1000).toISOString() } };
}

export async function reportUrl(key: string): Promise<{ url: string; expiresAt: string }> {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucketName('imports'), Key: key }), { expiresIn: EXPIRES_IN_SECONDS });
  return { url, expiresAt: new Date(Date.now() + EXPIRES_IN_SECONDS * 1000).toISOString() };
}
