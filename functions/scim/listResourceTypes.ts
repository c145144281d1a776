import { resourceTypes } from './discovery.ts';
import { listResponse } from './listResponse.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';

export const handler = scimHandler(async ({ baseUrl, model }) => {
  const types = resourceTypes(baseUrl, model);
  return scimResponse(200, listResponse(types, types.length));
});
