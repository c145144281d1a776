import { S3Client } from '@aws-sdk/client-s3';

/** One client per container. S3_ENDPOINT points it at s3rver locally (path-style addressing). */
export const s3 = new S3Client({
  endpoint: process.env.S3_ENDPOINT || undefined,
  forcePathStyle: Boolean(process.env.S3_ENDPOINT),
});
