import { documentById, resourceTypes } from './discovery.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';

export const handler = scimHandler(async ({ event, baseUrl, model }) =>
  scimResponse(200, documentById(resourceTypes(baseUrl, model), event.pathParameters?.id ?? '')),
);
