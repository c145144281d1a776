import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SeatkeeperError, idempotencyKeyReused, type ErrorCode } from '#core/errors.ts';
import { logger } from '#commons/logger.ts';
import { jsonResponse } from './response.ts';

/** The one place where error codes become HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_REQUEST: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  EXEMPT_ACCOUNT: 403,
  ROUTE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  AREA_NOT_FOUND: 404,
  SCIM_TOKEN_NOT_FOUND: 404,
  IMPORT_NOT_FOUND: 404,
  USER_EXISTS: 409,
  SEAT_LIMIT_REACHED: 409,
  LIMIT_BELOW_ACTIVE: 409,
  NOT_ENOUGH_FREE_SEATS: 409,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MUCH_CONTENTION: 503,
  IDEMPOTENCY_KEY_REUSED: 422,
  REQUEST_IN_PROGRESS: 409,
  IMPORT_NOT_RETRYABLE: 409,
};

/** Every error carries details, empty when there are none, so clients need not test for it. */
export function errorBody(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, details } };
}

/** Powertools idempotency signals a client can act on, by error name. */
function fromIdempotency(error: unknown): SeatkeeperError | undefined {
  const name = (error as Error | undefined)?.name;
  if (name === 'IdempotencyValidationError') {
    return idempotencyKeyReused();
  }
  if (name === 'IdempotencyAlreadyInProgressError') {
    return new SeatkeeperError(
      'REQUEST_IN_PROGRESS',
      'A request with this Idempotency-Key is still running. Retry in a moment to get its result.',
    );
  }
  return undefined;
}

export function toErrorResponse(thrown: unknown): APIGatewayProxyStructuredResultV2 {
  const error = fromIdempotency(thrown) ?? thrown;
  if (error instanceof SeatkeeperError) {
    const status = HTTP_STATUS[error.code];
    logger.info('request refused', { code: error.code, status });
    return jsonResponse(status, errorBody(error.code, error.message, error.details));
  }
  logger.error('request failed', error as Error);
  return jsonResponse(
    500,
    errorBody(
      'INTERNAL_ERROR',
      'The request failed on our side. Each change is atomic, so it either happened in full or not at all; retrying is safe.',
    ),
  );
}

/** Turns any error into the API's error body; unknown errors are logged and never leak details. */
export const errorResponse = (): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    request.response = toErrorResponse(request.error);
  },
});
