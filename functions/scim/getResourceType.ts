import { resourceTypes } from './discovery.ts';
import { scimNotFound } from './scimErrors.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';

export const handler = scimHandler(async ({ event, baseUrl, model }) => {
  const id = event.pathParameters?.id ?? '';
  const type = resourceTypes(baseUrl, model).find((t) => String(t.id).toLowerCase() === id.toLowerCase());
  if (!type) throw scimNotFound(id);
  return scimResponse(200, type);
});
