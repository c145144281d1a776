/**
 * The whole Seatkeeper deployment: tables, buckets, authorizer, HTTP API and
 * its functions, and the event-fed functions (import, alerts, activation). Settings come from CDK context (see config.ts and docs/deploy.md).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { bucketDefinitions } from '#core/buckets.ts';
import { tableDefinitions } from '#core/tables.ts';
import { ApiAuth } from './apiAuth.ts';
import { SeatkeeperBuckets, type SeatkeeperBucketMap } from './buckets.ts';
import { EventFunctions } from './eventFunctions.ts';
import type { SeatkeeperConfig } from './config.ts';
import { SeatkeeperFunction } from './seatkeeperFunction.ts';
import { SeatkeeperHttpApi } from './seatkeeperHttpApi.ts';
import { SeatkeeperTables, type SeatkeeperTableMap } from './tables.ts';

export class SeatkeeperStack extends Stack {
  readonly config: SeatkeeperConfig;
  readonly tables: SeatkeeperTableMap;
  readonly buckets: SeatkeeperBucketMap;
  readonly auth: ApiAuth;
  readonly httpApi: SeatkeeperHttpApi;
  readonly events: EventFunctions;

  /** `config`: the settings read from CDK context (seatkeeperApp.ts). */
  constructor(scope: Construct, id: string, props: StackProps & { config: SeatkeeperConfig }) {
    const { config, ...stackProps } = props;
    super(scope, id, { description: 'Seatkeeper: licence seats per area, enforced on every path', ...stackProps });
    this.config = config;

    this.tables = new SeatkeeperTables(this, 'Tables').tables;
    this.buckets = new SeatkeeperBuckets(this, 'Buckets').buckets;
    this.auth = new ApiAuth(this, 'Auth', this.config);
    this.httpApi = new SeatkeeperHttpApi(this, 'Http', {
      auth: this.auth,
      tables: this.tables,
      buckets: this.buckets,
      config: this.config,
    });

    // Import (S3), limit alerts (seats stream) and the scheduled activation run. A new event-fed
    // function is a FunctionSpec in functions/manifest.ts plus a SeatkeeperFunction and its trigger there.
    this.events = new EventFunctions(this, 'Events', { tables: this.tables, buckets: this.buckets, config: this.config });
    // Once every function exists: those that invoke another (POST /imports/{id}/retry → import) may, and know its name.
    const functions = this.functions;
    for (const fn of Object.values(functions)) {
      for (const { name } of fn.spec.invokes ?? []) {
        const target = functions[name];
        if (!target) throw new Error(`${fn.spec.name} invokes '${name}', which the stack does not deploy.`);
        fn.allowInvoking(target);
      }
    }

    this.outputPhysicalNames('Table', tableDefinitions, (tableId) => this.tables[tableId].tableName);
    this.outputPhysicalNames('Bucket', bucketDefinitions, (bucketId) => this.buckets[bucketId].bucketName);
  }

  /** One output per table or bucket: ("users", "Table") → UsersTableName. */
  private outputPhysicalNames<Id extends string>(
    kind: 'Table' | 'Bucket',
    definitions: Record<Id, { envName: string }>,
    physicalName: (id: Id) => string,
  ): void {
    for (const id of Object.keys(definitions) as Id[]) {
      new CfnOutput(this, `${id[0]!.toUpperCase()}${id.slice(1)}${kind}Name`, {
        value: physicalName(id),
        description: `Physical name of the ${id} ${kind.toLowerCase()} (functions read it from ${definitions[id].envName}).`,
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
