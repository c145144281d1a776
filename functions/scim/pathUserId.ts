import { MAX_ID_LENGTH } from '#core/userId.ts';
import type { ScimEvent } from './scimHandler.ts';
import { scimNotFound } from './scimErrors.ts';

/** The {id} of a /Users/{id} route; anything that cannot be a user id is simply not found. */
export function pathUserId(event: ScimEvent): string {
  const id = event.pathParameters?.id ?? '';
  if (id.length === 0 || id.length > MAX_ID_LENGTH) throw scimNotFound(id.slice(0, MAX_ID_LENGTH));
  return id;
}
