import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { dynamodb } from '#clients/dynamodb.ts';
import { tableName } from '#core/tables.ts';

/**
 * `Idempotency-Key` for POSTs that are not naturally idempotent (create a
 * user, transfer seats): a retry with the same key gets the first response
 * instead of doing it again. Keys are scoped to the caller (`sub`); without
 * the header the expression is null and the request runs as usual.
 */
const config = new IdempotencyConfig({
  eventKeyJmesPath: 'headers."idempotency-key" && [requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"]',
  // The same key with a different body is a client bug: refuse it rather than replay.
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: 24 * 60 * 60,
});

export const idempotencyKey = () =>
  makeHandlerIdempotent({
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
