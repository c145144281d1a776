import { S3Client, type GetObjectCommand, type PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** One client per container. S3_ENDPOINT points it at s3rver locally (path-style addressing). */
export const s3 = new S3Client({
  endpoint: process.env.S3_ENDPOINT || undefined,
  forcePathStyle: Boolean(process.env.S3_ENDPOINT),
});

/** A presigned URL for `command` that works for `seconds`, and when it stops working. */
export async function presign(command: GetObjectCommand | PutObjectCommand, seconds: number): Promise<{ url: string; expiresAt: string }> {
  const signedAt = Date.now();
  const url = await getSignedUrl(s3, command, { expiresIn: seconds });
  return { url, expiresAt: new Date(signedAt + seconds * 1000).toISOString() };
}
