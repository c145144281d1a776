/** SCIM list responses and their paging (RFC 7644 §3.4.2, §3.4.2.4): 1-based startIndex and count. */
import { invalidValue } from './scimErrors.ts';
import { LIST_RESPONSE_SCHEMA } from './userSchema.ts';

/** The most resources one page returns (ServiceProviderConfig filter.maxResults). */
export const MAX_RESULTS = 200;

export interface Paging {
  startIndex: number;
  count: number;
}

/** A query parameter that takes one value: given twice, the request is ambiguous, not "the first wins". */
export function singleParameter(query: URLSearchParams, name: string): string | null {
  const values = query.getAll(name);
  if (values.length > 1) throw invalidValue(`${name} may be given once; this request gives it ${values.length} times.`);
  return values[0] ?? null;
}

function integer(value: string | null, name: string): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  // Beyond 2^53 a number no longer reads back as itself (the response would say 1e+22).
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number))
    throw invalidValue(`${name} must be a whole number (at most ${Number.MAX_SAFE_INTEGER}).`);
  return number;
}

/** RFC 7644 §3.4.2.4: startIndex below 1 means 1, a negative count means 0, and a count above the maximum is capped. */
export function pagingOf(query: URLSearchParams): Paging {
  const startIndex = Math.max(1, integer(singleParameter(query, 'startIndex'), 'startIndex') ?? 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, integer(singleParameter(query, 'count'), 'count') ?? MAX_RESULTS));
  return { startIndex, count };
}

export function listResponse(resources: unknown[], totalResults: number, startIndex = 1) {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
