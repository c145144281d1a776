/**
 * API Gateway HTTP API (payload 2.0): one Lambda function per route of
 * httpRoutes (functions/http/routes.ts, the list the local server serves too),
 * the JWT authorizer on every route, JSON access logs, default-stage throttling.
 */
import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { httpRoutes, type HttpRoute } from '#http/routes.ts';
import type { ApiAuth } from './apiAuth.ts';
import type { SeatkeeperBucketMap } from './buckets.ts';
import type { SeatkeeperConfig } from './config.ts';
import { httpFunctionSpecs } from './functionCatalog.ts';
import { SeatkeeperFunction } from './seatkeeperFunction.ts';
import type { SeatkeeperTableMap } from './tables.ts';

export interface SeatkeeperHttpApiProps {
  auth: ApiAuth;
  tables: SeatkeeperTableMap;
  buckets: SeatkeeperBucketMap;
  config: SeatkeeperConfig;
}

/**
 * One JSON object per request. Caller identity is the token's `sub` only: no
 * IP address or user agent, in line with "no personal data beyond ids in logs".
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
  caller: '$context.authorizer.claims.sub',
} as const;

const METHODS: Record<HttpRoute['method'], HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

export class SeatkeeperHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Function of each route, by handler name. */
  readonly functions: Record<string, SeatkeeperFunction> = {};

  constructor(scope: Construct, id: string, props: SeatkeeperHttpApiProps) {
    super(scope, id);
    const { auth, tables, buckets, config } = props;

    this.api = new HttpApi(this, 'Api', {
      description: 'Seatkeeper licence-seat API v1',
      // Every route requires a valid JWT; unknown routes answer 404 from API Gateway itself.
      defaultAuthorizer: auth.authorizer,
      // Our own $default stage below, so it can carry access logs and throttling.
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttle.rateLimit, burstLimit: config.throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    for (const route of httpRoutes) {
      const spec = httpFunctionSpecs.find((s) => s.name === route.handler);
      if (!spec) throw new Error(`No function spec for route ${route.method} ${route.path} (handler ${route.handler}).`);
      // Two routes may share a handler module; they then share one function.
      const fn = (this.functions[route.handler] ??= new SeatkeeperFunction(this, route.handler, {
        spec,
        tables,
        buckets,
        config,
        description: `Seatkeeper ${route.method} ${route.path}`,
        environment: { GROUPS_CLAIM: auth.groupsClaim },
      }));
      this.api.addRoutes({
        path: route.path,
        methods: [METHODS[route.method]],
        integration: new HttpLambdaIntegration(`${route.handler}${route.method}Integration`, fn),
      });
    }

    new CfnOutput(this, 'ApiUrl', {
      key: 'ApiUrl',
      value: this.stage.url,
      description: 'Base URL of the Seatkeeper HTTP API (send Authorization: Bearer <JWT>).',
    });
  }
}
