/**
 * The one definition of Seatkeeper's S3 buckets, shared by the CDK stack and
 * the local runtime (s3rver), like tables.ts is for DynamoDB.
 */
export interface BucketDefinition {
  envName: string;
  defaultName: string;
  /** Objects expire after this many days (both buckets hold personal data). */
  expireAfterDays?: number;
  /** Versioned: S3 events carry a versionId, so an import job is keyed by bucket/key/version. */
  versioned?: boolean;
}

export const bucketDefinitions = {
  /** CSV drops: imports/… (admin upload), sync/<directory>/… (directory sync); reports/… written back. */
  // Uploads and reports hold personal data; import job records are kept as long by default (IMPORT_JOB_RETENTION_DAYS).
  imports: { envName: 'IMPORTS_BUCKET', defaultName: 'seatkeeper-imports', versioned: true, expireAfterDays: 90 },
  /** People exports, read through presigned URLs only. */
  exports: { envName: 'EXPORTS_BUCKET', defaultName: 'seatkeeper-exports', expireAfterDays: 1 },
} satisfies Record<string, BucketDefinition>;

export type BucketId = keyof typeof bucketDefinitions;

export function bucketName(id: BucketId): string {
  const definition = bucketDefinitions[id];
  return process.env[definition.envName] || definition.defaultName;
}
