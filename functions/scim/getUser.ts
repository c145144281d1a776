import { directoryUser } from './directoryUsers.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';
import { toScimUser } from './userResource.ts';
import { pathUserId } from './pathUserId.ts';

/** GET /scim/v2/Users/{id}: the user whatever its state (Entra reads deactivated users too). */
export const handler = scimHandler(async ({ event, directory, baseUrl, model }) => {
  const user = await directoryUser(pathUserId(event), directory);
  return scimResponse(200, toScimUser(user, baseUrl, model));
});
