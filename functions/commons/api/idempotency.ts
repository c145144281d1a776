import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamodb } from '#clients/dynamodb.ts';
import { RETRY_KEY_DAYS } from '#core/retryRecord.ts';
import { tableName } from '#core/tables.ts';
import { callerSubject } from './authorize.ts';

/**
 * `Idempotency-Key` for POSTs that are not naturally idempotent (create a
 * user, transfer seats): a retry with the same key gets the first response
 * instead of doing it again. Keys are scoped to the route and the caller
 * (`sub`): Powertools' own prefix is the Lambda function's name, which the
 * local server, running every route in one process, does not have. Without
 * the header the expression is null and the request runs as usual.
 */
const config = new IdempotencyConfig({
  eventKeyJmesPath: 'headers."idempotency-key" && [routeKey, requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"]',
  // The same key with a different body is a client bug: refuse it rather than replay.
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: RETRY_KEY_DAYS * 24 * 60 * 60,
});

/**
 * Powertools' middleware with one fix: its onError deletes the idempotency record even when this
 * request never acquired it, so a duplicate refused as in progress (or as a key reused with another
 * body) deleted the first request's record, and the next retry created a second time
 * (powertools-lambda-typescript#5675; fixed by #5676, not released in 2.35.0). Here only the request
 * whose handler ran on a record it acquired may delete it, and no longer once it is saving its result.
 */
export const idempotencyKey = (): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => {
  const powertools = makeHandlerIdempotent({
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: tableName('jobs'),
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: 'idempotency',
      expiryAttr: 'expiresAt',
      awsSdkV3Client: dynamodb,
    }),
    config,
  });
  const owners = new WeakSet<object>();
  return {
    before: async (request) => {
      // A stored response comes back to replay; undefined means this request runs the handler.
      const replay: unknown = await powertools.before!(request);
      if (replay === undefined) owners.add(request);
      return replay as APIGatewayProxyStructuredResultV2 | undefined;
    },
    after: async (request) => {
      owners.delete(request);
      await powertools.after!(request);
    },
    onError: async (request) => {
      if (owners.delete(request)) await powertools.onError!(request);
    },
  };
};

/**
 * The caller and its Idempotency-Key, for the record core writes in the operation's own transaction
 * (functions/core/retryRecord.ts), which answers a retry when this middleware's record of the first
 * try was lost with its answer. Undefined without the header.
 */
export function retryKey(event: APIGatewayProxyEventV2WithJWTAuthorizer): string | undefined {
  const key = event.headers?.['idempotency-key'];
  return key ? `${callerSubject(event) ?? ''}#${key}` : undefined;
}
