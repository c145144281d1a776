import type { ScimEvent } from './scimHandler.ts';
import { scimNotFound } from './scimErrors.ts';

/** The {id} of a /Users/{id} route; anything that cannot be a user id is simply not found. */
export function userId(event: ScimEvent): string {
  const id = event.pathParameters?.id ?? '';
  if (id.length === 0 || id.length > 100) throw scimNotFound(id.slice(0, 100));
  return id;
}
