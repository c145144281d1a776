import { schemas } from './discovery.ts';
import { listResponse } from './listResponse.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';

export const handler = scimHandler(async ({ baseUrl, model }) => {
  const all = schemas(baseUrl, model);
  return scimResponse(200, listResponse(all, all.length));
});
