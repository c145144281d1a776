/**
 * Local stand-in for API Gateway's Lambda authorizer on the SCIM routes
 * (functions/manifest.ts `auth: 'scimToken'`): the same outcomes an HTTP API
 * gives. No Authorization header → 401 without calling the function;
 * `isAuthorized: false` → 403; otherwise the context reaches the handler as
 * requestContext.authorizer.lambda. (No result cache locally: a revoked token
 * stops working at once, where AWS may serve it for the cache TTL.)
 */
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import type { ScimAuthorizerResult } from '../../functions/scim/authorizer.ts';
import { routeKey, type HttpRoute } from '../../functions/manifest.ts';
import { requestContextOf } from './requestContext.ts';

export type LambdaAuthorizerOutcome = { status: 401 | 403; body: { message: string } } | { context: Record<string, unknown> };

export async function runLambdaAuthorizer(
  authorizer: (event: APIGatewayRequestAuthorizerEventV2, context: Context) => Promise<unknown>,
  request: {
    route: HttpRoute;
    method: string;
    url: URL;
    headers: Record<string, string>;
    sourceIp: string;
    pathParameters: Record<string, string>;
  },
  lambdaContext: Context,
): Promise<LambdaAuthorizerOutcome> {
  const { route, method, url, headers } = request;
  const identity = headers.authorization;
  if (!identity) return { status: 401, body: { message: 'Unauthorized' } };
  const key = routeKey(route);
  const event: APIGatewayRequestAuthorizerEventV2 = {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:us-east-1:000000000000:local/$default/${method}${route.path}`,
    identitySource: [identity],
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: [],
    headers,
    pathParameters: request.pathParameters,
    requestContext: requestContextOf(route, method, url, headers, request.sourceIp),
  };
  const result = (await authorizer(event, lambdaContext)) as ScimAuthorizerResult;
  if (!result?.isAuthorized) return { status: 403, body: { message: 'Forbidden' } };
  return { context: { ...result.context } };
}
