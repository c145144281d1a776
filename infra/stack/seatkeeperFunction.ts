/**
 * Every Seatkeeper Lambda function: Node.js (newest runtime) on ARM64, ESM
 * bundle built by the local esbuild, JSON logs to its own log group, and an
 * execution role that holds exactly the table and bucket access its FunctionSpec names.
 */
import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { bucketDefinitions, type BucketId } from '#core/buckets.ts';
import { tableDefinitions, type TableDefinition, type TableId } from '#core/tables.ts';
import type { BucketAccess, TableAccess } from '#http/routes.ts';
import { LAMBDA_RUNTIME, nodejsBundlingOptions } from './bundling.ts';
import type { SeatkeeperConfig } from './config.ts';
import { projectRoot, type FunctionSpec } from './functionCatalog.ts';
import { acknowledgeNag } from './nag.ts';
import type { SeatkeeperBucketMap } from './buckets.ts';
import type { SeatkeeperTableMap } from './tables.ts';

export interface SeatkeeperFunctionProps {
  spec: FunctionSpec;
  tables: SeatkeeperTableMap;
  buckets: SeatkeeperBucketMap;
  config: SeatkeeperConfig;
  /** Extra variables (e.g. GROUPS_CLAIM for HTTP functions). */
  environment?: Record<string, string>;
}

// GetObjectVersion: versioned buckets (imports) are read by the version the event names.
const OBJECT_READ = ['s3:GetObject', 's3:GetObjectVersion'];
// AbortMultipartUpload: @aws-sdk/lib-storage cleans up a failed multipart upload.
const OBJECT_WRITE = ['s3:PutObject', 's3:AbortMultipartUpload'];
/** Object-level actions only: no listing, no bucket configuration, no deletes. */
const BUCKET_ACTIONS: Record<BucketAccess, readonly string[]> = {
  read: OBJECT_READ,
  write: OBJECT_WRITE,
  readWrite: [...OBJECT_READ, ...OBJECT_WRITE],
};

export class SeatkeeperFunction extends NodejsFunction {
  readonly spec: FunctionSpec;
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: SeatkeeperFunctionProps) {
    const { spec, tables, buckets, config } = props;
    // Role and log group are siblings (created before the function, which needs them).
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: config.logRetention,
      // Operational logs, not data: they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of Lambda's default: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole (logs:* on every log group); this one may write to its own log group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Seatkeeper ${spec.name}: its log group and ${Object.keys(spec.tables).join(', ') || 'no'} table(s)`,
    });
    logGroup.grantWrite(role);

    // Physical names reach the code through the variables the shared definitions name.
    const resourceEnvironment = Object.fromEntries([
      ...(Object.keys(spec.tables) as TableId[]).map((tableId) => [tableDefinitions[tableId].envName, tables[tableId].tableName]),
      ...(Object.keys(spec.buckets ?? {}) as BucketId[]).map((bucketId) => [bucketDefinitions[bucketId].envName, buckets[bucketId].bucketName]),
    ]);

    super(scope, id, {
      entry: join(projectRoot, spec.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMB ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      description: spec.description,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[config.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      bundling: nodejsBundlingOptions(),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'seatkeeper',
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        // Stack traces point into the TypeScript sources (the bundle ships its source map).
        NODE_OPTIONS: '--enable-source-maps',
        ...resourceEnvironment,
        ...props.environment,
      },
    });
    this.spec = spec;
    this.executionRole = role;
    this.grantTables(tables);
    this.grantBuckets(buckets);
  }

  /** `read` → grantReadData, `readWrite` → grantReadWriteData; both cover the table's own indexes. */
  private grantTables(tables: SeatkeeperTableMap): void {
    for (const [tableId, access] of Object.entries(this.spec.tables) as [TableId, TableAccess][]) {
      const table = tables[tableId];
      if (access === 'readWrite') table.grantReadWriteData(this);
      else table.grantReadData(this);

      const definition: TableDefinition = tableDefinitions[tableId];
      if (definition.globalIndexes.length > 0) {
        const logicalId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnResource);
        acknowledgeNag(
          this.executionRole,
          `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
          `Queries the ${tableId} table's own global secondary indexes (${definition.globalIndexes.map((i) => i.indexName).join(', ')}); the wildcard is limited to <${tableId} table ARN>/index/*, i.e. indexes of that one table.`,
        );
      }
    }
  }

  /** Object actions of BUCKET_ACTIONS on `<bucket ARN>/*` of each bucket the spec names. */
  private grantBuckets(buckets: SeatkeeperBucketMap): void {
    for (const [bucketId, access] of Object.entries(this.spec.buckets ?? {}) as [BucketId, BucketAccess][]) {
      const bucket = buckets[bucketId];
      this.addToRolePolicy(new PolicyStatement({ actions: [...BUCKET_ACTIONS[access]], resources: [bucket.arnForObjects('*')] }));
      const logicalId = Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnResource);
      acknowledgeNag(
        this.executionRole,
        `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`,
        `Reads/writes objects under keys chosen at run time (uploads, exports) in the ${bucketId} bucket only; object actions only (${BUCKET_ACTIONS[access].join(', ')}).`,
      );
    }
  }
}
