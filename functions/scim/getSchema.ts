import { schemas } from './discovery.ts';
import { scimNotFound } from './scimErrors.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';

/** GET /scim/v2/Schemas/{id}, id being the schema URN (case-insensitive, like attribute names). */
export const handler = scimHandler(async ({ event, baseUrl, model }) => {
  const id = event.pathParameters?.id ?? '';
  const schema = schemas(baseUrl, model).find((s) => String(s.id).toLowerCase() === id.toLowerCase());
  if (!schema) throw scimNotFound(id);
  return scimResponse(200, schema);
});
