import { documentById, schemas } from './discovery.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';

/** GET /scim/v2/Schemas/{id}, id being the schema URN (case-insensitive, like attribute names). */
export const handler = scimHandler(async ({ event, baseUrl, model }) =>
  scimResponse(200, documentById(schemas(baseUrl, model), event.pathParameters?.id ?? '')),
);
