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
import { splitTableActions, type TableAction } from '#core/tableAccess.ts';
import { tableDefinitions, type TableDefinition, type TableId } from '#core/tables.ts';
import type { BucketAccess, FunctionSpec } from '../../functions/manifest.ts';
import { LAMBDA_RUNTIME, nodejsBundlingOptions, projectRoot } from './bundling.ts';
import type { SeatkeeperConfig } from './config.ts';
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
      ...(Object.keys(spec.tables) as TableId[]).map((tableId) => [tableDefinitions[tableId].envName, tables[tableId].tableName] as const),
      ...(Object.keys(spec.buckets ?? {}) as BucketId[]).map(
        (bucketId) => [bucketDefinitions[bucketId].envName, buckets[bucketId].bucketName] as const,
      ),
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

  /**
   * The spec's actions on each table's ARN, and dynamodb:Query on `<table ARN>/index/<name>` of each index
   * it queries: nothing from grantReadData/grantReadWriteData's wider sets (Scan, BatchWriteItem, DescribeTable, …).
   */
  private grantTables(tables: SeatkeeperTableMap): void {
    for (const [tableId, access] of Object.entries(this.spec.tables) as [TableId, readonly TableAction[]][]) {
      const table = tables[tableId];
      const definition: TableDefinition = tableDefinitions[tableId];
      const { actions, indexes } = splitTableActions(access);
      if (access.length === 0) throw new Error(`${this.spec.name}: names the ${tableId} table without any action.`);
      const unknown = indexes.filter((name) => !definition.globalIndexes.some((i) => i.indexName === name));
      if (unknown.length > 0) throw new Error(`${this.spec.name}: the ${tableId} table has no index ${unknown.join(', ')}.`);
      if (actions.length > 0) {
        this.addToRolePolicy(new PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [table.tableArn] }));
      }
      if (indexes.length > 0) {
        this.addToRolePolicy(
          new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexes.map((name) => `${table.tableArn}/index/${name}`) }),
        );
      }
    }
  }

  /**
   * What the spec's `invokes` asks for, once `target` exists: lambda:InvokeFunction on its unqualified
   * ARN only (no versions or aliases), and its deployed name in the variable the invoker reads.
   */
  allowInvoking(target: SeatkeeperFunction): void {
    const invoked = this.spec.invokes?.find((f) => f.name === target.spec.name);
    if (!invoked) throw new Error(`${this.spec.name}: its spec does not name ${target.spec.name} among the functions it invokes.`);
    this.addEnvironment(invoked.envName, target.functionName);
    this.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }));
  }

  /** The spec's object actions on `<bucket ARN>/<prefix>*` of each key prefix it names: no listing, no deletes, no bucket settings. */
  private grantBuckets(buckets: SeatkeeperBucketMap): void {
    for (const [bucketId, prefixes] of Object.entries(this.spec.buckets ?? {}) as [BucketId, BucketAccess][]) {
      const bucket = buckets[bucketId];
      const logicalId = Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnResource);
      for (const [prefix, actions] of Object.entries(prefixes) as [string, readonly string[]][]) {
        if (!/^[a-z0-9-]+\/$/.test(prefix) || actions.length === 0)
          throw new Error(`${this.spec.name}: '${prefix}' in the ${bucketId} bucket needs a folder prefix ('reports/') and actions.`);
        this.addToRolePolicy(
          new PolicyStatement({ actions: actions.map((a) => `s3:${a}`), resources: [bucket.arnForObjects(`${prefix}*`)] }),
        );
        acknowledgeNag(
          this.executionRole,
          `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`,
          `Object keys under ${prefix} are chosen at run time (a folder and file name per upload, job or export); the wildcard covers that one prefix of the ${bucketId} bucket, with object actions only (${actions.join(', ')}).`,
        );
      }
    }
  }
}
