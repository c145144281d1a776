/**
 * The whole Seatkeeper deployment: tables, buckets, authorizer, HTTP API and
 * its functions, and the event-fed functions (import, alerts, activation). Settings come from CDK context (see config.ts and docs/deploy.md).
 */
import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpMethods } from 'aws-cdk-lib/aws-s3';
import { parseShare } from '../../functions/notify/config.ts';
import type { Construct } from 'constructs';
import { bucketDefinitions } from '#core/buckets.ts';
import { tableDefinitions } from '#core/tables.ts';
import { ApiAuth } from './apiAuth.ts';
import { ConsoleHosting, consoleConnectSources } from './consoleHosting.ts';
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
  readonly console: ConsoleHosting;

  /** `config`: the settings read from CDK context (seatkeeperApp.ts). */
  constructor(scope: Construct, id: string, props: StackProps & { config: SeatkeeperConfig }) {
    const { config, ...stackProps } = props;
    super(scope, id, { description: 'Seatkeeper: licence seats per area, enforced on every path', ...stackProps });
    this.config = config;

    this.tables = new SeatkeeperTables(this, 'Tables').tables;
    const buckets = new SeatkeeperBuckets(this, 'Buckets');
    this.buckets = buckets.buckets;
    // The web console first: the sign-in callback, the API's CORS and the imports bucket's CORS name its origin.
    // Where it signs in: the issuer (discovery, keys, usually the token endpoint), or the pool's issuer and managed login domain.
    const signInOrigins = config.oidc
      ? [new URL(config.oidc.issuer).origin]
      : [`https://cognito-idp.${Aws.REGION}.amazonaws.com`, `https://${config.console.domainPrefix}.auth.${Aws.REGION}.amazoncognito.com`];
    this.console = new ConsoleHosting(this, 'Console', {
      accessLogs: buckets.accessLogs,
      connectSources: consoleConnectSources(signInOrigins),
      logRetention: config.logRetention,
    });
    this.auth = new ApiAuth(this, 'Auth', this.config, this.console.url);
    this.httpApi = new SeatkeeperHttpApi(this, 'Http', {
      auth: this.auth,
      tables: this.tables,
      buckets: this.buckets,
      config: this.config,
      consoleOrigin: this.console.origin,
    });
    // The console sends uploads straight to the imports bucket (presigned PUT) and reads reports there.
    this.buckets.imports.addCorsRule({
      allowedOrigins: [this.console.origin],
      allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
      allowedHeaders: ['*'],
      maxAge: 600,
    });
    this.console.publish({
      apiUrl: this.httpApi.stage.url,
      groupsClaim: config.groupsClaim,
      warningShare: parseShare(config.alerts?.warningShare),
      auth: config.oidc
        ? {
            kind: 'oidc',
            issuer: config.oidc.issuer,
            clientId: config.console.clientId ?? config.oidc.audience[0]!,
            scopes: config.console.scopes,
            apiToken: config.console.apiToken ?? 'id',
          }
        : {
            kind: 'oidc',
            issuer: `https://cognito-idp.${Aws.REGION}.amazonaws.com/${this.auth.userPool!.userPoolId}`,
            clientId: this.auth.userPoolClient!.userPoolClientId,
            scopes: config.console.scopes,
            apiToken: config.console.apiToken ?? 'access',
            // Cognito publishes no end_session_endpoint: its managed login's /logout ends the session there too.
            logoutUrl: `${this.auth.domain!.baseUrl()}/logout?client_id=${this.auth.userPoolClient!.userPoolClientId}&logout_uri=${encodeURIComponent(this.console.url)}`,
          },
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
