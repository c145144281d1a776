/**
 * The whole Seatkeeper deployment: tables, buckets, authorizer, HTTP API and
 * its functions, and the event-fed functions (import, alerts, activation). Settings come from CDK context (see config.ts and docs/deploy.md).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { bucketDefinitions, type BucketId } from '#core/buckets.ts';
import { tableDefinitions, type TableId } from '#core/tables.ts';
import { ApiAuth } from './apiAuth.ts';
import { SeatkeeperBuckets, type SeatkeeperBucketMap } from './buckets.ts';
import { EventFunctions } from './eventFunctions.ts';
import { readConfig, type SeatkeeperConfig } from './config.ts';
import { SeatkeeperFunction } from './seatkeeperFunction.ts';
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
  readonly events: EventFunctions;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Seatkeeper: licence seats per area, enforced on every path', ...props });
    this.config = readConfig(this.node);

    this.tables = new SeatkeeperTables(this, 'Tables').tables;
    this.buckets = new SeatkeeperBuckets(this, 'Buckets').buckets;
    this.auth = new ApiAuth(this, 'Auth', this.config);
    this.httpApi = new SeatkeeperHttpApi(this, 'Http', { auth: this.auth, tables: this.tables, buckets: this.buckets, config: this.config });

    // Import (S3), limit alerts (seats stream) and the scheduled activation run. A new event-fed
    // function is a FunctionSpec in functionCatalog.ts plus a SeatkeeperFunction and its trigger there.
    this.events = new EventFunctions(this, 'Events', { tables: this.tables, buckets: this.buckets, config: this.config });

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

  /** Every Seatkeeper function of the stack, by FunctionSpec name. */
  get functions(): Record<string, SeatkeeperFunction> {
    return Object.fromEntries(
      this.node
        .findAll()
        .filter((c): c is SeatkeeperFunction => c instanceof SeatkeeperFunction)
        .map((fn) => [fn.spec.name, fn]),
    );
  }
}
