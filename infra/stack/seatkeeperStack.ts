/**
 * The whole Seatkeeper deployment: tables, authorizer, HTTP API and its
 * functions. Settings come from CDK context (see config.ts and docs/deploy.md).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { tableDefinitions, type TableId } from '#core/tables.ts';
import { ApiAuth } from './apiAuth.ts';
import { readConfig, type SeatkeeperConfig } from './config.ts';
import { SeatkeeperHttpApi } from './seatkeeperHttpApi.ts';
import { SeatkeeperTables, type SeatkeeperTableMap } from './tables.ts';

/** "users" → "UsersTableName" */
const outputKey = (tableId: TableId) => `${tableId[0]!.toUpperCase()}${tableId.slice(1)}TableName`;

export class SeatkeeperStack extends Stack {
  readonly config: SeatkeeperConfig;
  readonly tables: SeatkeeperTableMap;
  readonly auth: ApiAuth;
  readonly httpApi: SeatkeeperHttpApi;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'Seatkeeper: licence seats per area, enforced on every path', ...props });
    this.config = readConfig(this.node);

    this.tables = new SeatkeeperTables(this, 'Tables').tables;
    this.auth = new ApiAuth(this, 'Auth', this.config);
    this.httpApi = new SeatkeeperHttpApi(this, 'Http', { auth: this.auth, tables: this.tables, config: this.config });

    // Event-driven functions (next): each is `new SeatkeeperFunction(this, spec.name, { spec, tables, config })`
    // for a spec from eventFunctionSpecs (functionCatalog.ts), plus its trigger:
    //   import      Bucket (imports/, sync/) → addEventSource(new S3EventSourceV2(bucket, { events: [OBJECT_CREATED], filters }))
    //   notify      addEventSource(new DynamoEventSource(this.tables.seats, { startingPosition: LATEST, bisectBatchOnError: true,
    //               retryAttempts, onFailure: new SqsDlq(failureQueue) })) + ses:SendEmail scoped to the sender identity
    //   activation  new Schedule/Rule (EventBridge) targeting the function
    //   scim        a second HttpApi (or routes on this one) with an HttpLambdaAuthorizer
    // The grants, log group, bundling and env wiring come from SeatkeeperFunction, as for the HTTP routes.

    for (const tableId of Object.keys(tableDefinitions) as TableId[]) {
      new CfnOutput(this, outputKey(tableId), {
        value: this.tables[tableId].tableName,
        description: `Physical name of the ${tableId} table (functions read it from ${tableDefinitions[tableId].envName}).`,
      });
    }
  }
}
