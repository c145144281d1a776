import { S3Client, type GetObjectCommand, type PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** S3_ENDPOINT points the clients at s3rver locally (path-style addressing). */
const location = { endpoint: process.env.S3_ENDPOINT || undefined, forcePathStyle: Boolean(process.env.S3_ENDPOINT) };

/** One client per container, with the SDK's default integrity checksums on what it uploads. */
export const s3 = new S3Client(location);

/**
 * For presigned URLs only. By default (SDK ≥ 3.729) a presigned PutObject signs
 * the CRC32 of the body it was given — none, so `x-amz-checksum-crc32=AAAAAA==` —
 * and S3 may refuse a file that does not match it (aws/aws-sdk-js-v3#6994); a GET
 * asks for checksum mode.
 * WHEN_REQUIRED leaves both out: the URL signs the key, and only what the command
 * itself sets (an upload's length).
 */
const presigner = new S3Client({ ...location, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });

/** How long a presigned URL works (uploads, reports, exports): it is a bearer credential, so not long. */
export const PRESIGNED_URL_SECONDS = 15 * 60;

/** A presigned URL for `command` that works for `seconds`, and when it stops working. */
export async function presign(
  command: GetObjectCommand | PutObjectCommand,
  seconds = PRESIGNED_URL_SECONDS,
): Promise<{ url: string; expiresAt: string }> {
  const signedAt = Date.now();
  const url = await getSignedUrl(presigner, command, { expiresIn: seconds });
  return { url, expiresAt: new Date(signedAt + seconds * 1000).toISOString() };
}
