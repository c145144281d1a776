/**
 * The S3 buckets, mapped from the shared definition in functions/core/buckets.ts
 * (the local runtime creates the same ones in s3rver). Private, TLS only,
 * SSE-S3, server access logs to a log bucket, and kept when the stack goes.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type LifecycleRule } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bucketDefinitions, type BucketDefinition, type BucketId } from '#core/buckets.ts';

export type SeatkeeperBucketMap = Record<BucketId, Bucket>;

const NONCURRENT_VERSIONS_KEPT_FOR = Duration.days(30);
const ACCESS_LOGS_KEPT_FOR = Duration.days(90);

const privateBucket = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: BucketEncryption.S3_MANAGED,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  // Buckets holding objects cannot be deleted by CloudFormation; keep them and delete by hand (docs/deploy.md).
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

export class SeatkeeperBuckets extends Construct {
  readonly buckets: SeatkeeperBucketMap;
  /** Where the buckets' server access logs go (the console's bucket logs here too). */
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Destination of the data buckets' server access logs (cdk-nag accepts a log bucket that does not log itself).
    const accessLogs = new Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ expiration: ACCESS_LOGS_KEPT_FOR }],
    });

    const entries = (Object.keys(bucketDefinitions) as BucketId[]).map((bucketId) => {
      const definition: BucketDefinition = bucketDefinitions[bucketId];
      const versioned = definition.versioned ?? false;
      const lifecycleRules: LifecycleRule[] = [
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ...(definition.expireAfterDays !== undefined ? [{ expiration: Duration.days(definition.expireAfterDays) }] : []),
        // Old versions go after a while; a delete marker left with no version behind it goes too (it costs a
        // listing entry forever otherwise, e.g. after a current version expires and its noncurrent one lapses).
        ...(versioned ? [{ noncurrentVersionExpiration: NONCURRENT_VERSIONS_KEPT_FOR }, { expiredObjectDeleteMarker: true }] : []),
      ];
      const bucket = new Bucket(this, bucketId, {
        ...privateBucket,
        versioned,
        lifecycleRules,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${bucketId}/`,
      });
      return [bucketId, bucket] as const;
    });
    this.buckets = Object.fromEntries(entries) as SeatkeeperBucketMap;
    this.accessLogs = accessLogs;
  }
}
