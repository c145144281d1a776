import { directoryUser } from './directoryUsers.ts';
import { reconcileUser } from './provisioning.ts';
import { scimHandler, scimResource } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';
import { desiredUser, toScimUser } from './userResource.ts';
import { pathUserId } from './pathUserId.ts';

/**
 * PUT /scim/v2/Users/{id}: the resource replaces what the directory keeps
 * (attributes not sent are cleared); a missing area attribute leaves the area as it is.
 */
export const handler = scimHandler(async ({ event, directory, baseUrl, model }) => {
  const current = await directoryUser(pathUserId(event), directory);
  const body = scimResource(event);
  const user = await reconcileUser(current, desiredUser(body, model, { missingArea: 'unchanged' }), directory);
  return scimResponse(200, toScimUser(user, baseUrl, model));
});
