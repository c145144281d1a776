import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithLambdaAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { logger } from '#commons/logger.ts';
import { parseBody } from '#commons/api/request.ts';
import type { ScimAuthorizerContext } from './authorizer.ts';
import { isObject, type JsonObject } from './filter.ts';
import { invalidSyntax, scimUnauthorized, toScimErrorResponse } from './scimErrors.ts';
import { userSchemaModel, type UserSchemaModel } from './userSchema.ts';

export type ScimEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<ScimAuthorizerContext>;
export type ScimResult = APIGatewayProxyStructuredResultV2;

/** Who is calling (from the authorizer) and what the request is about. */
export interface ScimRequest {
  event: ScimEvent;
  /** The directory the caller's token belongs to: it sees and changes only that directory's users. */
  directory: string;
  /** Absolute base of the SCIM API (…/scim/v2), for meta.location. */
  baseUrl: string;
  model: UserSchemaModel;
}

function header(event: ScimEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** SCIM_BASE_URL when set (custom domains with a base path), else from the request as API Gateway received it. */
function baseUrlOf(event: ScimEvent): string {
  if (process.env.SCIM_BASE_URL) return process.env.SCIM_BASE_URL.replace(/\/+$/, '');
  const host = header(event, 'x-forwarded-host') ?? header(event, 'host') ?? event.requestContext.domainName;
  const protocol = header(event, 'x-forwarded-proto') ?? (/^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host) ? 'http' : 'https');
  const path = event.rawPath ?? '';
  const at = path.toLowerCase().indexOf('/scim/v2');
  return `${protocol}://${host}${at >= 0 ? path.slice(0, at + '/scim/v2'.length) : '/scim/v2'}`;
}

/**
 * Every SCIM handler: logs keyed by request id and token id, the one check
 * that the authorizer recognised the token, and SCIM error bodies for
 * anything thrown. The logger comes first so refused requests are logged too.
 */
export function scimHandler(route: (request: ScimRequest) => Promise<ScimResult>) {
  return middy<ScimEvent, ScimResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        request.response = toScimErrorResponse(request.error);
      },
    })
    .handler(async (event: ScimEvent) => {
      const { directory, tokenId } = event.requestContext?.authorizer?.lambda ?? { directory: '', tokenId: '' };
      logger.appendKeys({ requestId: event.requestContext?.requestId, route: event.routeKey, tokenId: tokenId || undefined });
      if (!directory || !tokenId) throw scimUnauthorized();
      return route({ event, directory, baseUrl: baseUrlOf(event), model: userSchemaModel() });
    });
}

/** The JSON body (`application/scim+json` or `application/json`); transport problems keep their own status. */
export function scimBody(event: ScimEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') throw invalidSyntax('This request needs a JSON body.');
  return parseBody(event, z.unknown());
}

/** The body of a POST or PUT: a JSON object holding one User resource. */
export function scimResource(event: ScimEvent): JsonObject {
  const body = scimBody(event);
  if (!isObject(body)) throw invalidSyntax('The body must be a User resource.');
  return body;
}
