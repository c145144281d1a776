/**
 * Every failure a caller can act on has its own code. Core throws these; each
 * edge (HTTP, import report, SCIM) maps codes to its own wire format in one place.
 */
export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'FILE_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'ROUTE_NOT_FOUND'
  | 'USER_NOT_FOUND'
  | 'AREA_NOT_FOUND'
  | 'USER_EXISTS'
  | 'EXEMPT_ACCOUNT'
  | 'SEAT_LIMIT_REACHED'
  | 'LIMIT_BELOW_ACTIVE'
  | 'NOT_ENOUGH_FREE_SEATS'
  | 'TOO_MUCH_CONTENTION'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'REQUEST_IN_PROGRESS'
  | 'SCIM_TOKEN_NOT_FOUND'
  | 'IMPORT_NOT_FOUND'
  | 'IMPORT_NOT_RETRYABLE';

export class SeatkeeperError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SeatkeeperError';
  }
}

/** Whether `error` is Seatkeeper's error with this code. */
export const hasErrorCode = (error: unknown, code: ErrorCode): error is SeatkeeperError =>
  error instanceof SeatkeeperError && error.code === code;

export const invalidRequest = (message: string, details?: Record<string, unknown>) =>
  new SeatkeeperError('INVALID_REQUEST', message, details);

/** One field's problem, in the shape request validation gives every 400: `details.in` and `details.issues`. */
export const invalidField = (
  where: 'body' | 'query',
  field: string,
  problem: string,
  message: string,
  extra: Record<string, unknown> = {},
) => invalidRequest(message, { in: where, issues: [{ field, problem }], ...extra });

export const invalidCursor = (problem: 'is not one this API returned' | 'belongs to a different query') =>
  invalidField('query', 'cursor', problem, `The cursor ${problem}. Start again without a cursor.`);

export const userNotFound = (id: string) => new SeatkeeperError('USER_NOT_FOUND', `No user with id '${id}' exists.`, { id });

export const areaNotFound = (area: string) =>
  new SeatkeeperError(
    'AREA_NOT_FOUND',
    `Area '${area}' does not exist. A licence administrator can create it by setting its limit (PUT /license/areas/${area}).`,
    { area },
  );

export const userExists = (email: string) => new SeatkeeperError('USER_EXISTS', `A user with email '${email}' already exists.`, { email });

/** A directory asked to deactivate or delete an account a licence admin made exempt. */
export const exemptAccount = (id: string) =>
  new SeatkeeperError(
    'EXEMPT_ACCOUNT',
    `Account ${id} is exempt (a support or administrator profile): a licence administrator manages it, so a directory may not deactivate or delete it. ` +
      'A licence administrator can lift its exemption if the directory should manage it.',
    { id },
  );

export const seatLimitReached = (area: string, limit: number, active: number) =>
  new SeatkeeperError(
    'SEAT_LIMIT_REACHED',
    limit === 0
      ? `Area '${area}' has no licences (its limit is 0). Ask a licence administrator to set its limit or move seats to it.`
      : `Area '${area}' has no free seat: ${active} of ${limit} licences are in use. ` +
          `Block or delete accounts that no longer need access, or ask a licence administrator for more licences.`,
    { area, limit, active },
  );

export const limitBelowActive = (area: string, limit: number, active: number) =>
  new SeatkeeperError(
    'LIMIT_BELOW_ACTIVE',
    `The limit of area '${area}' cannot be ${limit}: ${active} account${active === 1 ? ' is' : 's are'} active. Block or delete ${active - limit} of them first.`,
    { area, limit, active },
  );

export const notEnoughFreeSeats = (area: string, requested: number, available: number) =>
  new SeatkeeperError(
    'NOT_ENOUGH_FREE_SEATS',
    `Area '${area}' has ${available} free seat${available === 1 ? '' : 's'}, so ${requested} cannot be moved out of it.`,
    { area, requested, available },
  );

export const idempotencyKeyReused = () =>
  new SeatkeeperError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different body. Use a new key for a new request.',
  );

export const tooMuchContention = () =>
  new SeatkeeperError(
    'TOO_MUCH_CONTENTION',
    'The change collided with other changes too many times in a row. Nothing was changed; please retry.',
  );

export const scimTokenNotFound = (id: string) =>
  new SeatkeeperError('SCIM_TOKEN_NOT_FOUND', `No SCIM token with id '${id}' exists (it may have been revoked already).`, { id });

export const importNotFound = (id: string) =>
  new SeatkeeperError('IMPORT_NOT_FOUND', `No import '${id}' exists (yet): the file may still be uploading, or its event is on the way.`, {
    id,
  });

/** Only an interrupted import can be retried; `message` says why this one cannot, and what to do instead. */
export const importNotRetryable = (id: string, status: string, message: string) =>
  new SeatkeeperError('IMPORT_NOT_RETRYABLE', message, { id, status });
