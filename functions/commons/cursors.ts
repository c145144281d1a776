/**
 * Opaque cursors for paged listings: where the next page starts (an index key, an area and a key
 * in it, …) and the listing it belongs to, as base64url JSON. `query` names the listing and its
 * filters: a position only means something in the walk that made it (one from an area's list
 * would skip every area before it in a list of all). What may go in a cursor is the caller's to
 * check, since a cursor comes back from outside and becomes a DynamoDB key.
 */
export type CursorProblem = 'is not one this API returned' | 'belongs to a different query';

export const encodeCursor = (position: object, query: string) => Buffer.from(JSON.stringify({ ...position, query })).toString('base64url');

/** The position a cursor holds, or why it is refused: not one `isValid` accepts, or made for another `query`. */
export function decodeCursor<T extends object>(
  text: string,
  query: string,
  isValid: (position: Record<string, unknown>) => boolean,
): T | CursorProblem {
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return 'is not one this API returned';
  }
  if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) return 'is not one this API returned';
  const { query: madeFor, ...position } = cursor as Record<string, unknown>;
  if (!isValid(position)) return 'is not one this API returned';
  if (madeFor !== query) return 'belongs to a different query';
  return position as T;
}
