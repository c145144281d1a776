import middy from '@middy/core';
import type * as z from 'zod';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '#commons/logger.ts';
import { errorResponse } from './errorResponse.ts';
import type { RoleRule } from '#core/roles.ts';
import { requireRole } from './authorize.ts';
import { idempotencyKey } from './idempotency.ts';
import { parseQuery, refuseQuery } from './request.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

/**
 * Every HTTP handler: structured logs keyed by request id, then the role check,
 * then the route's own parse → core → response (optionally behind an
 * Idempotency-Key). Order matters: the logger is
 * first so even refused requests are logged with their request id, and
 * errorResponse's onError turns anything thrown after it into the API's error body.
 * The route gets its query string parsed by `options.query`; a route without one refuses any.
 * The handler carries its role rule as `roles`, so a test can hold it to the manifest's.
 */
export function httpHandler<Query = Record<string, never>>(
  roles: RoleRule,
  route: (event: HttpEvent, query: Query) => Promise<HttpResponse>,
  options: { idempotent?: boolean; query?: z.ZodType<Query> } = {},
) {
  const { query: querySchema } = options;
  const handler = middy<HttpEvent, HttpResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: async ({ event }: { event: HttpEvent }) => {
        logger.appendKeys({ requestId: event.requestContext?.requestId, route: event.routeKey });
      },
    })
    .use(errorResponse())
    .use(requireRole(roles));
  // Last before the route: a replayed response is only for a caller who may see it.
  if (options.idempotent) handler.use(idempotencyKey());
  const wrapped = handler.handler((event: HttpEvent) => {
    if (querySchema) return route(event, parseQuery(event, querySchema));
    refuseQuery(event);
    return route(event, {} as Query);
  });
  return Object.assign(wrapped, { roles });
}
