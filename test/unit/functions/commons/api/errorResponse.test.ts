import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '#commons/api/errorResponse.ts';
import { SeatkeeperError } from '#core/errors.ts';

const body = (response: { body?: string }) => JSON.parse(response.body!) as { error: Record<string, unknown> };

describe('toErrorResponse', () => {
  it('an unexpected fault is a 500 INTERNAL_ERROR that leaks nothing of it', () => {
    const response = toErrorResponse(new Error('connect ECONNREFUSED 10.0.0.7:443 secret-table'));
    expect(response.statusCode).toBe(500);
    const { error } = body(response);
    expect(error).toEqual({ code: 'INTERNAL_ERROR', message: expect.stringMatching(/retrying is safe/), details: {} });
    expect(JSON.stringify(error)).not.toMatch(/ECONNREFUSED|secret-table/);
  });

  it("maps the idempotency layer's signals to codes a client can act on", () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });
    expect(body(toErrorResponse(named('IdempotencyAlreadyInProgressError'))).error.code).toBe('REQUEST_IN_PROGRESS');
    expect(toErrorResponse(named('IdempotencyAlreadyInProgressError')).statusCode).toBe(409);
    expect(toErrorResponse(named('IdempotencyValidationError')).statusCode).toBe(422);
  });

  it('a refusal keeps its code, status and details', () => {
    const response = toErrorResponse(new SeatkeeperError('SEAT_LIMIT_REACHED', 'full', { area: 'primary', limit: 1, active: 1 }));
    expect(response.statusCode).toBe(409);
    expect(body(response).error).toEqual({
      code: 'SEAT_LIMIT_REACHED',
      message: 'full',
      details: { area: 'primary', limit: 1, active: 1 },
    });
  });
});
