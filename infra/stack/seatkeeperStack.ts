/**
 * The whole Seatkeeper deployment: tables, buckets, authorizer, HTTP API and
 * its functions. Settings come from CDK context (see config.ts and docs/deploy.md).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { bucketDefinitions, type BucketId } from '#core/buckets.ts';
import { tableDefinitions, type TableId } from '#core/tables.ts';
import { ApiAuth } from './apiAuth.ts';
import { SeatkeeperBuckets, type SeatkeeperBucketMap } from './buckets.ts';
import { readConfig, type SeatkeeperConfig } from './config.ts';
import { SeatkeeperHttpApi } from './seatkeeperHttpApi.ts';
import { SeatkeeperTables, type SeatkeeperTableMap } from './tables.ts';

/** ("users", "Table") → "UsersTableName" */
const outputKey = (id: string, kind: 'Table' | 'Bucket') => `${id[0]!.toUpperCase()}${id.slice(1)}${kind}Name`;

export class SeatkeeperStack extends Stack {
  readonly config: SeatkeeperConfig;
  readonly tables: SeatkeeperTableMap;
  readonly buckets: SeatkeeperBucketMap;
  readonly auth: ApiAuth;
  readonly httpApi: SeatkeeperHttpApi;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Seatkeeper: licence seats per area, enforced on every path', ...props });
    this.config = readConfig(this.node);

    this.tables = new SeatkeeperTables(this, 'Tables').tables;
    this.buckets = new SeatkeeperBuckets(this, 'Buckets').buckets;
    this.auth = new ApiAuth(this, 'Auth', this.config);
    this.httpApi = new SeatkeeperHttpApi(this, 'Http', { auth: this.auth, tables: this.tables, buckets: this.buckets, config: this.config });

    // Event-driven functions (next): each is `new SeatkeeperFunction(this, spec.name, { spec, tables, buckets, config })`
    // for a spec from eventFunctionSpecs (functionCatalog.ts), plus its trigger:
    //   import      Bucket (imports/, sync/) → addEventSource(new S3EventSourceV2(bucket, { events: [OBJECT_CREATED], filters }))
    //   notify      addEventSource(new DynamoEventSource(this.tables.seats, { startingPosition: LATEST, bisectBatchOnError: true,
    //               retryAttempts, onFailure: new SqsDlq(failureQueue) })) + ses:SendEmail scoped to the sender identity
    //   activation  new Schedule/Rule (EventBridge) targeting the function
    //   scim        a second HttpApi (or routes on this one) with an HttpLambdaAuthorizer
    // The grants, log group, bundling and env wiring come from SeatkeeperFunction, as for the HTTP routes.

    for (const tableId of Object.keys(tableDefinitions) as TableId[]) {
      new CfnOutput(this, outputKey(tableId, 'Table'), {
        value: this.tables[tableId].tableName,
        description: `Physical name of the ${tableId} table (functions read it from ${tableDefinitions[tableId].envName}).`,
      });
    }
    for (const bucketId of Object.keys(bucketDefinitions) as BucketId[]) {
      new CfnOutput(this, outputKey(bucketId, 'Bucket'), {
        value: this.buckets[bucketId].bucketName,
        description: `Physical name of the ${bucketId} bucket (functions read it from ${bucketDefinitions[bucketId].envName}).`,
      });
    }
  }
}
