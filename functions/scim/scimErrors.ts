/**
 * SCIM's own error shape (RFC 7644 §3.12). The one place where Seatkeeper's
 * error codes become SCIM statuses and scimTypes, for every SCIM handler.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SeatkeeperError, type ErrorCode } from '#core/errors.ts';
import { logger } from '#commons/logger.ts';
import { HTTP_STATUS } from '#commons/api/errorResponse.ts';
import { ERROR_SCHEMA } from './userSchema.ts';
import { scimResponse } from './scimResponse.ts';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = 'ScimError';
  }
}

export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
export const mutability = (detail: string) => new ScimError(400, 'mutability', detail);
export const noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
export const scimNotFound = (id: string) => new ScimError(404, undefined, `Resource ${id} not found.`);
export const scimUnauthorized = () =>
  new ScimError(401, undefined, 'A valid SCIM bearer token is required (Authorization: Bearer <token issued by POST /scim-tokens>).');

/**
 * Core codes at the SCIM edge: the HTTP API's statuses, except AREA_NOT_FOUND,
 * which is a bad attribute value here, not a missing resource: a 404 would make
 * a provider think the user is gone.
 */
const SCIM_STATUS: Record<ErrorCode, number> = { ...HTTP_STATUS, AREA_NOT_FOUND: 400 };

const SCIM_TYPE: Partial<Record<ErrorCode, ScimType>> = {
  INVALID_REQUEST: 'invalidValue',
  INVALID_JSON: 'invalidSyntax',
  AREA_NOT_FOUND: 'invalidValue',
  USER_EXISTS: 'uniqueness',
};

function scimErrorBody(status: number, scimType: ScimType | undefined, detail: string) {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/** Any error as a SCIM error response; unknown errors are logged and never leak details. */
export function toScimErrorResponse(error: unknown): APIGatewayProxyStructuredResultV2 {
  let status: number;
  let scimType: ScimType | undefined;
  let detail: string;
  if (error instanceof ScimError) {
    ({ status, scimType } = error);
    detail = error.message;
  } else if (error instanceof SeatkeeperError) {
    status = SCIM_STATUS[error.code];
    scimType = SCIM_TYPE[error.code];
    detail = error.message;
  } else {
    logger.error('SCIM request failed', error as Error);
    return scimResponse(500, scimErrorBody(500, undefined, 'The request failed on our side; each change is atomic, so retrying is safe.'));
  }
  // Details can hold an email address: log the outcome only.
  logger.info('SCIM request refused', { status, scimType, ...(error instanceof SeatkeeperError ? { code: error.code } : {}) });
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="seatkeeper-scim"';
  if (status === 503) headers['retry-after'] = '1';
  return scimResponse(status, scimErrorBody(status, scimType, detail), headers);
}
