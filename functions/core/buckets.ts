/**
 * The one definition of Seatkeeper's S3 buckets, shared by the CDK stack and
 * the local runtime (s3rver), like tables.ts is for DynamoDB.
 */
export interface BucketDefinition {
  envName: string;
  defaultName: string;
  /** Objects expire after this many days (exports are short-lived copies of personal data). */
  expireAfterDays?: number;
}

export const bucketDefinitions = {
  /** CSV drops: imports/… (admin upload), sync/<directory>/… (directory sync); reports/… written back. */
  imports: { envName: 'IMPORTS_BUCKET', defaultName: 'seatkeeper-imports' },
  /** People exports, read through presigned URLs only. */
  exports: { envName: 'EXPORTS_BUCKET', defaultName: 'seatkeeper-exports', expireAfterDays: 1 },
} satisfies Record<string, BucketDefinition>;

export type BucketId = keyof typeof bucketDefinitions;

export function bucketName(id: BucketId): string {
  const definition = bucketDefinitions[id];
  return process.env[definition.envName] || definition.defaultName;
}
