/**
 * API Gateway HTTP API (payload 2.0): one Lambda function per route handler of
 * httpRoutes (functions/manifest.ts, the list the local server serves too),
 * an authorizer on every route (the JWT authorizer, or the SCIM token Lambda
 * authorizer for `auth: 'scimToken'`), JSON access logs, default-stage throttling.
 */
import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { httpRoutes, routeAuth, type HttpRoute, type RouteAuth, httpFunctionSpecs, scimAuthorizerSpec } from '../../functions/manifest.ts';
import { notifyOperators } from './alarms.ts';
import type { ApiAuth } from './apiAuth.ts';
import type { SeatkeeperBucketMap } from './buckets.ts';
import type { SeatkeeperConfig } from './config.ts';
import { SeatkeeperFunction, type SeatkeeperFunctionProps } from './seatkeeperFunction.ts';
import type { SeatkeeperTableMap } from './tables.ts';

export interface SeatkeeperHttpApiProps {
  auth: ApiAuth;
  tables: SeatkeeperTableMap;
  buckets: SeatkeeperBucketMap;
  config: SeatkeeperConfig;
  /** The web console's origin (https://<distribution>): the only one CORS lets a browser call the API from. */
  consoleOrigin: string;
}

/**
 * One JSON object per request. Caller identity is the token's `sub`, or on SCIM
 * routes the SCIM token's id and directory; no IP address or user agent, in line
 * with "no personal data beyond ids in logs".
 */
const accessLogFields = {
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
  scimTokenId: '$context.authorizer.tokenId',
  directory: '$context.authorizer.directory',
} as const;

/** Every SCIM route function maps users the same way, so all get the same settings. */
function scimEnvironment(config: SeatkeeperConfig): Record<string, string> {
  return {
    ...(config.scim.areaAttribute ? { SCIM_AREA_ATTRIBUTE: config.scim.areaAttribute } : {}),
    ...(config.scim.defaultArea ? { SCIM_DEFAULT_AREA: config.scim.defaultArea } : {}),
  };
}

/**
 * How long API Gateway reuses a SCIM token check per Authorization header. It
 * spares a Lambda call and a read per request during an identity provider's
 * bulk push; a revoked token keeps working for at most this long.
 */
export const SCIM_AUTHORIZER_CACHE_TTL = Duration.minutes(5);

const METHODS: Record<HttpRoute['method'], HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
  ANY: HttpMethod.ANY,
};

export class SeatkeeperHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Function of each route, by handler name. */
  readonly functions: Record<string, SeatkeeperFunction>;
  private scim?: { fn: SeatkeeperFunction; authorizer: HttpLambdaAuthorizer };

  constructor(scope: Construct, id: string, props: SeatkeeperHttpApiProps) {
    super(scope, id);
    const { auth, config } = props;
    /** What every function of the API is built from besides its spec. */
    const shared: Omit<SeatkeeperFunctionProps, 'spec'> = { tables: props.tables, buckets: props.buckets, config };

    this.api = new HttpApi(this, 'Api', {
      description: 'Seatkeeper licence-seat API v1',
      // Routes use the JWT authorizer unless they name another (SCIM); unknown routes answer 404 from API Gateway
      // itself, except under /scim/v2, whose catch-all route answers in SCIM's error shape.
      defaultAuthorizer: auth.authorizer,
      // Our own $default stage below, so it can carry access logs and throttling.
      createDefaultStage: false,
      // The console (CloudFront) calls the API (execute-api) from its own origin, and from no other.
      // API Gateway answers the preflight itself; the headers are the ones the console sends.
      corsPreflight: {
        allowOrigins: [props.consoleOrigin],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        exposeHeaders: ['location'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttle.rateLimit, burstLimit: config.throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    // A 5xx is a request that failed on Seatkeeper's side (a bug, a timeout, TOO_MUCH_CONTENTION, a failing
    // authorizer); clients see it as their request failing, so a few in five minutes are worth a look.
    notifyOperators(
      new Alarm(this, 'ServerErrorsAlarm', {
        alarmDescription:
          "Seatkeeper: the HTTP API answered 5xx at least 5 times in 5 minutes. Its access logs say which routes; the functions' logs say why (docs/deploy.md).",
        metric: this.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 5,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      config,
    );

    const authorizerOf = (kind: RouteAuth): IHttpRouteAuthorizer => {
      switch (kind) {
        case 'jwt':
          return auth.authorizer;
        case 'scimToken':
          return this.scimTokenAuthorizer(shared);
      }
    };

    // One function per handler; routes sharing a handler share it.
    this.functions = Object.fromEntries(
      httpFunctionSpecs.map((spec) => [
        spec.name,
        new SeatkeeperFunction(this, spec.name, {
          ...shared,
          spec,
          // Administrators' roles come from this claim of the JWT; SCIM callers are directories, not people.
          environment: spec.auth === 'jwt' ? { GROUPS_CLAIM: config.groupsClaim } : scimEnvironment(config),
        }),
      ]),
    );
    for (const route of httpRoutes) {
      this.api.addRoutes({
        path: route.path,
        methods: [METHODS[route.method]],
        // httpFunctionSpecs has a spec for every route's handler.
        integration: new HttpLambdaIntegration(`${route.handler}${route.method}Integration`, this.functions[route.handler]!),
        authorizer: authorizerOf(routeAuth(route)),
      });
    }

    new CfnOutput(this, 'ApiUrl', {
      key: 'ApiUrl',
      value: this.stage.url,
      description: 'Base URL of the Seatkeeper HTTP API (send Authorization: Bearer <JWT>).',
    });
    if (this.scim) {
      new CfnOutput(this, 'ScimBaseUrl', {
        key: 'ScimBaseUrl',
        value: `${this.stage.url}scim/v2`,
        description: 'SCIM 2.0 base URL to give an identity provider, with a token from POST /scim-tokens.',
      });
    }
  }

  /** Lambda authorizer of the SCIM routes (undefined when httpRoutes has none). */
  get scimAuthorizerFunction(): SeatkeeperFunction | undefined {
    return this.scim?.fn;
  }

  /** One authorizer function for every `auth: 'scimToken'` route, created with the first of them. */
  private scimTokenAuthorizer(shared: Omit<SeatkeeperFunctionProps, 'spec'>): HttpLambdaAuthorizer {
    if (!this.scim) {
      const fn = new SeatkeeperFunction(this, scimAuthorizerSpec.name, { ...shared, spec: scimAuthorizerSpec });
      const authorizer = new HttpLambdaAuthorizer('ScimTokenAuthorizer', fn, {
        // Simple responses ({ isAuthorized, context }); no Authorization header → 401 from API Gateway itself.
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        identitySource: ['$request.header.Authorization'],
        resultsCacheTtl: SCIM_AUTHORIZER_CACHE_TTL,
      });
      this.scim = { fn, authorizer };
    }
    return this.scim.authorizer;
  }
}
